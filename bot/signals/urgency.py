"""How urgent a member's message is: red (a life at risk now), yellow (urgent), or none.

The vocabulary lives in urgency.yml, next to this module, for product people to tune; this module
only knows how to read it. Messages in an unknown language are read with every vocabulary and the
most urgent reading wins, because missing a red costs more than a spurious one.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, TypedDict

from bot.signals import vocabulary
from bot.signals.context import Context, Markers
from bot.signals.phrases import Match, MatchOptions, PhraseError, PhraseMatcher, blank_out
from bot.signals.writing import Writing, languages_to_try, writing_by_language

Level = Literal["none", "yellow", "red"]
LEVELS: tuple[Level, ...] = ("none", "yellow", "red")
LANGUAGES = vocabulary.LANGUAGES
CONTEXT_LISTS = ("past", "hypothetical", "billing", "resolved", "now")


class Urgency(TypedDict):
    level: Level
    reasons: list[str]


@dataclass(frozen=True)
class Reason:
    code: str
    level: Level
    supersedes: tuple[str, ...]
    cleared_by_past: bool
    cleared_by_billing: bool


@dataclass(frozen=True)
class CuePart:
    reason: str
    rule: int
    part: int


@dataclass(frozen=True)
class LanguageVocabulary:
    writing: Writing
    cues: PhraseMatcher
    cue_parts: Mapping[str, CuePart]  # a cue's match tag -> which part of which rule it is
    parts_per_rule: Mapping[tuple[str, int], int]
    idioms: PhraseMatcher
    context: Mapping[str, PhraseMatcher]


@dataclass(frozen=True)
class UrgencyVocabulary:
    reasons: Mapping[str, Reason]  # in file order: the order reasons are reported in, per level
    languages: Mapping[str, LanguageVocabulary]
    negation_window: int


def assess_urgency(text: str, language: str | None) -> Urgency:
    """Red, yellow or none, with the machine codes of what made it so (most severe first)."""
    loaded = urgency_vocabulary()
    found: set[str] = set()
    for code in languages_to_try(language):
        found |= _reasons_in(text or "", loaded.languages[code], loaded)
    for code in list(found):
        found -= set(loaded.reasons[code].supersedes)
    reasons = [reason for reason in loaded.reasons.values() if reason.code in found]
    reasons.sort(key=lambda reason: -LEVELS.index(reason.level))
    level = reasons[0].level if reasons else "none"
    return {"level": level, "reasons": [reason.code for reason in reasons]}


def _reasons_in(text: str, language: LanguageVocabulary, loaded: UrgencyVocabulary) -> set[str]:
    tokens = blank_out(language.writing.tokenize(text), language.idioms)
    if not tokens:
        return set()
    context = Context(
        tokens=tokens,
        writing=language.writing,
        markers=Markers(**{name: language.context[name].find(tokens) for name in CONTEXT_LISTS}),
        negation_window=loaded.negation_window,
    )
    present: set[tuple[str, int, int]] = set()
    for match in language.cues.find(tokens):
        part = language.cue_parts[match.tag]
        if _counts(match, loaded.reasons[part.reason], context):
            present.add((part.reason, part.rule, part.part))
    return {
        reason
        for (reason, rule), parts in language.parts_per_rule.items()
        if all((reason, rule, part) in present for part in range(parts))
    }


def _counts(cue: Match, reason: Reason, context: Context) -> bool:
    if context.negated(cue):
        return False
    if reason.cleared_by_past and context.in_the_past_or_hypothetical(cue):
        return False
    return not (reason.cleared_by_billing and context.about_money(cue))


@lru_cache(maxsize=1)
def urgency_vocabulary() -> UrgencyVocabulary:
    """urgency.yml, read and checked once per process."""
    content = vocabulary.mapping(
        vocabulary.load("urgency.yml"), "urgency.yml", allowed=["settings", "languages", "reasons"]
    )
    settings = vocabulary.mapping(
        content.get("settings"),
        "urgency.yml:settings",
        allowed=[
            "max_words_between",
            "typo_tolerance_from_letters",
            "negation_window",
            "fever_from_celsius",
            "child_high_fever_from_celsius",
        ],
    )
    where = "urgency.yml:settings"

    def setting(key: str, low: float, high: float) -> float:
        return vocabulary.number(settings.get(key), f"{where}.{key}", low=low, high=high)

    options = MatchOptions(
        max_gap=int(setting("max_words_between", 0, 10)),
        typo_tolerance_from=int(setting("typo_tolerance_from_letters", 4, 50)),
        fever_temperature=setting("fever_from_celsius", 37, 39),
        high_temperature=setting("child_high_fever_from_celsius", 38, 42),
    )
    reasons, rules = _reasons(content.get("reasons"))
    languages_section = vocabulary.per_language(content.get("languages"), "urgency.yml:languages")
    languages = {
        language: _language_vocabulary(language, languages_section.get(language), rules, options)
        for language in vocabulary.LANGUAGES
    }
    window = int(setting("negation_window", 0, 10))
    return UrgencyVocabulary(reasons=reasons, languages=languages, negation_window=window)


Rule = list[str]  # phrases that must all be in the message


def _reasons(section: Any) -> tuple[dict[str, Reason], dict[str, dict[str, list[Rule]]]]:
    where = "urgency.yml:reasons"
    entries = vocabulary.mapping(section, where)
    reasons: dict[str, Reason] = {}
    rules: dict[str, dict[str, list[Rule]]] = {}
    for code, entry in entries.items():
        here = f"{where}.{code}"
        entry = vocabulary.mapping(
            entry,
            here,
            allowed=["level", "supersedes", "cleared_by_past", "cleared_by_billing", *LANGUAGES],
        )
        level = entry.get("level")
        if level not in ("red", "yellow"):
            raise vocabulary.VocabularyError(f"{here}.level: expected red or yellow")
        reasons[code] = Reason(
            code=code,
            level=level,
            supersedes=tuple(vocabulary.strings(entry.get("supersedes"), f"{here}.supersedes")),
            cleared_by_past=_flag(entry, "cleared_by_past", here),
            cleared_by_billing=_flag(entry, "cleared_by_billing", here),
        )
        rules[code] = {
            language: [_rule(rule, f"{here}.{language}") for rule in entry.get(language) or []]
            for language in LANGUAGES
        }
        if not any(rules[code].values()):
            raise vocabulary.VocabularyError(f"{here}: no phrases in any language")
    for reason in reasons.values():
        unknown = set(reason.supersedes) - set(reasons)
        if unknown:
            raise vocabulary.VocabularyError(f"{where}.{reason.code}.supersedes: unknown {unknown}")
    return reasons, rules


def _flag(entry: Mapping[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, True)
    if not isinstance(value, bool):
        raise vocabulary.VocabularyError(f"{where}.{key}: expected true or false")
    return value


def _rule(rule: Any, where: str) -> Rule:
    if isinstance(rule, str) and rule:
        return [rule]
    if isinstance(rule, dict) and set(rule) == {"all"}:
        phrases = vocabulary.strings(rule["all"], f"{where}.all")
        if len(phrases) >= 2:
            return phrases
    raise vocabulary.VocabularyError(f"{where}: {rule!r} is neither a phrase nor all: [2+ phrases]")


def _language_vocabulary(
    language: str,
    section: Any,
    rules: Mapping[str, Mapping[str, Sequence[Rule]]],
    options: MatchOptions,
) -> LanguageVocabulary:
    where = f"urgency.yml:languages.{language}"
    section = vocabulary.mapping(section, where, allowed=["word_lists", "idioms", *CONTEXT_LISTS])
    writing = writing_by_language()[language]
    word_lists = vocabulary.word_lists(section.get("word_lists"), f"{where}.word_lists")
    cue_parts: dict[str, CuePart] = {}
    parts_per_rule: dict[tuple[str, int], int] = {}
    tagged: list[tuple[str, str]] = []
    for reason, by_language in rules.items():
        for rule_index, rule in enumerate(by_language[language]):
            parts_per_rule[(reason, rule_index)] = len(rule)
            for part_index, phrase in enumerate(rule):
                tag = f"{reason}/{rule_index}/{part_index}"
                cue_parts[tag] = CuePart(reason, rule_index, part_index)
                tagged.append((tag, phrase))

    def matcher(phrases: Sequence[tuple[str, str]], match_options: MatchOptions) -> PhraseMatcher:
        try:
            return PhraseMatcher(phrases, match_options, word_lists, writing.words_of)
        except PhraseError as error:
            raise vocabulary.VocabularyError(f"{where}: {error}") from error

    # Context phrases are matched as written, without typo tolerance: a forgiven typo in
    # "semana passada" must not switch a red off.
    exact = MatchOptions(max_gap=0)
    context = {
        name: matcher(_tagged(section.get(name), f"{where}.{name}", name), exact)
        for name in CONTEXT_LISTS
    }
    idiom_options = MatchOptions(max_gap=options.max_gap)
    return LanguageVocabulary(
        writing=writing,
        cues=matcher(tagged, options),
        cue_parts=cue_parts,
        parts_per_rule=parts_per_rule,
        idioms=matcher(_tagged(section.get("idioms"), f"{where}.idioms", "idiom"), idiom_options),
        context=context,
    )


def _tagged(phrases: Any, where: str, tag: str) -> list[tuple[str, str]]:
    return [(tag, phrase) for phrase in vocabulary.strings(phrases, where)]

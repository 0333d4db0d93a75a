"""How frustrated a member sounds, from 0 to 1, and the cues behind the score.

Cues come from the wording (per language, in frustration.yml), from the way the message is written
(capitals, "!!!", angry emoji) and, when the caller passes the conversation's history, from the
member repeating a question or the assistant failing to understand several times in a row.
The score is deterministic: 1 - Π(1 - weight) over the cues found (weights in frustration.yml).
"""

import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypedDict

from bot.signals import vocabulary
from bot.signals.phrases import MatchOptions, PhraseError, PhraseMatcher, blank_out
from bot.signals.text import MAX_CHARACTERS, tokenize
from bot.signals.writing import Writing, languages_to_try, writing_by_language

WORDING_CUES = (
    "complaint_threat",
    "insult",
    "nobody_solves",
    "already_said",
    "giving_up",
    "negative_wording",
    "long_wait",
    "again",
    "struggling",
)
WRITING_CUES = ("shouting", "repeated_punctuation", "angry_emoji")
HISTORY_CUES = ("repeated_question", "repeated_fallbacks")
ALL_CUES = (*WORDING_CUES, *WRITING_CUES, *HISTORY_CUES)
_WORD = re.compile(r"[^\W\d_]{2,}")


class Frustration(TypedDict):
    score: float
    cues: list[str]


class History(TypedDict, total=False):
    recent_member_texts: list[str]  # the member's previous messages, oldest first, not this one
    fallbacks_in_a_row: int  # the assistant's fallbacks just before this message


@dataclass(frozen=True)
class Settings:
    max_hits_per_cue: int
    negation_window: int
    shouting_min_words: int
    shouting_min_share: float
    punctuation_run: re.Pattern[str]
    repeat_look_back: int
    repeat_min_words: int
    repeat_min_ratio: float
    repeat_min_jaccard: float
    fallbacks_max_counted: int


@dataclass(frozen=True)
class LanguageVocabulary:
    writing: Writing
    cues: PhraseMatcher
    idioms: PhraseMatcher


@dataclass(frozen=True)
class FrustrationVocabulary:
    settings: Settings
    weights: Mapping[str, float]
    angry_emoji: tuple[str, ...]
    languages: Mapping[str, LanguageVocabulary]


def assess_frustration(
    text: str, language: str | None, history: Mapping[str, Any] | None = None
) -> Frustration:
    """Score and cues for one message; `history` is optional (see History)."""
    loaded = frustration_vocabulary()
    text = (text or "")[:MAX_CHARACTERS]
    wording = max(
        (
            _wording_hits(text, loaded.languages[code], loaded.settings)
            for code in languages_to_try(language)
        ),
        key=lambda hits: _score(hits, loaded.weights),
    )
    hits = {
        **wording,
        **_writing_hits(text, loaded),
        **_history_hits(text, history or {}, loaded),
    }
    found = [cue for cue in ALL_CUES if hits.get(cue, 0) > 0]
    return {"score": _score(hits, loaded.weights), "cues": found}


def _score(hits: Mapping[str, int], weights: Mapping[str, float]) -> float:
    calm = math.prod((1 - weights[cue]) ** count for cue, count in hits.items())
    return round(1 - calm, 3)


def _wording_hits(text: str, language: LanguageVocabulary, settings: Settings) -> dict[str, int]:
    tokens = blank_out(language.writing.tokenize(text), language.idioms)
    # Overlapping matches are one cue said once: "vou reclamar na ANS" is not two threats.
    last_end: dict[str, int] = {}
    hits: dict[str, int] = {}
    for match in language.cues.find(tokens):
        if match.start <= last_end.get(match.tag, -1):
            continue
        if language.writing.negates(tokens, match, settings.negation_window):
            continue
        last_end[match.tag] = match.end
        hits[match.tag] = min(hits.get(match.tag, 0) + 1, settings.max_hits_per_cue)
    return hits


def _writing_hits(text: str, loaded: FrustrationVocabulary) -> dict[str, int]:
    settings = loaded.settings
    words = _WORD.findall(text)
    shouted = [word for word in words if word.isupper()]
    shouting = (
        len(words) >= settings.shouting_min_words
        and len(shouted) >= settings.shouting_min_words
        and len(shouted) / len(words) >= settings.shouting_min_share
    )
    return {
        "shouting": int(shouting),
        "repeated_punctuation": int(bool(settings.punctuation_run.search(text))),
        "angry_emoji": int(any(emoji in text for emoji in loaded.angry_emoji)),
    }


def _history_hits(
    text: str, history: Mapping[str, Any], loaded: FrustrationVocabulary
) -> dict[str, int]:
    settings = loaded.settings
    # History comes from channel metadata: anything malformed is ignored, never an error.
    earlier = history.get("recent_member_texts")
    earlier_texts = [t for t in earlier if isinstance(t, str)] if isinstance(earlier, list) else []
    fallbacks = history.get("fallbacks_in_a_row")
    if isinstance(fallbacks, bool) or not isinstance(fallbacks, int):
        fallbacks = 0
    repeats = sum(
        _same_question(text, previous, settings)
        for previous in earlier_texts[-settings.repeat_look_back :]
    )
    return {
        "repeated_question": min(repeats, settings.max_hits_per_cue),
        "repeated_fallbacks": min(max(fallbacks, 0), settings.fallbacks_max_counted),
    }


def _same_question(text: str, previous: str, settings: Settings) -> bool:
    words, previous_words = _comparable(text), _comparable(previous)
    if len(words) < settings.repeat_min_words or len(previous_words) < settings.repeat_min_words:
        return False
    ratio = difflib.SequenceMatcher(None, " ".join(words), " ".join(previous_words)).ratio()
    shared = set(words) & set(previous_words)
    jaccard = len(shared) / len(set(words) | set(previous_words))
    return ratio >= settings.repeat_min_ratio or jaccard >= settings.repeat_min_jaccard


def _comparable(text: str) -> list[str]:
    # Folded words only: "CADÊ MEU REEMBOLSO???" repeats "cade meu reembolso".
    return [token.text for token in tokenize(text)]


@lru_cache(maxsize=1)
def frustration_vocabulary() -> FrustrationVocabulary:
    """frustration.yml, read and checked once per process."""
    where = "frustration.yml"
    content = vocabulary.mapping(
        vocabulary.load(where), where, allowed=["settings", "weights", "angry_emoji", "languages"]
    )
    raw = vocabulary.mapping(content.get("settings"), f"{where}:settings", allowed=_SETTING_RANGES)
    missing = set(_SETTING_RANGES) - set(raw)
    if missing:
        raise vocabulary.VocabularyError(f"{where}:settings: missing {sorted(missing)}")
    value = {
        key: vocabulary.number(raw[key], f"{where}:settings.{key}", low=low, high=high)
        for key, (low, high) in _SETTING_RANGES.items()
    }
    settings = Settings(
        max_hits_per_cue=int(value["max_hits_per_cue"]),
        negation_window=int(value["negation_window"]),
        shouting_min_words=int(value["shouting_min_words"]),
        shouting_min_share=value["shouting_min_share"],
        punctuation_run=re.compile(rf"[!?¡¿]{{{int(value['punctuation_min_run'])},}}"),
        repeat_look_back=int(value["repeat_look_back"]),
        repeat_min_words=int(value["repeat_min_words"]),
        repeat_min_ratio=value["repeat_min_ratio"],
        repeat_min_jaccard=value["repeat_min_jaccard"],
        fallbacks_max_counted=int(value["fallbacks_max_counted"]),
    )
    weights_section = vocabulary.mapping(
        content.get("weights"), f"{where}:weights", allowed=ALL_CUES
    )
    if set(weights_section) != set(ALL_CUES):
        missing_weights = sorted(set(ALL_CUES) - set(weights_section))
        raise vocabulary.VocabularyError(f"{where}:weights: missing {missing_weights}")
    weights = {
        cue: vocabulary.number(weight, f"{where}:weights.{cue}", low=0, high=0.95)
        for cue, weight in weights_section.items()
    }
    options = MatchOptions(
        max_gap=int(value["max_words_between"]),
        typo_tolerance_from=int(value["typo_tolerance_from_letters"]),
    )
    languages_section = vocabulary.per_language(content.get("languages"), f"{where}:languages")
    return FrustrationVocabulary(
        settings=settings,
        weights=weights,
        angry_emoji=tuple(vocabulary.strings(content.get("angry_emoji"), f"{where}:angry_emoji")),
        languages={
            language: _language_vocabulary(language, languages_section.get(language), options)
            for language in vocabulary.LANGUAGES
        },
    )


# Each setting's sensible range: a value outside it is a typo, not a tuning.
_SETTING_RANGES = {
    "max_words_between": (0, 10),
    "typo_tolerance_from_letters": (4, 50),
    "negation_window": (0, 10),
    "max_hits_per_cue": (1, 10),
    "shouting_min_words": (1, 50),
    "shouting_min_share": (0.5, 1),
    "punctuation_min_run": (2, 20),
    "repeat_look_back": (1, 50),
    "repeat_min_words": (1, 50),
    "repeat_min_ratio": (0.5, 1),
    "repeat_min_jaccard": (0.3, 1),
    "fallbacks_max_counted": (1, 20),
}


def _language_vocabulary(language: str, section: Any, options: MatchOptions) -> LanguageVocabulary:
    where = f"frustration.yml:languages.{language}"
    section = vocabulary.mapping(section, where, allowed=["word_lists", "idioms", "cues"])
    word_lists = vocabulary.word_lists(section.get("word_lists"), f"{where}.word_lists")
    cues = vocabulary.mapping(section.get("cues"), f"{where}.cues", allowed=WORDING_CUES)
    writing = writing_by_language()[language]
    tagged = [
        (cue, phrase)
        for cue, phrases in cues.items()
        for phrase in vocabulary.strings(phrases, f"{where}.cues.{cue}")
    ]
    idioms = [("idiom", p) for p in vocabulary.strings(section.get("idioms"), f"{where}.idioms")]
    try:
        return LanguageVocabulary(
            writing=writing,
            cues=PhraseMatcher(tagged, options, word_lists, writing.words_of),
            idioms=PhraseMatcher(idioms, options, word_lists, writing.words_of),
        )
    except PhraseError as error:
        raise vocabulary.VocabularyError(f"{where}: {error}") from error

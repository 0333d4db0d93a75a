"""Finds vocabulary phrases in a tokenised message, the way members actually write them.

A phrase is a few words in order; up to `max_gap` other words may come between two of them, within
one clause, so "dor peito" also finds "dor no peito" and "dor muito forte no peito". A word may be:

- a plain word, which also matches a one-letter typo when it is long enough ("desmaiuo");
- a stem ending in `*`, matching any ending ("desmai*": desmaiou, desmaiada, desmaio);
- `{list}`, any entry of a named word list (entries may have several words);
- `@number`, any number; `@fever_temperature` / `@high_temperature`, a temperature at or above the
  configured thresholds.

Two words joined by `+` ("{at}+{er_place}") must be next to each other: "estou em São Paulo, qual
UPA?" is not "estou na UPA". A phrase starting with `^` must start a sentence, one ending with `$`
must end it: "^emergencia$" is a message that only says "EMERGÊNCIA!!!".
"""

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.signals.text import Token, fold

NUMBER = "@number"
FEVER_TEMPERATURE = "@fever_temperature"
HIGH_TEMPERATURE = "@high_temperature"
SPECIAL_WORDS = (NUMBER, FEVER_TEMPERATURE, HIGH_TEMPERATURE)
ADJACENT = "+"
SENTENCE_START = "^"
SENTENCE_END = "$"
MIN_STEM_LETTERS = 3
MAX_NESTING = 3
_WORD_LIST = re.compile(r"\{(\w+)\}")
# Words of a folded phrase: "pronto-socorro" is two words, as it is in a tokenised message.
_PHRASE_WORD = re.compile(r"@[a-z_]+|[a-z0-9]+\*?|\*|[+^$]")


def phrase_words(phrase: str) -> list[str]:
    """A phrase's words in the form tokens have; `+` stays as a marker between two words."""
    return _PHRASE_WORD.findall(fold(phrase))


class PhraseError(ValueError):
    """A vocabulary phrase that cannot be matched as written."""


@dataclass(frozen=True)
class Match:
    tag: str
    start: int
    end: int  # index of the phrase's last token
    words: tuple[int, ...] = ()  # where each of the phrase's words is; the rest are gap words

    def gap_positions(self) -> list[int]:
        return [p for p in range(self.start, self.end + 1) if p not in self.words]


@dataclass(frozen=True)
class MatchOptions:
    max_gap: int = 0
    typo_tolerance_from: int | None = None  # letters a word needs before a typo is forgiven
    fever_temperature: float | None = None
    high_temperature: float | None = None


def expand(phrase: str, word_lists: Mapping[str, Sequence[str]], depth: int = 0) -> list[str]:
    """Every phrase a template stands for: "{child} febre" -> ["filho febre", "filha febre"].
    Word list entries may use other word lists ("{baby} de 2 meses")."""
    names = _WORD_LIST.findall(phrase)
    if not names:
        return [phrase]
    if depth > MAX_NESTING:
        raise PhraseError(f"{phrase!r}: word lists nested more than {MAX_NESTING} deep")
    for name in names:
        if name not in word_lists:
            raise PhraseError(f"{phrase!r} uses the word list {{{name}}}, which is not defined")
    pieces = _WORD_LIST.split(phrase)
    choices = [
        [entry for item in word_lists[piece] for entry in expand(item, word_lists, depth + 1)]
        if index % 2
        else [piece]
        for index, piece in enumerate(pieces)
    ]
    return ["".join(combination) for combination in itertools.product(*choices)]


class PhraseMatcher:
    """Tagged phrases compiled once; `find` returns every place one of them occurs."""

    def __init__(
        self,
        tagged_phrases: Iterable[tuple[str, str]],
        options: MatchOptions | None = None,
        word_lists: Mapping[str, Sequence[str]] | None = None,
        words_of: Callable[[str], list[str]] = phrase_words,
    ) -> None:
        self.options = options or MatchOptions()
        self._words_of = words_of
        self._pattern_ids: dict[str, int] = {}
        self._exact: dict[str, int] = {}
        self._stems: dict[str, int] = {}
        self._typo_keys: dict[str, set[str]] = defaultdict(set)
        # Each phrase word is (pattern, how many other words may come before it).
        self._phrases: list[tuple[str, tuple[tuple[int, int], ...]]] = []
        self._must_start: set[int] = set()  # phrases that must start a sentence
        self._must_end: set[int] = set()  # phrases that must end one
        self._by_first_pattern: dict[int, list[int]] = defaultdict(list)
        for tag, template in tagged_phrases:
            for phrase in expand(template, word_lists or {}):
                self._add(tag, template, phrase)

    def __len__(self) -> int:
        return len(self._phrases)

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        patterns = [self._patterns_of(token) for token in tokens]
        found: dict[tuple[str, int], Match] = {}
        for start, starting in enumerate(patterns):
            for pattern in starting:
                for phrase_index in self._by_first_pattern.get(pattern, ()):
                    if phrase_index in self._must_start and not _starts_sentence(tokens, start):
                        continue
                    tag, words = self._phrases[phrase_index]
                    must_end = phrase_index in self._must_end
                    positions = self._extend(words, (start,), tokens, patterns, must_end)
                    key = (tag, start)
                    if positions is not None and (
                        key not in found or positions[-1] < found[key].end
                    ):
                        found[key] = Match(tag, start, positions[-1], positions)
        return sorted(found.values(), key=lambda match: (match.start, match.end, match.tag))

    def _add(self, tag: str, template: str, phrase: str) -> None:
        compiled: list[tuple[int, int]] = []
        adjacent = False
        words = self._words_of(phrase)
        must_start = words[:1] == [SENTENCE_START]
        must_end = words[-1:] == [SENTENCE_END]
        for word in words[int(must_start) : len(words) - int(must_end)]:
            if word in (SENTENCE_START, SENTENCE_END):
                raise PhraseError(f"{template!r}: ^ only starts a phrase and $ only ends one")
            if word == ADJACENT:
                if not compiled:
                    raise PhraseError(f"{template!r} starts with {ADJACENT}")
                adjacent = True
                continue
            gap = 0 if adjacent else self.options.max_gap
            compiled.append((self._pattern_id(word, template), gap))
            adjacent = False
        if not compiled or adjacent:
            raise PhraseError(f"{template!r} has no words, or ends with {ADJACENT}")
        self._phrases.append((tag, tuple(compiled)))
        if must_start:
            self._must_start.add(len(self._phrases) - 1)
        if must_end:
            self._must_end.add(len(self._phrases) - 1)
        self._by_first_pattern[compiled[0][0]].append(len(self._phrases) - 1)

    def _pattern_id(self, word: str, template: str) -> int:
        if word not in self._pattern_ids:
            self._pattern_ids[word] = len(self._pattern_ids)
            pattern = self._pattern_ids[word]
            if word.endswith("*"):
                stem = word[:-1]
                if len(stem) < MIN_STEM_LETTERS:
                    raise PhraseError(f"{template!r}: a stem needs {MIN_STEM_LETTERS}+ letters")
                self._stems[stem] = pattern
            elif (word == HIGH_TEMPERATURE and self.options.high_temperature is None) or (
                word == FEVER_TEMPERATURE and self.options.fever_temperature is None
            ):
                raise PhraseError(f"{template!r} uses {word} without a threshold")
            elif word.startswith("@") and word not in SPECIAL_WORDS:
                raise PhraseError(f"{template!r}: {word} is not one of {SPECIAL_WORDS}")
            elif word not in SPECIAL_WORDS:
                self._exact[word] = pattern
                if self._forgives_typos_in(word):
                    for key in _one_deletion_keys(word):
                        self._typo_keys[key].add(word)
        return self._pattern_ids[word]

    def _forgives_typos_in(self, word: str) -> bool:
        shortest = self.options.typo_tolerance_from
        return shortest is not None and len(word) >= shortest and word.isalpha()

    def _patterns_of(self, token: Token) -> set[int]:
        word = token.text
        if not word:
            return set()
        found = set()
        if word in self._exact:
            found.add(self._exact[word])
        for length in range(MIN_STEM_LETTERS, len(word) + 1):
            if word[:length] in self._stems:
                found.add(self._stems[word[:length]])
        if NUMBER in self._pattern_ids and (word.isdigit() or token.temperature is not None):
            found.add(self._pattern_ids[NUMBER])
        for special, threshold in (
            (FEVER_TEMPERATURE, self.options.fever_temperature),
            (HIGH_TEMPERATURE, self.options.high_temperature),
        ):
            if token.temperature is None or threshold is None or special not in self._pattern_ids:
                continue
            if token.temperature >= threshold:
                found.add(self._pattern_ids[special])
        if self._typo_keys and word.isalpha() and len(word) >= 4:
            for key in _one_deletion_keys(word):
                for candidate in self._typo_keys.get(key, ()):
                    if candidate[0] == word[0] and _within_one_edit(candidate, word):
                        found.add(self._exact[candidate])
        return found

    def _extend(
        self,
        words: tuple[tuple[int, int], ...],
        found: tuple[int, ...],
        tokens: Sequence[Token],
        patterns: list[set[int]],
        must_end: bool,
    ) -> tuple[int, ...] | None:
        """Positions of all the phrase's words, given those of the first `len(found)`."""
        last = found[-1]
        if len(found) == len(words):
            return found if not must_end or _ends_sentence(tokens, last) else None
        pattern, gap = words[len(found)]
        furthest = min(last + 2 + gap, len(tokens))
        for position in range(last + 1, furthest):
            if tokens[position].clause != tokens[last].clause:
                break
            if pattern in patterns[position]:
                positions = self._extend(words, (*found, position), tokens, patterns, must_end)
                if positions is not None:
                    return positions
        return None


def _starts_sentence(tokens: Sequence[Token], position: int) -> bool:
    return position == 0 or tokens[position - 1].sentence != tokens[position].sentence


def _ends_sentence(tokens: Sequence[Token], position: int) -> bool:
    return position == len(tokens) - 1 or tokens[position + 1].sentence != tokens[position].sentence


def blank_out(tokens: Sequence[Token], matcher: PhraseMatcher) -> list[Token]:
    """The tokens with every match of `matcher` (idioms: "morrendo de rir") blanked, so that no
    other phrase can use their words."""
    blanked = list(tokens)
    for match in matcher.find(tokens):
        for position in range(match.start, match.end + 1):
            token = blanked[position]
            blanked[position] = Token("", token.sentence, token.clause)
    return blanked


def _one_deletion_keys(word: str) -> set[str]:
    return {word} | {word[:index] + word[index + 1 :] for index in range(len(word))}


def _within_one_edit(expected: str, written: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if expected == written:
        return True
    if abs(len(expected) - len(written)) > 1:
        return False
    if len(expected) == len(written):
        differences = [i for i, (a, b) in enumerate(zip(expected, written, strict=True)) if a != b]
        if len(differences) == 1:
            return True
        first, *rest = differences
        return (
            len(differences) == 2
            and rest[0] == first + 1
            and expected[first] == written[first + 1]
            and expected[first + 1] == written[first]
        )
    shorter, longer = sorted((expected, written), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))

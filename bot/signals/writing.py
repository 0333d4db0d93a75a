"""Per-language facts about how members write (writing.yml), shared by both signals."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.signals import vocabulary
from bot.signals.phrases import Match, phrase_words
from bot.signals.text import Token, fold, tokenize


@dataclass(frozen=True)
class Writing:
    abbreviations: dict[str, str]
    # Word pairs read as one word, so that "socorro" in "pronto-socorro" is not a cry for help.
    compounds: tuple[tuple[str, ...], ...]
    negations: frozenset[str]
    negation_exceptions: frozenset[str]
    clause_words: frozenset[str]

    def tokenize(self, text: str) -> list[Token]:
        tokens = tokenize(text, self.abbreviations, self.clause_words)
        return _join_compounds(tokens, self.compounds)

    def words_of(self, phrase: str) -> list[str]:
        """A vocabulary phrase's words, normalised exactly as a message's tokens are."""
        words: list[str] = []
        for word in phrase_words(phrase):
            if word.isalnum():
                words.extend(self.abbreviations.get(word, word).split())
            else:
                words.append(word)
        return _join_compound_words(words, self.compounds)

    def negates(self, tokens: Sequence[Token], match: Match, window: int) -> bool:
        """Whether a negation word stands within `window` words before the match, in its clause,
        or between its words: "é urgente, não é emergência" is not "é ... emergência"."""
        for position in match.gap_positions():
            if self._negation_at(tokens, position):
                return True
        for position in range(match.start - 1, max(match.start - window, 0) - 1, -1):
            if tokens[position].clause != tokens[match.start].clause:
                return False
            if tokens[position].text in self.negations:
                return self._negation_at(tokens, position)
        return False

    def _negation_at(self, tokens: Sequence[Token], position: int) -> bool:
        following = tokens[position + 1].text if position + 1 < len(tokens) else ""
        return tokens[position].text in self.negations and following not in self.negation_exceptions


def _join_compounds(tokens: list[Token], compounds: tuple[tuple[str, ...], ...]) -> list[Token]:
    joined: list[Token] = []
    position = 0
    while position < len(tokens):
        for compound in compounds:
            candidate = tokens[position : position + len(compound)]
            if tuple(token.text for token in candidate) == compound and (
                candidate[0].clause == candidate[-1].clause
            ):
                first = candidate[0]
                joined.append(Token("".join(compound), first.sentence, first.clause))
                position += len(compound)
                break
        else:
            joined.append(tokens[position])
            position += 1
    return joined


def _join_compound_words(words: list[str], compounds: tuple[tuple[str, ...], ...]) -> list[str]:
    # A phrase's words are one clause, so the tokens' joining rule applies as it is.
    tokens = [Token(word, sentence=0, clause=0) for word in words]
    return [token.text for token in _join_compounds(tokens, compounds)]


@lru_cache(maxsize=1)
def writing_by_language() -> dict[str, Writing]:
    content = vocabulary.per_language(vocabulary.load("writing.yml"), "writing.yml")
    loaded = {}
    for language in vocabulary.LANGUAGES:
        where = f"writing.yml:{language}"
        section = vocabulary.mapping(
            content.get(language),
            where,
            allowed=[
                "abbreviations",
                "compounds",
                "negations",
                "negation_exceptions",
                "clause_words",
            ],
        )
        compounds = vocabulary.strings(section.get("compounds"), f"{where}.compounds")
        if any(len(compound.split()) < 2 for compound in compounds):
            raise vocabulary.VocabularyError(f"{where}.compounds: each needs two or more words")
        loaded[language] = Writing(
            abbreviations=vocabulary.folded_word_map(
                section.get("abbreviations"), f"{where}.abbreviations"
            ),
            compounds=tuple(
                # Longest first, so that a three-word compound wins over a two-word one inside it.
                sorted((tuple(fold(c).split()) for c in compounds), key=len, reverse=True)
            ),
            negations=vocabulary.folded_words(section.get("negations"), f"{where}.negations"),
            negation_exceptions=vocabulary.folded_words(
                section.get("negation_exceptions"), f"{where}.negation_exceptions"
            ),
            clause_words=vocabulary.folded_words(
                section.get("clause_words"), f"{where}.clause_words"
            ),
        )
    return loaded


def languages_to_try(language: str | None) -> tuple[str, ...]:
    """The language's own vocabulary, or every one when the message did not say which it is."""
    for known in vocabulary.LANGUAGES:
        if language == known:
            return (known,)
    return vocabulary.LANGUAGES

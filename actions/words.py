"""The short words journeys put inside their sentences, per language (actions/words.yml)."""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

WORDS_FILE = Path(__file__).with_name("words.yml")
LANGUAGES = ("pt", "es")


@cache
def _words() -> dict[str, Any]:
    words = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    missing = [language for language in LANGUAGES if language not in words]
    if missing:
        raise ValueError(f"{WORDS_FILE.name}: no words for {missing}")
    return words


def word(group: str, key: str, language: str) -> str:
    """One word; the key itself when a new value has no word yet (better than nothing)."""
    table = _words()[_language(language)].get(group) or {}
    return str(table.get(key, key))


def phrase(name: str, language: str, **values: Any) -> str:
    """A phrase with its blanks filled: phrase("offer_free", "pt", n=3, amount="R$ 10,00")."""
    return str(_words()[_language(language)][name]).format(**values)


def count(group: str, n: int, language: str) -> str:
    """ "1 dia útil", "3 dias úteis"."""
    forms = _words()[_language(language)][group]
    return str(forms["one" if abs(n) == 1 else "many"]).format(n=n)


def vocabulary(group: str) -> frozenset[str]:
    """A list of words in every language at once: answers are read whatever the language."""
    return _vocabulary(group)


@cache
def _vocabulary(group: str) -> frozenset[str]:
    return frozenset(w for language in LANGUAGES for w in _words()[language].get(group) or [])


def listing(items: list[str], language: str) -> str:
    """ "a, b e c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_words()[_language(language)]['and']} {items[-1]}"


def fold(text: str) -> str:
    """Lower case without accents, so "Não sei", "nao sei" and "NÃO SEI" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def mentions(text: str, terms: Iterable[str]) -> bool:
    """Whether `text` says one of `terms`, accents and case aside: whole words, or word starts
    for a term ending in * ("filh*" finds "filhinha"; "pai" does not find "paisagem")."""
    folded = fold(text)
    return any(re.search(_term_pattern(term), folded) for term in terms)


@cache
def _term_pattern(term: str) -> str:
    body = re.escape(term.rstrip("*"))
    return rf"(?<!\w){body}" + ("" if term.endswith("*") else r"(?!\w)")


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "pt"

"""Reads the YAML vocabularies product people tune, and refuses malformed ones at start-up.

A typo in a vocabulary file should stop the assistant from loading, with a message naming the file
and the key, not silently switch a red signal off.
"""

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.signals.text import fold

HERE = Path(__file__).parent
LANGUAGES = ("pt", "es")


class WordsLoader(yaml.SafeLoader):
    """YAML 1.1 reads yes/no/on/off as booleans; here only true/false are, because "no" is the
    Spanish negation and belongs in a word list as written."""


WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WordsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


class VocabularyError(ValueError):
    """A vocabulary file that does not say what the code needs."""


def load(name: str) -> dict[str, Any]:
    path = HERE / name
    with path.open(encoding="utf-8") as file:
        content = yaml.load(file, Loader=WordsLoader)  # noqa: S506 - a SafeLoader
    if not isinstance(content, dict):
        raise VocabularyError(f"{path}: expected a mapping at the top")
    return content


def mapping(value: Any, where: str, *, allowed: Iterable[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise VocabularyError(f"{where}: expected a mapping")
    if allowed is None:
        return value
    allowed = list(allowed)
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise VocabularyError(f"{where}: unknown keys {unknown}; expected some of {list(allowed)}")
    return value


def strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise VocabularyError(f"{where}: expected a list of non-empty strings")
    return value


def number(value: Any, where: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise VocabularyError(f"{where}: expected a number from {low} to {high}")
    return float(value)


def folded_word_map(value: Any, where: str) -> dict[str, str]:
    """Abbreviations: {"vc": "voce"}, compared in folded form like everything else."""
    entries = mapping(value or {}, where)
    if not all(isinstance(key, str) and isinstance(item, str) for key, item in entries.items()):
        raise VocabularyError(f"{where}: expected short form -> expansion, both strings")
    return {fold(key): fold(item) for key, item in entries.items()}


def folded_words(value: Any, where: str) -> frozenset[str]:
    return frozenset(fold(word) for word in strings(value, where))


def word_lists(value: Any, where: str) -> dict[str, list[str]]:
    lists = mapping(value or {}, where)
    return {name: strings(items, f"{where}.{name}") for name, items in lists.items()}


def per_language(value: Any, where: str) -> Mapping[str, Any]:
    return mapping(value, where, allowed=LANGUAGES)

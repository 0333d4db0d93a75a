"""Entity ruler patterns, made from entity_patterns.yml."""

from pathlib import Path
from typing import Any

import yaml

PATTERNS_FILE = Path(__file__).with_name("entity_patterns.yml")

Pattern = dict[str, Any]
# Words that join numbers ("cento e vinte", "ciento y veinte") but never start one.
CONNECTORS = {"e", "y"}


def load_vocabulary(path: Path = PATTERNS_FILE) -> dict[str, Any]:
    vocabulary = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = {
        "numbers",
        "currency_symbols",
        "currency_words",
        "instalment_words",
        "relative_dates",
        "weekdays",
        "months",
        "regexes",
    } - set(vocabulary)
    if missing:
        raise ValueError(f"{path.name} lacks {sorted(missing)}")
    return vocabulary


def _both(vocabulary: dict[str, Any], key: str) -> list[str]:
    return sorted({word for words in vocabulary[key].values() for word in words})


def _regex(vocabulary: dict[str, Any], name: str) -> Pattern:
    return {"TEXT": {"REGEX": vocabulary["regexes"][name]}}


def entity_patterns(vocabulary: dict[str, Any]) -> list[Pattern]:
    """Every pattern as the spaCy EntityRuler takes it: {"label", "pattern"}."""
    number_words = _both(vocabulary, "numbers")
    first_number_word = {"LOWER": {"IN": [w for w in number_words if w not in CONNECTORS]}}
    more_number_words = {"LOWER": {"IN": number_words}, "OP": "*"}
    money_number = _regex(vocabulary, "money_number")
    currency_word = {"LOWER": {"IN": vocabulary["currency_words"]}}
    instalment_word = {"LOWER": {"IN": vocabulary["instalment_words"]}}
    preposition = {"LOWER": {"IN": ["em", "en"]}, "OP": "?"}
    card_group = _regex(vocabulary, "card_group")
    months = {"LOWER": {"IN": _both(vocabulary, "months")}}
    day = _regex(vocabulary, "day_number")

    by_label: dict[str, list[list[Pattern]]] = {
        "cpf": [[_regex(vocabulary, "cpf")]],
        "protocol": [[_regex(vocabulary, "protocol")], [_regex(vocabulary, "request_number")]],
        "member_card": [
            [_regex(vocabulary, "member_card")],
            [card_group] * 4,
            [card_group] * 5,
        ],
        "amount": [
            [{"LOWER": {"IN": vocabulary["currency_symbols"]}}, money_number],
            [money_number, currency_word],
            [money_number, {"LOWER": "mil"}, currency_word],
            [first_number_word, more_number_words, currency_word],
            [_regex(vocabulary, "money_k")],
        ],
        "date": [
            [_regex(vocabulary, "short_date")],
            [{"LOWER": "dia"}, day],
            [{"LOWER": {"IN": ["dia", "el", "o"]}, "OP": "?"}, day, {"LOWER": "de"}, months],
            *([{"LOWER": word} for word in phrase] for phrase in vocabulary["relative_dates"]),
            # "segunda" alone is also "second" (segunda via): a weekday needs its preposition.
            [
                {
                    "LOWER": {
                        "IN": [
                            "na",
                            "no",
                            "nesta",
                            "neste",
                            "proxima",
                            "próxima",
                            "proximo",
                            "próximo",
                        ]
                    }
                },
                {"LOWER": {"IN": vocabulary["weekdays"]["pt"]}},
            ],
            [
                {"LOWER": {"IN": ["el", "este", "proximo", "próximo"]}, "OP": "?"},
                {"LOWER": {"IN": vocabulary["weekdays"]["es"]}},
            ],
        ],
        "installments": [
            [preposition, _regex(vocabulary, "times")],
            [preposition, _regex(vocabulary, "small_number"), instalment_word],
            [preposition, first_number_word, instalment_word],
        ],
    }
    return [
        {"label": label, "pattern": pattern}
        for label, patterns in by_label.items()
        for pattern in patterns
    ]

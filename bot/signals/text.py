"""Turns a WhatsApp message into the tokens the signal vocabularies are matched against.

Members write without accents, in capitals, with stretched letters ("peitooo", "socorrooo") and
abbreviations ("vc", "hj"). Vocabulary phrases go through the same normalisation as messages, so a
product person writes "dor no peito" once and it also matches "DOR NO PEITOO".
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

# WhatsApp caps a text message at 4096 characters; anything longer is pasted text, and looking at
# its start keeps a pathological input from costing seconds per message.
MAX_CHARACTERS = 8192

# Temperatures members write: "39,5", "39.5", "40", "39 e meio"; a unit right after the number
# ("40 anos", "40 reais") says it is not a temperature.
TEMPERATURE_RANGE = (35.0, 43.0)
NOT_TEMPERATURE_UNITS = frozenset(
    [
        "ano",
        "anos",
        "dia",
        "dias",
        "mes",
        "meses",
        "semana",
        "semanas",
        "hora",
        "horas",
        "h",
        "min",
        "minuto",
        "minutos",
        "kg",
        "kilo",
        "kilos",
        "quilo",
        "quilos",
        "real",
        "reais",
        "r",
        "peso",
        "pesos",
        "euro",
        "euros",
        "mil",
        "por",
        "porciento",
        "x",
        "vez",
        "vezes",
        "veces",
        "cuota",
        "cuotas",
        "parcela",
        "parcelas",
        "numero",
    ]
)
NOT_TEMPERATURE_PREFIXES = frozenset({"r", "rs", "us", "usd", "eur", "n", "numero"})

_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*")
_STRETCHED_LETTER = re.compile(r"([a-z])\1+")
_DEGREES = re.compile(r"(\d)\s*[°º]")
_AND_A_HALF = re.compile(r"\b(\d{2})\s+(?:e|y)\s+(?:meio|medio)\b")
# A sentence ends at . ! ? ; or a line break, but not at the comma or dot of "39,5".
_SENTENCE_END = re.compile(r"[!?;\n]|\.(?!\d)")
_CLAUSE_END = re.compile(r",(?!\d)|:|\s-\s|\(|\)")
# Words that start a new clause ("não é emergência, mas meu pai desmaiou"); each language's own
# list is in writing.yml, since folded Spanish "más" (more) is Portuguese "mas" (but).
CLAUSE_WORDS = frozenset({"mas", "pero", "porem", "entretanto", "contudo"})


@dataclass(frozen=True)
class Token:
    text: str
    sentence: int
    clause: int
    temperature: float | None = None


def fold(text: str) -> str:
    """Lower case, no accents, no stretched letters: the form every comparison uses."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _STRETCHED_LETTER.sub(r"\1", plain)


def tokenize(
    text: str,
    abbreviations: Mapping[str, str] | None = None,
    clause_words: frozenset[str] = CLAUSE_WORDS,
) -> list[Token]:
    """Split a message into folded word and number tokens, each tagged with its sentence and clause.

    `abbreviations` maps a folded short form to its folded expansion ("vc" -> "voce").
    """
    folded = fold(text[:MAX_CHARACTERS])
    folded = _DEGREES.sub(r"\1 graus", folded)
    folded = _AND_A_HALF.sub(r"\1.5", folded)
    tokens: list[Token] = []
    sentence = clause = 0
    position = 0
    for match in _TOKEN.finditer(folded):
        gap = folded[position : match.start()]
        position = match.end()
        if _SENTENCE_END.search(gap):
            sentence += 1
            clause += 1
        elif _CLAUSE_END.search(gap):
            clause += 1
        word = match.group()
        if word in clause_words:
            clause += 1
        expansion = (abbreviations or {}).get(word, word)
        for part in expansion.split():
            tokens.append(Token(part, sentence, clause))
    return _mark_temperatures(tokens)


def _mark_temperatures(tokens: list[Token]) -> list[Token]:
    marked = []
    for index, token in enumerate(tokens):
        value = _as_number(token.text)
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        preceding = tokens[index - 1].text if index > 0 else ""
        low, high = TEMPERATURE_RANGE
        if (
            value is not None
            and low <= value <= high
            and following not in NOT_TEMPERATURE_UNITS
            and preceding not in NOT_TEMPERATURE_PREFIXES
        ):
            token = Token(token.text, token.sentence, token.clause, temperature=value)
        marked.append(token)
    return marked


def _as_number(word: str) -> float | None:
    if not re.fullmatch(r"\d{2}(?:[.,]\d)?", word):
        return None
    return float(word.replace(",", "."))

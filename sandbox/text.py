"""Text as the sandbox receives and searches it: members' words are checked for characters a
database refuses, and folded (no accents, no case) for keyword and name matching."""

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """'Ressonância  Magnética!' → 'ressonancia magnetica': what keyword matching compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALNUM.sub(" ", bare.casefold()).strip()


def searchable(text: str) -> str:
    """What a search column stores: the folded words, each after a space, so that a word is
    looked for at the start of words (`contains(" " + word)`): "resso" finds "ressonância",
    "rm" does not find "dermatologia"."""
    return " " + fold(text)


def search_terms(query: str) -> list[str]:
    """The `contains` patterns of a query's words (see `searchable`)."""
    return [" " + word for word in fold(query).split()]


def compact_code(text: str) -> str:
    """'aut-2026-000123', 'AUT 2026 000123' → 'AUT2026000123'; '12.345.678-k' → '12345678K'."""
    return "".join(char for char in text if char.isascii() and char.isalnum()).upper()


def clean_text(value: str) -> str:
    """Collapse whitespace (newlines and tabs included); refuse control characters (PostgreSQL
    refuses NUL) and lone surrogates. Emoji and accents are welcome."""
    collapsed = " ".join(value.split())
    for char in collapsed:
        if unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError("text has control characters")
    return collapsed


# Free text from members or the bot: pair it with Field(max_length=...) or Query(max_length=...).
CleanText = Annotated[str, AfterValidator(clean_text)]


def blank_to_none(value: object) -> object:
    """For optional query parameters: `?kind=` (as clients fill an unset one) means "not given"."""
    return None if value == "" else value


def verbatim_text(value: str) -> str:
    """Keep the text exactly as sent (a hash covers it), but refuse what a database or UTF-8
    cannot hold: NUL, other control characters than newline, carriage return and tab, and lone
    surrogates."""
    for char in value:
        if char not in "\n\r\t" and unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError("text has control characters")
    return value


# Text another party signs or hashes (an agreement's terms): pair it with Field(max_length=...).
VerbatimText = Annotated[str, AfterValidator(verbatim_text)]

"""Identity documents per market: which one to ask for, finding it in what the member wrote, and
showing it back without exposing it.

Brazil: CPF (11 digits, two check digits; validate-docbr). Chile: RUT (mod-11 check digit, may be
K; python-stdnum). Spain: DNI or NIE (check letter; python-stdnum). A member writing in Spanish
before we know their market may give either a RUT or a DNI/NIE.
"""

import re
from collections.abc import Callable
from typing import Literal

from stdnum.cl import rut
from stdnum.es import dni, nie
from validate_docbr import CPF

DocumentKind = Literal["cpf", "rut", "dni", "nie"]
# What to ask the member for: "dni" covers DNI and NIE; "rut_or_dni" is a Spanish speaker whose
# market is not known yet.
DocumentRequest = Literal["cpf", "rut", "dni", "rut_or_dni"]

_KINDS: dict[str, tuple[DocumentKind, ...]] = {
    "br": ("cpf",),
    "pt": ("cpf",),
    "pt-br": ("cpf",),
    "cl": ("rut",),
    "es-cl": ("rut",),
    "es": ("rut", "dni", "nie"),
    "es-es": ("dni", "nie"),
}
_MARKET_ES = "es-es"  # the market code ES is also the language code es

# Separators people type inside a number: dots, dashes, spaces, slashes.
_CPF = re.compile(r"(?<![\dA-Za-z])(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})\s?[-.\s/]?\s?(\d{2})(?!\d)")
_RUT = re.compile(r"(?<![\dA-Za-z])(\d{1,2}(?:[.\s]?\d{3}){2})\s?-?\s?([\dkK])(?![\dA-Za-z])")
_DNI = re.compile(r"(?<![\dA-Za-z])(\d{2}[.\s]?\d{3}[.\s]?\d{3})\s?-?\s?([A-Za-z])(?![\dA-Za-z])")
_NIE = re.compile(r"(?<![\dA-Za-z])([XYZxyz])\s?-?\s?(\d{7})\s?-?\s?([A-Za-z])(?![\dA-Za-z])")


def document_kinds_for(language_or_market: str) -> tuple[DocumentKind, ...]:
    """The documents accepted from a member of this market ("BR", "CL", "ES") or language
    ("pt", "es", "es-CL", ...). The market code "ES" means Spain; the language "es" means either
    Chile or Spain."""
    key = language_or_market.strip()
    if key == "ES":
        return _KINDS[_MARKET_ES]
    return _KINDS.get(key.lower(), ())


def document_kind_for(language_or_market: str) -> DocumentRequest:
    """Which document to ask for, to choose the question's wording."""
    kinds = document_kinds_for(language_or_market)
    if kinds == ("cpf",):
        return "cpf"
    if kinds == ("rut",):
        return "rut"
    if "rut" not in kinds and "dni" in kinds:
        return "dni"
    if not kinds:
        raise ValueError(f"no identity document known for {language_or_market!r}")
    return "rut_or_dni"


def clean_document(text: str, market: str) -> str | None:
    """The first valid document of the market found in free text, in compact form ("52998224725",
    "123456785", "12345678Z", "X1234567L"), or None. Check digits are verified, so a mistyped
    number is None rather than a wrong identity."""
    found = find_document(text, market)
    return found[1] if found else None


def find_document(text: str, market: str) -> tuple[DocumentKind, str] | None:
    """Like `clean_document`, with the kind of document found."""
    for kind in document_kinds_for(market):
        for candidate in _CANDIDATES[kind](text):
            if _VALID[kind](candidate):
                return kind, candidate
    return None


def masked(document: str, kind: DocumentKind) -> str:
    """The document for showing back to the member: never the whole number.

    CPF "***.***.247-25", RUT "**.***.678-5", DNI "*****678Z", NIE "X****567L". Anything that
    is not a complete document of that kind is masked entirely.
    """
    compact = re.sub(r"[^0-9A-Za-z]", "", document).upper()
    if kind == "cpf" and re.fullmatch(r"\d{11}", compact):
        return f"***.***.{compact[6:9]}-{compact[9:]}"
    if kind == "rut" and re.fullmatch(r"\d{7,8}[\dK]", compact):
        body, check = compact[:-1], compact[-1]
        hidden = "*" * (len(body) - 6) + ".***"
        return f"{hidden}.{body[-3:]}-{check}"
    if kind == "dni" and re.fullmatch(r"\d{8}[A-Z]", compact):
        return "*****" + compact[5:]
    if kind == "nie" and re.fullmatch(r"[XYZ]\d{7}[A-Z]", compact):
        return compact[0] + "****" + compact[5:]
    return "***"


def _cpf_candidates(text: str) -> list[str]:
    return ["".join(match.groups()) for match in _CPF.finditer(text)]


def _rut_candidates(text: str) -> list[str]:
    return [re.sub(r"\D", "", body) + check.upper() for body, check in _RUT.findall(text)]


def _dni_candidates(text: str) -> list[str]:
    return [re.sub(r"\D", "", body) + letter.upper() for body, letter in _DNI.findall(text)]


def _nie_candidates(text: str) -> list[str]:
    return [first.upper() + digits + letter.upper() for first, digits, letter in _NIE.findall(text)]


_CANDIDATES: dict[DocumentKind, Callable[[str], list[str]]] = {
    "cpf": _cpf_candidates,
    "rut": _rut_candidates,
    "dni": _dni_candidates,
    "nie": _nie_candidates,
}
_VALID: dict[DocumentKind, Callable[[str], bool]] = {
    "cpf": CPF().validate,
    "rut": rut.is_valid,
    "dni": dni.is_valid,
    "nie": nie.is_valid,
}

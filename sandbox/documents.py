"""Identity documents of the three markets: check digits, the compact form the sandbox compares,
and the masked form it shows. CPF (Brazil, 2 mod-11 digits), RUT (Chile, mod-11 digit that may be
K), DNI and NIE (Spain, mod-23 letter)."""

from enum import StrEnum

from sandbox.text import compact_code

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}


class DocumentType(StrEnum):
    CPF = "cpf"
    RUT = "rut"
    DNI = "dni"
    NIE = "nie"


def compact(document: str) -> str:
    """What the member typed, without dots, dashes and spaces, upper-cased: '12.345.678-k' →
    '12345678K'."""
    return compact_code(document)


def cpf_check_digits(first_nine: str) -> str:
    digits = [int(char) for char in first_nine]
    for _ in range(2):
        weights = range(len(digits) + 1, 1, -1)
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) * 10 % 11
        digits.append(0 if remainder == 10 else remainder)
    return f"{digits[-2]}{digits[-1]}"


def rut_check_digit(body: str) -> str:
    weights = (2, 3, 4, 5, 6, 7)
    total = sum(int(d) * weights[i % 6] for i, d in enumerate(reversed(body)))
    value = 11 - total % 11
    return {11: "0", 10: "K"}.get(value, str(value))


def dni_letter(number: str) -> str:
    return _DNI_LETTERS[int(number) % 23]


def nie_letter(prefix: str, seven_digits: str) -> str:
    return dni_letter(_NIE_PREFIX[prefix] + seven_digits)


def is_valid(document_type: str, value: str) -> bool:
    """Whether a compact document has the right shape and check digits."""
    kind = DocumentType(document_type)
    if kind is DocumentType.CPF:
        return (
            len(value) == 11
            and value.isdigit()
            and len(set(value)) > 1  # 000.000.000-00 and the like pass the arithmetic only
            and cpf_check_digits(value[:9]) == value[9:]
        )
    if kind is DocumentType.RUT:
        body, digit = value[:-1], value[-1:]
        return 7 <= len(body) <= 8 and body.isdigit() and rut_check_digit(body) == digit
    if kind is DocumentType.DNI:
        return len(value) == 9 and value[:8].isdigit() and dni_letter(value[:8]) == value[8]
    return (
        len(value) == 9
        and value[0] in _NIE_PREFIX
        and value[1:8].isdigit()
        and nie_letter(value[0], value[1:8]) == value[8]
    )


def masked(document_type: str, value: str) -> str:
    """Enough for the member to recognise their own document, not enough to use it."""
    kind = DocumentType(document_type)
    if kind is DocumentType.CPF:
        return f"***.***.{value[6:9]}-{value[9:]}"
    if kind is DocumentType.RUT:
        return f"**.***.{value[-4:-1]}-{value[-1]}"
    if kind is DocumentType.DNI:
        return f"*****{value[5:]}"
    return f"{value[0]}****{value[5:]}"

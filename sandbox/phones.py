"""Phone numbers as E.164 (`+5511987654321`): the form stored and compared, and a masked one."""

_COUNTRY_CODES = ("55", "56", "34")


def e164(phone: str) -> str:
    """'+55 (11) 98765-4321', '005511987654321', '5511987654321' → '+5511987654321'."""
    stripped = phone.strip()
    digits = "".join(char for char in stripped if char.isascii() and char.isdigit())
    if stripped.startswith("00"):
        digits = digits[2:]
    return f"+{digits}"


def masked(phone: str) -> str:
    """'+5511987654321' → '+55 11 *****-4321' (Brazil keeps the area code); '+34612345678' →
    '+34 *****-5678'."""
    digits = phone.lstrip("+")
    country = next((code for code in _COUNTRY_CODES if digits.startswith(code)), digits[:2])
    rest = digits[len(country) :]
    area = ""
    if country == "55":
        area, rest = f"{rest[:2]} ", rest[2:]
    return f"+{country} {area}{'*' * max(len(rest) - 4, 1)}-{rest[-4:]}"

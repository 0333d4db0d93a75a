"""The boleto's barcode (44 digits) and digitable line (47 digits), FEBRABAN layout.

Barcode: bank (3) + currency 9 (1) + general check digit (1) + due-date factor (4) + amount in
cents (10) + free field (25). The general digit is mod 11 over the other 43 digits (weights 2 to 9
from the right; 0, 10 and 11 become 1).

Digitable line: five fields. 1: bank + currency + free field 1-5 + mod-10 digit; 2: free field
6-15 + mod-10 digit; 3: free field 16-25 + mod-10 digit; 4: the general digit; 5: factor + amount.

Due-date factor: days since 1997-10-07 (Banco Central's base date). It reached 9999 on 2025-02-21;
FEBRABAN restarted it at 1000 on 2025-02-22, counting up again (9999 falls on 2049-10-13). Bills
due before the restart keep the old count. The sandbox only issues bills due from today on, so the
restarted count is the one in use.
"""

from dataclasses import dataclass
from datetime import date

FACTOR_BASE = date(1997, 10, 7)
FACTOR_RESTART = date(2025, 2, 22)  # factor 1000 again
_FIRST_FACTOR_DAY = date(2000, 7, 3)  # factor 1000 of the first count
_CURRENCY_REAL = "9"


@dataclass(frozen=True)
class Boleto:
    barcode: str
    digitable_line: str


def due_factor(due: date) -> int:
    if due < _FIRST_FACTOR_DAY:
        raise ValueError("due dates before 2000-07-03 have no factor")
    factor = (
        (due - FACTOR_BASE).days if due < FACTOR_RESTART else 1000 + (due - FACTOR_RESTART).days
    )
    if factor > 9999:
        raise ValueError("the due-date factor restarts again after 2049-10-13")
    return factor


def mod10(digits: str) -> int:
    """Field check digit: weights 2, 1, 2, 1... from the right; products' digits are summed."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def mod11(digits: str) -> int:
    """General check digit of the barcode."""
    total = sum(int(char) * (2 + position % 8) for position, char in enumerate(reversed(digits)))
    digit = 11 - total % 11
    return 1 if digit in (0, 10, 11) else digit


def free_field_bank_001(*, agreement: str, our_number_complement: str, wallet: str) -> str:
    """Banco do Brasil, 7-digit agreement: 000000 + agreement (7) + complement of the "nosso
    número" (10) + wallet (2)."""
    if not (len(agreement) == 7 and len(our_number_complement) == 10 and len(wallet) == 2):
        raise ValueError("agreement 7 digits, complement 10, wallet 2")
    return f"000000{agreement}{our_number_complement}{wallet}"


def make_boleto(*, bank_code: str, free_field: str, due: date, amount_cents: int) -> Boleto:
    if not (len(bank_code) == 3 and len(free_field) == 25):
        raise ValueError("bank code 3 digits, free field 25")
    if not 0 < amount_cents <= 9_999_999_999:
        raise ValueError("a boleto's amount has 10 digits of cents")
    tail = f"{due_factor(due):04d}{amount_cents:010d}"
    head = f"{bank_code}{_CURRENCY_REAL}"
    general = mod11(head + tail + free_field)
    barcode = f"{head}{general}{tail}{free_field}"
    field1 = head + free_field[:5]
    field2 = free_field[5:15]
    field3 = free_field[15:]
    line = f"{field1}{mod10(field1)}{field2}{mod10(field2)}{field3}{mod10(field3)}{general}{tail}"
    return Boleto(barcode=barcode, digitable_line=line)

"""What an overdue bill adds (rules.yml `billing.late_fees`): a one-off fine and simple interest
pro rata by day over 30-day months, each rounded half up to the currency's unit."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sandbox.rules import LateFees

_DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Charges:
    fine_cents: int
    interest_cents: int

    @property
    def total_cents(self) -> int:
        return self.fine_cents + self.interest_cents


def round_to_unit(cents: Decimal, *, minor_units: bool) -> int:
    """Half up to the cent, or to the whole unit (100 "cents") for currencies without minor
    units (CLP)."""
    unit = Decimal(1) if minor_units else Decimal(100)
    return int((cents / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit)


def late_charges(
    amount_cents: int, *, days_late: int, fees: LateFees, minor_units: bool
) -> Charges:
    if days_late <= 0:
        return Charges(fine_cents=0, interest_cents=0)
    amount = Decimal(amount_cents)
    fine = amount * fees.fine_percent / 100
    interest = amount * fees.monthly_interest_percent / 100 * days_late / _DAYS_PER_MONTH
    return Charges(
        fine_cents=round_to_unit(fine, minor_units=minor_units),
        interest_cents=round_to_unit(interest, minor_units=minor_units),
    )

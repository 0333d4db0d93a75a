"""The negotiation policy: which offers a member who owes may get, and the nearest one to what
they ask for. Deterministic and in integer cents, so the same debt always gets the same offers
and every instalment plan adds up exactly to its total.

Discounts apply to the late charges (fines and interest), never to what the care cost: the tiers
of policy.yml say how much of them may be waived.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

POLICY_FILE = Path(__file__).with_name("policy.yml")
TIERS = ("bronze", "prata", "ouro")
CONTRACTS = ("individual", "company")


class PolicyError(ValueError):
    """policy.yml says something the engine cannot apply; the action server does not start."""


@dataclass(frozen=True)
class Tier:
    name: str
    max_discount_percent: int
    max_installments: int


@dataclass(frozen=True)
class TierRule:
    tier: str
    min_days_overdue: int = 0
    min_total_cents: int = 0
    contract: str | None = None

    def matches(self, debt: "Debt") -> bool:
        return (
            debt.days_overdue >= self.min_days_overdue
            and debt.total_cents >= self.min_total_cents
            and self.contract in (None, debt.contract)
        )


@dataclass(frozen=True)
class Policy:
    tiers: dict[str, Tier]
    tier_rules: tuple[TierRule, ...]
    interest_free_installments: int
    monthly_interest: Decimal  # 0.01 for 1 %
    minimum_installment_cents: dict[str, int]
    first_due_within_days: int

    def tier_for(self, debt: "Debt") -> Tier:
        rule = next(rule for rule in self.tier_rules if rule.matches(debt))
        return self.tiers[rule.tier]


@dataclass(frozen=True)
class Debt:
    """What is owed: the bills' amounts (principal) and the late charges on them."""

    principal_cents: int
    charges_cents: int
    days_overdue: int
    contract: str
    currency: str

    @property
    def total_cents(self) -> int:
        return self.principal_cents + self.charges_cents


@dataclass(frozen=True)
class Installment:
    number: int
    due: date
    amount_cents: int


@dataclass(frozen=True)
class Offer:
    tier: str
    discount_cents: int
    interest_cents: int
    installments: tuple[Installment, ...]

    @property
    def total_cents(self) -> int:
        return sum(i.amount_cents for i in self.installments)

    @property
    def count(self) -> int:
        return len(self.installments)


# ---- offers ------------------------------------------------------------------------------------


def offers(debt: Debt, today: date, policy: Policy, payday: int | None = None) -> list[Offer]:
    """Up to three offers, the member's best deal first: all at once with the tier's whole
    discount; in the interest-free instalments with half of it; in the tier's most instalments,
    at the contract's interest. Offers the minimum instalment rules out, or that repeat one
    already made, are left out."""
    tier = policy.tier_for(debt)
    counts = [
        1,
        min(policy.interest_free_installments, tier.max_installments),
        tier.max_installments,
    ]
    made: list[Offer] = []
    for count in counts:
        offer = _fitting(debt, count, today, policy, tier, payday)
        if all(offer.count != m.count for m in made):
            made.append(offer)
    return made


def counter_offer(
    debt: Debt,
    today: date,
    policy: Policy,
    *,
    installments: int | None = None,
    monthly_cents: int | None = None,
    payday: int | None = None,
) -> Offer | None:
    """The offer nearest to what the member asked ("em 6 vezes", "posso pagar 100 por mês"), or
    None when the policy cannot reach it: a negotiator takes over then."""
    tier = policy.tier_for(debt)
    if installments is not None:
        if installments < 1 or installments > tier.max_installments:
            return None
        return _fitting(debt, installments, today, policy, tier, payday)
    if monthly_cents is not None:
        for count in range(1, tier.max_installments + 1):
            offer = _offer(debt, count, today, policy, tier, payday)
            if offer is not None and _largest(offer) <= monthly_cents:
                return offer
        return None
    return None


def _fitting(
    debt: Debt, count: int, today: date, policy: Policy, tier: Tier, payday: int | None
) -> Offer:
    """The offer in the most instalments up to `count` that keeps each above the minimum (one
    payment always does)."""
    for fewer in range(count, 1, -1):
        offer = _offer(debt, fewer, today, policy, tier, payday)
        if offer is not None:
            return offer
    offer = _offer(debt, 1, today, policy, tier, payday)
    assert offer is not None  # one payment has no minimum
    return offer


def _offer(
    debt: Debt, count: int, today: date, policy: Policy, tier: Tier, payday: int | None
) -> Offer | None:
    first_due = first_due_date(today, payday, policy)
    discount_percent = _discount_percent(count, tier, policy)
    discount = _cents(Decimal(debt.charges_cents) * discount_percent / 100)
    financed = debt.total_cents - discount
    if count > policy.interest_free_installments:
        payable = _cents(_price_installment(financed, count, policy.monthly_interest) * count)
    else:
        payable = financed
    amounts = split(payable, count)
    if count > 1 and min(amounts) < policy.minimum_installment_cents[debt.currency]:
        return None
    dues = monthly_dues(first_due, count)
    return Offer(
        tier=tier.name,
        discount_cents=discount,
        interest_cents=payable - financed,
        installments=tuple(
            Installment(number=n + 1, due=due, amount_cents=amount)
            for n, (due, amount) in enumerate(zip(dues, amounts, strict=True))
        ),
    )


def _discount_percent(count: int, tier: Tier, policy: Policy) -> Decimal:
    """The whole discount paying at once; half in the interest-free instalments; none beyond."""
    if count == 1:
        return Decimal(tier.max_discount_percent)
    if count <= policy.interest_free_installments:
        return Decimal(tier.max_discount_percent) / 2
    return Decimal(0)


def _price_installment(financed_cents: int, count: int, rate: Decimal) -> Decimal:
    """The Price table's fixed instalment: P * i / (1 - (1 + i) ** -n)."""
    if rate == 0:
        return Decimal(financed_cents) / count
    return Decimal(financed_cents) * rate / (1 - (1 + rate) ** -count)


def _largest(offer: Offer) -> int:
    return max(i.amount_cents for i in offer.installments)


def _cents(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split(total_cents: int, count: int) -> list[int]:
    """`count` instalments that add up to `total_cents` exactly: equal, the leftover cents on
    the first one."""
    base, leftover = divmod(total_cents, count)
    return [base + leftover, *([base] * (count - 1))]


# ---- dates -------------------------------------------------------------------------------------


def first_due_date(today: date, payday: int | None, policy: Policy) -> date:
    """Tomorrow; or the member's payday (a day of the month), the next one within the window,
    else the window's last day, the nearest the policy allows."""
    tomorrow = today + timedelta(days=1)
    if payday is None or not 1 <= payday <= 31:
        return tomorrow
    limit = today + timedelta(days=policy.first_due_within_days)
    day = tomorrow
    while day <= limit:
        if day.day == min(payday, _month_days(day)):
            return day
        day += timedelta(days=1)
    return limit


def monthly_dues(first: date, count: int) -> list[date]:
    """The same day every month from `first` (the month's last day when it is shorter)."""
    dues = []
    for n in range(count):
        month_index = first.month - 1 + n
        year, month = first.year + month_index // 12, month_index % 12 + 1
        last = _month_days(date(year, month, 1))
        dues.append(date(year, month, min(first.day, last)))
    return dues


def _month_days(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


# ---- loading -----------------------------------------------------------------------------------


@cache
def negotiation_policy() -> Policy:
    return parse_policy(yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8")), POLICY_FILE.name)


def parse_policy(raw: Any, source: str) -> Policy:
    """The policy, or PolicyError naming the key that is wrong."""
    try:
        tiers = {
            name: Tier(
                name=name,
                max_discount_percent=_int(raw["tiers"][name], "max_discount_percent", 0, 100),
                max_installments=_int(raw["tiers"][name], "max_installments", 1, 60),
            )
            for name in TIERS
        }
        rules = tuple(TierRule(**rule) for rule in raw["tier_rules"])
        policy = Policy(
            tiers=tiers,
            tier_rules=rules,
            interest_free_installments=_int(raw, "interest_free_installments", 1, 12),
            monthly_interest=Decimal(str(raw["contract_monthly_interest_percent"])) / 100,
            minimum_installment_cents={
                str(currency): _int(raw["minimum_installment_cents"], currency, 1, 10**9)
                for currency in raw["minimum_installment_cents"]
            },
            first_due_within_days=_int(raw, "first_due_within_days", 1, 60),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise PolicyError(f"{source}: {type(error).__name__}: {error}") from error
    unknown = [r.tier for r in rules if r.tier not in tiers] + [
        str(r.contract) for r in rules if r.contract not in (None, *CONTRACTS)
    ]
    if unknown:
        raise PolicyError(f"{source}: tier_rules name unknown {unknown}")
    if not rules or rules[-1] != TierRule(tier=rules[-1].tier):
        raise PolicyError(f"{source}: the last of tier_rules must match every debt")
    if not 0 <= policy.monthly_interest <= Decimal("0.1"):
        raise PolicyError(f"{source}: contract_monthly_interest_percent must be 0 to 10")
    return policy


def _int(table: dict[str, Any], key: str, low: int, high: int) -> int:
    value = table[key]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{key} is {value!r}, not a whole number from {low} to {high}")
    return value

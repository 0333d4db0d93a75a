"""The negotiation policy engine: never beyond policy, every plan exact to the cent, the same debt
always the same offers; properties checked over thousands of debts, and the policy file's own
checks."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.negotiation.policy import (
    POLICY_FILE,
    Debt,
    PolicyError,
    counter_offer,
    first_due_date,
    monthly_dues,
    negotiation_policy,
    offers,
    parse_policy,
    split,
)

POLICY = negotiation_policy()
TODAY = date(2026, 11, 24)

debts = st.builds(
    Debt,
    principal_cents=st.integers(1, 5_000_000),
    charges_cents=st.integers(0, 1_000_000),
    days_overdue=st.integers(1, 400),
    contract=st.sampled_from(["individual", "company"]),
    currency=st.sampled_from(["BRL", "CLP", "EUR"]),
)
todays = st.dates(date(2026, 1, 1), date(2030, 12, 31))
paydays = st.none() | st.integers(1, 31)


@settings(max_examples=400, deadline=None)
@given(debt=debts, today=todays, payday=paydays)
def test_offers_never_go_beyond_policy_and_add_up_exactly(
    debt: Debt, today: date, payday: int | None
) -> None:
    tier = POLICY.tier_for(debt)
    made = offers(debt, today, POLICY, payday)
    assert 1 <= len(made) <= 3
    for offer in made:
        assert offer.count <= tier.max_installments
        assert (
            0 <= offer.discount_cents <= debt.charges_cents * tier.max_discount_percent // 100 + 1
        )
        # The discount is on late charges only: the principal is always paid.
        assert offer.total_cents >= debt.principal_cents
        financed = debt.total_cents - offer.discount_cents
        assert offer.total_cents == financed + offer.interest_cents
        if offer.count <= POLICY.interest_free_installments:
            assert offer.interest_cents == 0
        if offer.count > 1:
            minimum = POLICY.minimum_installment_cents[debt.currency]
            assert min(i.amount_cents for i in offer.installments) >= minimum
        dues = [i.due for i in offer.installments]
        assert dues == sorted(dues) and dues[0] > today
        assert dues[0] <= today + timedelta(days=POLICY.first_due_within_days)


@settings(max_examples=200, deadline=None)
@given(debt=debts, today=todays)
def test_the_same_debt_gets_the_same_offers(debt: Debt, today: date) -> None:
    assert offers(debt, today, POLICY) == offers(debt, today, POLICY)


@settings(max_examples=400, deadline=None)
@given(debt=debts, count=st.integers(1, 24), monthly=st.integers(1, 1_000_000))
def test_a_counter_offer_is_the_nearest_within_policy_or_none(
    debt: Debt, count: int, monthly: int
) -> None:
    tier = POLICY.tier_for(debt)
    asked = counter_offer(debt, TODAY, POLICY, installments=count)
    if count > tier.max_installments:
        assert asked is None  # a negotiator decides
    else:
        assert asked is not None and asked.count <= count

    by_month = counter_offer(debt, TODAY, POLICY, monthly_cents=monthly)
    if by_month is not None:
        assert max(i.amount_cents for i in by_month.installments) <= monthly
        assert by_month.count <= tier.max_installments
        fewer = (
            counter_offer(debt, TODAY, POLICY, installments=by_month.count - 1)
            if by_month.count > 1
            else None
        )
        # Nearest: one instalment fewer would not fit the member's monthly amount.
        assert fewer is None or max(i.amount_cents for i in fewer.installments) > monthly


@given(total=st.integers(0, 10**9), count=st.integers(1, 60))
def test_splitting_is_exact_to_the_cent(total: int, count: int) -> None:
    parts = split(total, count)
    assert sum(parts) == total and len(parts) == count
    assert max(parts) - min(parts) < count


def test_a_worked_example_in_reais() -> None:
    # Two overdue fees of R$ 549,90 and R$ 38,50 of fines and interest, 50 days late, individual.
    debt = Debt(
        principal_cents=109_980,
        charges_cents=3_850,
        days_overdue=50,
        contract="individual",
        currency="BRL",
    )
    at_once, interest_free, longest = offers(debt, TODAY, POLICY)
    assert POLICY.tier_for(debt).name == "ouro"
    assert (at_once.count, at_once.discount_cents, at_once.total_cents) == (1, 3_850, 109_980)
    assert (interest_free.count, interest_free.discount_cents, interest_free.total_cents) == (
        3,
        1_925,
        111_905,
    )
    assert [i.amount_cents for i in interest_free.installments] == [37_303, 37_301, 37_301]
    assert longest.count == 10 and longest.discount_cents == 0
    # 1 % a month over 10 months, Price table, computed here apart from the engine.
    price = 113_830 * 0.01 / (1 - 1.01**-10)
    assert longest.total_cents == round(price * 10) == 120_184
    assert longest.interest_cents == 6_354
    assert longest.installments[0].due == date(2026, 11, 25)


def test_the_first_due_date_follows_the_payday_within_the_window() -> None:
    assert first_due_date(TODAY, 5, POLICY) == date(2026, 12, 5)
    assert first_due_date(TODAY, 31, POLICY) == date(2026, 11, 30)  # a short month's last day
    assert first_due_date(date(2026, 11, 1), 31, POLICY) == date(2026, 11, 30)
    assert monthly_dues(date(2027, 1, 31), 3) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda raw: raw["tiers"]["ouro"].update(max_discount_percent=120), "max_discount_percent"),
        (lambda raw: raw["tier_rules"].pop(), "last of tier_rules"),
        (lambda raw: raw["tier_rules"].insert(0, {"tier": "diamante"}), "diamante"),
        (lambda raw: raw.update(contract_monthly_interest_percent=25), "interest"),
        (lambda raw: raw.pop("minimum_installment_cents"), "minimum_installment_cents"),
    ],
)
def test_a_policy_outside_what_is_allowed_stops_the_start(
    change: Callable[[dict[str, Any]], Any], complaint: str
) -> None:
    raw = yaml.safe_load(POLICY_FILE.read_text())
    change(raw)
    with pytest.raises(PolicyError, match=complaint):
        parse_policy(raw, "policy.yml")


def test_interest_is_the_contracts_monthly_rate() -> None:
    assert POLICY.monthly_interest == Decimal("0.01")

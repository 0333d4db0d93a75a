"""The contract's resources as the client reads them and writes them."""

from datetime import date

import pytest
from pydantic import ValidationError

from actions.insurer import AuthorizationDraft, Debts, Duplicate, Member


def test_a_draft_is_sent_with_iso_dates_and_lists() -> None:
    draft = AuthorizationDraft(
        procedure="ressonância do joelho",
        beneficiary="child",
        urgency="urgent",
        scheduled_for=date(2026, 12, 1),
        attachments=("att-1",),
    )
    assert draft.body() == {
        "procedure": "ressonância do joelho",
        "beneficiary": "child",
        "beneficiary_name": None,
        "urgency": "urgent",
        "provider_name": None,
        "scheduled_for": "2026-12-01",
        "attachments": ["att-1"],
        "contact_protocol": None,
    }


def test_a_draft_refuses_words_outside_the_contract() -> None:
    with pytest.raises(ValidationError):
        AuthorizationDraft(procedure="x", urgency="asap")


def test_no_debt_reads_as_zero_days() -> None:
    debts = Debts.parse_obj(
        {"total_cents": 0, "currency": "BRL", "oldest_due_date": None, "days_overdue": None}
    )
    assert (debts.owes, debts.days_overdue, debts.invoices) == (False, 0, ())


def test_a_duplicate_outside_brazil_has_only_a_link() -> None:
    invoice = {
        "id": "INV-9",
        "kind": "monthly_fee",
        "reference_month": "2026-10",
        "due_date": "2026-11-10",
        "amount_cents": 4500000,
        "currency": "CLP",
        "status": "open",
        "paid_at": None,
    }
    duplicate = Duplicate.parse_obj(
        {
            "invoice": invoice,
            "amount_cents": 4500000,
            "due_date": "2026-11-27",
            "boleto": None,
            "pix": None,
            "payment_link": "https://pay.example/abc",
        }
    )
    assert (duplicate.currency, duplicate.boleto, duplicate.pix) == ("CLP", None, None)


def test_resources_are_immutable_and_ignore_new_fields() -> None:
    member = Member.parse_obj(
        {
            "id": "M0004",
            "first_name": "Diego",
            "full_name": "Diego Martín",
            "market": "ES",
            "language": "es",
            "document_type": "dni",
            "document_masked": "*****678Z",
            "birth_date": "1979-05-21",
            "phone_masked": None,
            "card_number": "1",
            "plan": {
                "code": "P",
                "name": "Plan",
                "tier": "prata",
                "contract": "company",
                "copayment": False,
            },
            "loyalty_points": 12,
        }
    )
    with pytest.raises(TypeError):
        member.first_name = "X"

"""An agreement's terms: their hash (both sides compute it the same way, so the member's
acceptance is bound to exactly what they read) and the arithmetic they must satisfy."""

import hashlib
import json
from datetime import date
from itertools import pairwise
from typing import Any

from sandbox.collections.schemas import MAX_INSTALLMENTS, Terms


def terms_document(terms: Terms) -> dict[str, Any]:
    """The terms as JSON values, as the client sent them (lists keep their order)."""
    return terms.model_dump(mode="json")


def terms_hash(document: dict[str, Any]) -> str:
    """sha256 of the canonical JSON: sorted keys, no spaces, UTF-8 as is (docs/insurer-api.md)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def terms_problem(terms: Terms, *, member_id: str, currency: str, today: date) -> str | None:
    """Why the terms cannot stand on their own, or None. Whether they match the member's debt
    today is another question (agreements.py)."""
    installments = terms.installments
    if terms.member_id != member_id:
        return "the terms are another member's"
    if terms.currency != currency:
        return "the currency is not the member's"
    if terms.invoice_ids != sorted(set(terms.invoice_ids)):
        return "invoice_ids must be sorted, without repeats"
    if terms.discount_cents > terms.charges_cents:
        return "the discount exceeds the charges"
    expected = (
        terms.principal_cents + terms.charges_cents - terms.discount_cents + terms.interest_cents
    )
    if terms.total_cents != expected:
        return "total is not principal + charges - discount + interest"
    if not installments:
        return "no installments"
    if len(installments) > MAX_INSTALLMENTS:
        return f"more than {MAX_INSTALLMENTS} installments"
    if [item.number for item in installments] != list(range(1, len(installments) + 1)):
        return "installments are not numbered 1 to n"
    if any(later.due_date <= earlier.due_date for earlier, later in pairwise(installments)):
        return "due dates do not increase"
    if installments[0].due_date < today:
        return "the first due date has passed"
    if any(item.amount_cents <= 0 for item in installments):
        return "an installment has no amount"
    if sum(item.amount_cents for item in installments) != terms.total_cents:
        return "the installments do not add up to the total"
    return None

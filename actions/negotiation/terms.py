"""An agreement's terms in words the member reads, and as the insurer records them with their
fingerprint (docs/insurer-api.md, "Agreements": both sides hash the same canonical JSON)."""

import hashlib
import json
from decimal import Decimal
from typing import Any

from actions.formatting import money, short_day
from actions.negotiation.policy import Debt, Offer, Policy
from actions.negotiation.state import installments_json
from actions.words import phrase


def offer_title(offer: Offer, currency: str, language: str, policy: Policy) -> str:
    """A button's words: "À vista: R$ 1.077,25", "3x de R$ 366,60 sem juros"."""
    if offer.count == 1:
        return phrase("offer_single", language, total=money(offer.total_cents, currency, language))
    largest = max(i.amount_cents for i in offer.installments)
    key = "offer_free" if offer.count <= policy.interest_free_installments else "offer_interest"
    return phrase(key, language, n=offer.count, amount=money(largest, currency, language))


def terms_text(offer: Offer, currency: str, language: str, policy: Policy) -> str:
    """The terms as the member accepts them: the plan, the discount, the total."""
    first = offer.installments[0]
    if offer.count == 1:
        plan = phrase(
            "plan_single",
            language,
            amount=money(first.amount_cents, currency, language),
            first=short_day(first.due, language),
        )
    else:
        interest = (
            phrase("free_of_interest", language)
            if offer.count <= policy.interest_free_installments
            else phrase(
                "with_interest",
                language,
                rate=_percent(policy.monthly_interest),
            )
        )
        rest = offer.installments[1]
        values = {
            "n": offer.count,
            "interest": interest,
            "amount": money(rest.amount_cents, currency, language),
            "first_amount": money(first.amount_cents, currency, language),
            "first": short_day(first.due, language),
        }
        equal = first.amount_cents == rest.amount_cents
        plan = phrase("plan_equal" if equal else "plan_unequal", language, **values)
    text = plan[0].upper() + plan[1:] + "."
    if offer.discount_cents:
        text += phrase("discount", language, amount=money(offer.discount_cents, currency, language))
    return text + phrase("total", language, amount=money(offer.total_cents, currency, language))


def _percent(rate: Decimal) -> str:
    """0.01 → "1"; 0.015 → "1,5": as members write a rate."""
    return f"{(rate * 100).normalize():f}".replace(".", ",")


def agreement_terms(
    *, member_id: str, debt: Debt, invoice_ids: tuple[str, ...], offer: Offer, text: str
) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "invoice_ids": sorted(invoice_ids),
        "currency": debt.currency,
        "tier": offer.tier,
        "principal_cents": debt.principal_cents,
        "charges_cents": debt.charges_cents,
        "discount_cents": offer.discount_cents,
        "interest_cents": offer.interest_cents,
        "total_cents": offer.total_cents,
        "installments": installments_json(offer),
        "text": text,
    }


def terms_hash(terms: dict[str, Any]) -> str:
    canonical = json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint(hash_hex: str) -> str:
    """The hash's start, in groups a member can read out on the phone: "3F9A 21C0"."""
    head = hash_hex[:8].upper()
    return f"{head[:4]} {head[4:]}"

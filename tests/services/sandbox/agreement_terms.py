"""Agreement terms as the action server builds them, hashed by an implementation of the
contract's recipe independent of sandbox/collections/terms.py (json + hashlib only)."""

import hashlib
import json
from datetime import date
from typing import Any

import httpx

TODAY = date(2026, 11, 18)  # the clock's day in every market
SUMMARY = "Acordo: 2 parcelas de R$ 560,48 (vencimentos 25/11 e 25/12). Aceito ✅"


def contract_hash(terms: dict[str, Any]) -> str:
    canonical = json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def debt_terms(
    api: httpx.AsyncClient,
    member_id: str,
    *,
    due_dates: list[str],
    discount_cents: int = 0,
    tier: str = "standard",
) -> dict[str, Any]:
    """Terms for the member's whole debt of today, split evenly (the first takes the rest)."""
    debts = (await api.get(f"/v1/members/{member_id}/debts")).json()
    principal, charges = debts["principal_cents"], debts["charges_cents"]
    total = principal + charges - discount_cents
    share, rest = divmod(total, len(due_dates))
    return {
        "member_id": member_id,
        "invoice_ids": sorted(i["id"] for i in debts["invoices"] if not i["disputed"]),
        "currency": debts["currency"],
        "tier": tier,
        "principal_cents": principal,
        "charges_cents": charges,
        "discount_cents": discount_cents,
        "interest_cents": 0,
        "total_cents": total,
        "installments": [
            {"number": n, "due_date": due, "amount_cents": share + (rest if n == 1 else 0)}
            for n, due in enumerate(due_dates, start=1)
        ],
        "text": SUMMARY,
    }


def agreement_body(terms: dict[str, Any], *, conversation_id: str = "wa-5521912345678") -> dict:
    return {
        "terms": terms,
        "terms_hash": contract_hash(terms),
        "acceptance": {
            "channel": "whatsapp",
            "conversation_id": conversation_id,
            "protocol": "00000020261118000001",
            "accepted_at": "2026-11-18T12:00:00-03:00",
            "message_ids": {"summary": "101", "acceptance": "102"},
        },
    }


async def make_agreement(
    api: httpx.AsyncClient, member_id: str, terms: dict[str, Any], *, key: str = "key-1"
) -> httpx.Response:
    return await api.post(
        f"/v1/members/{member_id}/agreements",
        json=agreement_body(terms),
        headers={"Idempotency-Key": key},
    )


async def bruno_agreement(api: httpx.AsyncClient) -> dict[str, Any]:
    """Bruno's two overdue fees, 1000 off the charges, in two installments."""
    terms = await debt_terms(
        api, "M0002", due_dates=["2026-11-25", "2026-12-28"], discount_cents=1000
    )
    response = await make_agreement(api, "M0002", terms)
    assert response.status_code == 201, response.text
    agreement: dict[str, Any] = response.json()
    return agreement

"""Payment agreements: created from terms the member accepted (checked on their own, against
their hash and against today's debt), idempotent, with statuses that follow the calendar."""

import copy
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from sandbox.audit import AuditRecord
from sandbox.sql import Sessions
from tests.services.sandbox.agreement_terms import (
    SUMMARY,
    TODAY,
    agreement_body,
    bruno_agreement,
    contract_hash,
    debt_terms,
    make_agreement,
)
from tests.services.sandbox.conftest import Clock
from tests.services.sandbox.decoders import decode_boleto, decode_pix


async def test_a_brazilian_agreement_settles_the_debt_with_pix_boleto_and_a_link(
    api: httpx.AsyncClient, sessions: Sessions
) -> None:
    agreement = await bruno_agreement(api)

    assert agreement["id"] == "AGR-2026-000001"
    assert (agreement["member_id"], agreement["status"]) == ("M0002", "active")
    assert agreement["terms"]["text"] == SUMMARY
    assert agreement["terms_hash"] == contract_hash(agreement["terms"])
    assert agreement["acceptance"]["message_ids"] == {"summary": "101", "acceptance": "102"}
    assert agreement["acceptance"]["recorded_at"].startswith("2026-11-18T12:00:00")
    assert agreement["reminders"] == {"consent": None, "updated_at": None}
    first, second = agreement["installments"]
    # 109980 + 3116 - 1000 = 112096 in two.
    assert [(i["id"], i["amount_cents"], i["status"]) for i in (first, second)] == [
        ("AGR-2026-000001-01", 56048, "pending"),
        ("AGR-2026-000001-02", 56048, "pending"),
    ]
    payment = first["payment"]
    pix = decode_pix(payment["pix"]["copy_paste"])
    assert (pix["54"], pix["txid"]) == ("560.48", "AGR202600000101")
    boleto = decode_boleto(
        payment["boleto"]["barcode"], payment["boleto"]["digitable_line"], around=TODAY
    )
    assert (boleto.due_date.isoformat(), boleto.amount_cents) == ("2026-11-25", 56048)
    assert payment["payment_link"].startswith("http://127.0.0.1:8002/pay/")
    assert payment["pix"]["qr_url"] == payment["payment_link"] + "/pix.png"
    assert second["payment"]["payment_link"] != payment["payment_link"]

    debts = (await api.get("/v1/members/M0002/debts")).json()
    assert (debts["principal_cents"], debts["total_cents"], debts["invoices"]) == (0, 0, [])
    assert [a["id"] for a in debts["agreements"]] == [agreement["id"]]
    listed = (await api.get("/v1/members/M0002/agreements")).json()["agreements"]
    assert listed == [agreement]
    async with sessions() as session:
        record = await session.scalar(
            select(AuditRecord).where(AuditRecord.event == "agreement.accepted")
        )
    assert record is not None and record.subject_id == agreement["id"]
    assert record.detail["terms_hash"] == agreement["terms_hash"]
    assert record.detail["conversation_id"] == "wa-5521912345678"
    assert SUMMARY not in str(record.detail)  # ids and hashes, never the text


async def test_a_spanish_agreement_is_paid_by_link_only(api: httpx.AsyncClient) -> None:
    terms = await debt_terms(api, "M0004", due_dates=["2026-11-30"])
    assert (terms["currency"], terms["total_cents"], terms["charges_cents"]) == ("EUR", 11990, 0)

    response = await make_agreement(api, "M0004", terms)

    assert response.status_code == 201, response.text
    (installment,) = response.json()["installments"]
    assert installment["payment"]["pix"] is None and installment["payment"]["boleto"] is None
    assert "/pay/" in installment["payment"]["payment_link"]


async def test_the_same_key_replays_the_first_agreement(api: httpx.AsyncClient) -> None:
    terms = await debt_terms(api, "M0002", due_dates=["2026-11-25"])
    first = await make_agreement(api, "M0002", terms, key="once")
    again = await make_agreement(api, "M0002", terms, key="once")
    other_key = await make_agreement(api, "M0002", terms, key="twice")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    # The bills are taken: a new agreement on them is a changed debt.
    assert other_key.status_code == 409
    assert other_key.json()["detail"]["code"] == "debt_changed"


def _changed(terms: dict[str, Any], change: str) -> dict[str, Any]:
    changed = copy.deepcopy(terms)
    first, second = changed["installments"]
    if change == "member":
        changed["member_id"] = "M0001"
    elif change == "total":
        changed["total_cents"] += 1
    elif change == "sum":
        first["amount_cents"] += 1
    elif change == "numbers":
        second["number"] = 3
    elif change == "dues":
        second["due_date"] = first["due_date"]
    elif change == "past":
        first["due_date"] = str(TODAY - timedelta(days=1))
    elif change == "discount":
        changed["discount_cents"] = changed["charges_cents"] + 1
        changed["total_cents"] = changed["principal_cents"] - 1
    elif change == "empty":
        changed["installments"] = []
    elif change == "too_many":
        changed["installments"] = [
            {"number": n, "due_date": str(TODAY + timedelta(days=n)), "amount_cents": 1}
            for n in range(1, 62)
        ]
    elif change == "unsorted":
        changed["invoice_ids"].reverse()
    return changed


@pytest.mark.parametrize(
    "change",
    ["member", "total", "sum", "numbers", "dues", "past", "discount", "empty", "too_many",
     "unsorted"],
)  # fmt: skip
async def test_terms_that_do_not_add_up_are_invalid(api: httpx.AsyncClient, change: str) -> None:
    terms = await debt_terms(api, "M0002", due_dates=["2026-11-25", "2026-12-28"])

    response = await make_agreement(api, "M0002", _changed(terms, change))

    assert response.status_code == 422, change
    assert response.json()["detail"]["code"] == "invalid_terms", change


async def test_a_hash_of_other_terms_is_refused(api: httpx.AsyncClient) -> None:
    terms = await debt_terms(api, "M0002", due_dates=["2026-11-25"])
    body = agreement_body(terms)
    body["terms"]["text"] = SUMMARY + " "  # not what was hashed

    response = await api.post(
        "/v1/members/M0002/agreements", json=body, headers={"Idempotency-Key": "k"}
    )

    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "terms_hash_mismatch"


async def test_terms_of_another_day_or_other_bills_are_a_changed_debt(
    api: httpx.AsyncClient, clock: Clock
) -> None:
    terms = await debt_terms(api, "M0002", due_dates=["2026-11-25"])
    clock.now += timedelta(days=1)  # a day's more interest
    stale = await make_agreement(api, "M0002", terms, key="a")
    clock.now -= timedelta(days=1)
    anas = copy.deepcopy(terms)
    ana_bill = (await api.get("/v1/members/M0001/invoices")).json()["invoices"][0]["id"]
    anas["invoice_ids"] = sorted([*terms["invoice_ids"], ana_bill])
    not_his = await make_agreement(api, "M0002", anas, key="b")

    for response in (stale, not_his):
        assert response.status_code == 409
        assert response.json()["detail"]["code"] == "debt_changed"


async def test_unknown_member_missing_key_and_bad_bodies(api: httpx.AsyncClient) -> None:
    terms = await debt_terms(api, "M0002", due_dates=["2026-11-25"])
    unknown = await make_agreement(api, "M9999", terms | {"member_id": "M9999"})
    no_key = await api.post("/v1/members/M0002/agreements", json=agreement_body(terms))
    malformed = await api.post(
        "/v1/members/M0002/agreements",
        content=b'{"terms": ',
        headers={"Idempotency-Key": "k", "Content-Type": "application/json"},
    )
    surrogate = agreement_body(terms)
    surrogate["terms"]["text"] = "\ud800"
    lone = await api.post(
        "/v1/members/M0002/agreements",
        content=_json_with_surrogate(surrogate),
        headers={"Idempotency-Key": "k", "Content-Type": "application/json"},
    )
    huge = agreement_body(terms | {"text": "😀" * 100_000})
    too_big = await make_agreement(api, "M0002", huge["terms"])

    assert unknown.status_code == 404
    assert unknown.json()["detail"]["code"] == "unknown_member"
    assert no_key.status_code == 422
    assert malformed.status_code == 422
    assert lone.status_code == 422
    assert too_big.status_code in (413, 422)


def _json_with_surrogate(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()  # ensure_ascii writes the lone surrogate as an escape


async def test_emoji_in_the_summary_are_kept_verbatim(api: httpx.AsyncClient) -> None:
    terms = await debt_terms(api, "M0004", due_dates=["2026-11-30"])
    terms["text"] = "Acuerdo aceptado 👍🏽 — «cuota única»\ncon salto de línea"

    response = await make_agreement(api, "M0004", terms)

    assert response.status_code == 201, response.text
    assert response.json()["terms"]["text"] == terms["text"]
    assert response.json()["terms_hash"] == contract_hash(terms)


async def test_installments_turn_late_then_broken_and_the_agreement_paid(
    api: httpx.AsyncClient, clock: Clock
) -> None:
    agreement = await bruno_agreement(api)

    async def seen() -> tuple[str, list[str]]:
        (current,) = (await api.get("/v1/members/M0002/agreements")).json()["agreements"]
        return current["status"], [i["status"] for i in current["installments"]]

    clock.now += timedelta(days=7)  # 2026-11-25: the first due today
    assert await seen() == ("active", ["pending", "pending"])
    clock.now += timedelta(days=1)
    assert await seen() == ("active", ["late", "pending"])
    clock.now += timedelta(days=4)  # 5 days after the due date: still not broken
    assert await seen() == ("active", ["late", "pending"])
    clock.now += timedelta(days=1)
    assert await seen() == ("broken", ["late", "pending"])
    debts = (await api.get("/v1/members/M0002/debts")).json()
    assert [a["status"] for a in debts["agreements"]] == ["broken"]

    for installment in agreement["installments"]:
        paid = await api.post(
            "/v1/payments", json={"reference": installment["id"], "method": "pix"}
        )
        assert paid.status_code == 201
    assert await seen() == ("paid", ["paid", "paid"])
    assert (await api.get("/v1/members/M0002/debts")).json()["agreements"] == []


async def test_reminders_consent_is_recorded(api: httpx.AsyncClient, sessions: Sessions) -> None:
    agreement = await bruno_agreement(api)
    path = f"/v1/members/M0002/agreements/{agreement['id']}/reminders"

    response = await api.put(path, json={"consent": True, "channel": "whatsapp", "message_id": "7"})
    unknown = await api.put(
        "/v1/members/M0002/agreements/AGR-2026-999999/reminders",
        json={"consent": False, "channel": "whatsapp"},
    )
    not_his = await api.put(
        f"/v1/members/M0001/agreements/{agreement['id']}/reminders",
        json={"consent": False, "channel": "whatsapp"},
    )

    assert response.status_code == 200
    assert response.json()["reminders"]["consent"] is True
    assert response.json()["reminders"]["updated_at"].startswith("2026-11-18T12:00:00")
    for refused in (unknown, not_his):
        assert refused.status_code == 404
        assert refused.json()["detail"]["code"] == "unknown_agreement"
    async with sessions() as session:
        events = list(await session.scalars(select(AuditRecord.event)))
    assert "agreement.reminders_consent" in events

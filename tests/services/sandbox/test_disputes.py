"""Disputed bills: answered within 10 business days of the member's market, left out of the
debt's sums meanwhile, opened once per bill."""

import httpx

from tests.services.sandbox.agreement_terms import debt_terms, make_agreement


def dispute(invoice_ids: list[str], kind: str = "not_recognised") -> dict:
    return {
        "kind": kind,
        "invoice_ids": invoice_ids,
        "channel": "whatsapp",
        "conversation_id": "wa-56912345678",
        "protocol": None,
        "message_id": "55",
    }


async def test_a_disputed_bill_leaves_the_sums_until_answered(api: httpx.AsyncClient) -> None:
    (bill,) = (await api.get("/v1/members/M0003/debts")).json()["invoices"]
    assert bill["kind"] == "copayment"

    opened = await api.post("/v1/members/M0003/disputes", json=dispute([bill["id"].lower()]))
    again = await api.post(
        "/v1/members/M0003/disputes", json=dispute([bill["id"]], kind="wrong_amount")
    )
    debts = (await api.get("/v1/members/M0003/debts")).json()
    listed = (await api.get("/v1/members/M0003/disputes")).json()["disputes"]

    assert opened.status_code == 201
    # Wednesday 2026-11-18 + 10 business days in Chile (no national holiday on the way).
    assert opened.json() == {
        "id": "DSP-2026-000001",
        "kind": "not_recognised",
        "status": "open",
        "invoice_ids": [bill["id"]],
        "opened_at": opened.json()["opened_at"],
        "answer_by": "2026-12-02",
    }
    assert again.status_code == 200 and again.json() == opened.json()
    assert listed == [opened.json()]
    assert (debts["principal_cents"], debts["total_cents"], debts["oldest_due_date"]) == (
        0,
        0,
        None,
    )
    assert [(i["id"], i["disputed"]) for i in debts["invoices"]] == [(bill["id"], True)]
    terms = await debt_terms(api, "M0003", due_dates=["2026-11-30"])
    assert terms["invoice_ids"] == []


async def test_brazilian_business_days_skip_the_holiday(api: httpx.AsyncClient) -> None:
    bills = (await api.get("/v1/members/M0002/debts")).json()["invoices"]

    opened = await api.post("/v1/members/M0002/disputes", json=dispute([bills[0]["id"]]))

    # Friday 2026-11-20 is a national holiday in Brazil: 10 business days end on 12-03.
    assert opened.json()["answer_by"] == "2026-12-03"
    debts = (await api.get("/v1/members/M0002/debts")).json()
    assert debts["principal_cents"] == 54990
    # A disputed bill cannot go into an agreement.
    terms = await debt_terms(api, "M0002", due_dates=["2026-11-30"])
    terms["invoice_ids"] = sorted(b["id"] for b in bills)
    refused = await make_agreement(api, "M0002", terms)
    assert refused.status_code == 409


async def test_unknown_paid_and_bad_disputes(api: httpx.AsyncClient) -> None:
    anas = (await api.get("/v1/members/M0001/invoices?status=paid")).json()["invoices"]

    not_hers = await api.post("/v1/members/M0003/disputes", json=dispute([anas[0]["id"]]))
    garbage = await api.post("/v1/members/M0003/disputes", json=dispute(["😀"]))
    paid = await api.post("/v1/members/M0001/disputes", json=dispute([anas[0]["id"]]))
    empty = await api.post("/v1/members/M0003/disputes", json=dispute([]))
    kind = await api.post("/v1/members/M0003/disputes", json=dispute(["INV-000001"], "angry"))
    unknown_member = await api.post("/v1/members/M9999/disputes", json=dispute(["INV-000001"]))

    for response in (not_hers, garbage):
        assert response.status_code == 404
        assert response.json()["detail"]["code"] == "unknown_invoice"
    assert paid.status_code == 409 and paid.json()["detail"]["code"] == "already_paid"
    assert (empty.status_code, kind.status_code) == (422, 422)
    assert unknown_member.json()["detail"]["code"] == "unknown_member"

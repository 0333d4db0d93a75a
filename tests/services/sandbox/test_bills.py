"""Bills: listing, duplicates that a bank would accept (boleto and PIX checked by independent
decoders), late fees as the contract allows, payment links outside Brazil, co-payments that say
the kind of service only, and debts."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import holidays
import httpx
import pytest

from tests.services.sandbox.decoders import decode_boleto, decode_pix

TODAY = date(2026, 11, 18)  # the clock's day in every market


async def invoices(api: httpx.AsyncClient, member_id: str, query: str = "") -> list[dict]:
    response = await api.get(f"/v1/members/{member_id}/invoices{query}")
    assert response.status_code == 200
    listed: list[dict] = response.json()["invoices"]
    return listed


async def test_invoices_by_status_most_recent_due_date_first(api: httpx.AsyncClient) -> None:
    everything = await invoices(api, "M0002")
    unpaid = await invoices(api, "M0002", "?status=open,overdue")
    paid = await invoices(api, "M0002", "?status=paid&limit=1")

    assert [i["due_date"] for i in everything] == sorted(
        (i["due_date"] for i in everything), reverse=True
    )
    assert [(i["status"], i["due_date"]) for i in unpaid] == [
        ("overdue", str(TODAY - timedelta(days=10))),
        ("overdue", str(TODAY - timedelta(days=40))),
    ]
    assert all(i["paid_at"] is None for i in unpaid)
    assert len(paid) == 1 and paid[0]["status"] == "paid" and paid[0]["paid_at"]
    ana = await invoices(api, "M0001", "?status=open")
    assert [(i["kind"], i["status"], i["amount_cents"]) for i in ana] == [
        ("monthly_fee", "open", 89990)
    ]


async def test_bad_invoice_filters(api: httpx.AsyncClient) -> None:
    for query in ["?status=late", "?status=open,,bogus", "?limit=0"]:
        response = await api.get(f"/v1/members/M0002/invoices{query}")

        assert response.status_code == 422, query


def expected_terms(amount_cents: int, due: date) -> tuple[int, date]:
    """From the contract: reissued 3 days ahead (moved to a business day), plus a 2 % fine and
    1 % a month pro rata by day up to the new due date, each half up to the cent."""
    new_due = TODAY + timedelta(days=3)
    while new_due.weekday() >= 5 or new_due in holidays.country_holidays("BR"):
        new_due += timedelta(days=1)
    amount = Decimal(amount_cents)
    fine = (amount * Decimal("0.02")).quantize(Decimal(1), ROUND_HALF_UP)
    days = (new_due - due).days
    interest = (amount * Decimal("0.01") * days / 30).quantize(Decimal(1), ROUND_HALF_UP)
    return int(amount + fine + interest), new_due


async def test_an_overdue_brazilian_bill_is_reissued_with_late_fees_boleto_and_pix(
    api: httpx.AsyncClient,
) -> None:
    overdue = (await invoices(api, "M0002", "?status=overdue"))[0]

    response = await api.post(f"/v1/members/M0002/invoices/{overdue['id']}/duplicate")

    assert response.status_code == 200
    duplicate = response.json()
    amount, due = expected_terms(overdue["amount_cents"], date.fromisoformat(overdue["due_date"]))
    # Saturday the 21st moves to Monday the 23rd; 15 days late: 54990 + 1100 + 275.
    assert (duplicate["amount_cents"], duplicate["due_date"]) == (amount, due.isoformat())
    assert (amount, due) == (56365, date(2026, 11, 23))
    assert duplicate["invoice"] == overdue
    assert duplicate["payment_link"] is None
    boleto = decode_boleto(
        duplicate["boleto"]["barcode"], duplicate["boleto"]["digitable_line"], around=TODAY
    )
    assert (boleto.bank, boleto.due_date, boleto.amount_cents) == ("001", due, amount)
    pix = decode_pix(duplicate["pix"]["copy_paste"])
    assert pix["53"] == "986" and pix["58"] == "BR"
    assert pix["54"] == "563.65"
    assert pix["txid"] == duplicate["pix"]["txid"]


async def test_an_open_bill_keeps_its_amount_and_due_date(api: httpx.AsyncClient) -> None:
    open_fee = (await invoices(api, "M0001", "?status=open"))[0]

    duplicate = (await api.post(f"/v1/members/M0001/invoices/{open_fee['id']}/duplicate")).json()

    assert duplicate["amount_cents"] == open_fee["amount_cents"] == 89990
    assert duplicate["due_date"] == open_fee["due_date"] == str(TODAY + timedelta(days=5))
    boleto = decode_boleto(
        duplicate["boleto"]["barcode"], duplicate["boleto"]["digitable_line"], around=TODAY
    )
    # After the factor's restart on 2025-02-22 (1000 again): 1000 + days since then.
    assert (
        int(duplicate["boleto"]["barcode"][5:9])
        == 1000 + (boleto.due_date - date(2025, 2, 22)).days
    )
    assert boleto.due_date == TODAY + timedelta(days=5)
    assert decode_pix(duplicate["pix"]["copy_paste"])["54"] == "899.90"


@pytest.mark.parametrize(("member_id", "currency"), [("M0003", "CLP"), ("M0004", "EUR")])
async def test_chile_and_spain_get_a_payment_link(
    api: httpx.AsyncClient, member_id: str, currency: str
) -> None:
    open_fee = (await invoices(api, member_id, "?status=open"))[0]

    duplicate = (
        await api.post(f"/v1/members/{member_id}/invoices/{open_fee['id']}/duplicate")
    ).json()

    assert duplicate["invoice"]["currency"] == currency
    assert duplicate["boleto"] is None and duplicate["pix"] is None
    assert duplicate["payment_link"].startswith("https://pay.example/")
    assert open_fee["id"] in duplicate["payment_link"]


async def test_a_paid_bill_is_a_409_and_others_bills_are_unknown(api: httpx.AsyncClient) -> None:
    paid = (await invoices(api, "M0001", "?status=paid"))[0]
    brunos = (await invoices(api, "M0002"))[0]

    already = await api.post(f"/v1/members/M0001/invoices/{paid['id']}/duplicate")
    not_hers = await api.post(f"/v1/members/M0001/invoices/{brunos['id']}/duplicate")
    nothing = await api.post("/v1/members/M0001/invoices/INV-999999/duplicate")
    garbage = await api.post("/v1/members/M0001/invoices/%F0%9F%92%A5%00/duplicate")

    assert already.status_code == 409
    assert already.json()["detail"]["code"] == "already_paid"
    for response in (not_hers, nothing, garbage):
        assert response.status_code == 404
        assert response.json()["detail"]["code"] == "unknown_invoice"


async def test_debts_are_the_overdue_bills_with_todays_late_fees(api: httpx.AsyncClient) -> None:
    bruno = (await api.get("/v1/members/M0002/debts")).json()
    ana = (await api.get("/v1/members/M0001/debts")).json()

    # 2 % fine and 1 % a month pro rata by day, each half up: 40 days: 1100 + 733; 10: 1100 + 183.
    assert (bruno["principal_cents"], bruno["charges_cents"]) == (2 * 54990, 3116)
    assert bruno["total_cents"] == 2 * 54990 + 3116
    assert bruno["currency"] == "BRL"
    assert bruno["contract"] in {"individual", "company"}
    assert bruno["oldest_due_date"] == str(TODAY - timedelta(days=40))
    assert bruno["days_overdue"] == 40
    assert [(i["status"], i["charges_cents"], i["disputed"]) for i in bruno["invoices"]] == [
        ("overdue", 1283, False),
        ("overdue", 1833, False),
    ]
    assert bruno["agreements"] == []
    assert ana == {
        "principal_cents": 0,
        "charges_cents": 0,
        "total_cents": 0,
        "currency": "BRL",
        "oldest_due_date": None,
        "days_overdue": 0,
        "contract": ana["contract"],
        "invoices": [],
        "agreements": [],
    }


# Words that name what was done (procedures, exams, specialties) rather than a kind of service.
PROCEDURE_WORDS = (
    "ressonância", "resonancia", "tomografia", "exame de", "sangue", "fisioterapia", "psico",
    "cardio", "joelho", "rodilla", "cirurgia", "cirugía", "quimio", "diagnóstico", "cid",
)  # fmt: skip


async def test_copayments_say_the_kind_of_service_never_the_procedure(
    api: httpx.AsyncClient,
) -> None:
    ana = (await api.get("/v1/members/M0001/copayments")).json()["copayments"]
    assert ana == [
        {
            "id": ana[0]["id"],
            "invoice_id": ana[0]["invoice_id"],
            "service_date": str(TODAY - timedelta(days=20)),
            "service_kind": "consultation",
            "provider_name": "Clínica Vida Plena",
            "amount_cents": 4500,
            "currency": "BRL",
        }
    ]
    seen = 0
    for number in range(1, 25):
        response = await api.get(f"/v1/members/M{number:04d}/copayments?limit=50")
        for copayment in response.json()["copayments"]:
            seen += 1
            assert set(copayment) == {
                "id", "invoice_id", "service_date", "service_kind", "provider_name",
                "amount_cents", "currency",
            }  # fmt: skip
            assert copayment["service_kind"] in {
                "consultation", "exam", "therapy", "emergency_visit", "other"
            }  # fmt: skip
            text = str(copayment).lower()
            assert not any(word in text for word in PROCEDURE_WORDS), copayment
    assert seen > 3

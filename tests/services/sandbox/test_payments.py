"""Payments as the bank confirms them: an agreement's installments (the last one pays the
agreement and its bills) and plain bills; the public checkout page and PIX QR image; payment
events, pushed signed to a receiver and listed for replay."""

import hashlib
import hmac
import io
import json
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import segno
from sqlalchemy import select

from sandbox.audit import AuditRecord
from sandbox.sql import Sessions
from tests.services.sandbox.agreement_terms import bruno_agreement, debt_terms, make_agreement
from tests.services.sandbox.conftest import API_KEY, StartSandbox, client_for

SECRET = "test-events-secret-0123456789"


async def pay(api: httpx.AsyncClient, reference: str, method: str = "pix") -> httpx.Response:
    return await api.post("/v1/payments", json={"reference": reference, "method": method})


async def test_the_last_installment_pays_the_agreement_and_its_bills(
    api: httpx.AsyncClient, sessions: Sessions
) -> None:
    agreement = await bruno_agreement(api)
    first, second = (item["id"] for item in agreement["installments"])

    paid = await pay(api, first)
    again = await pay(api, first.lower(), "card")
    (current,) = (await api.get("/v1/members/M0002/agreements")).json()["agreements"]

    assert paid.status_code == 201
    assert paid.json() == {
        "reference": first,
        "amount_cents": 56048,
        "currency": "BRL",
        "paid_at": paid.json()["paid_at"],
        "event_id": "EVT-000001",
    }
    assert paid.json()["paid_at"].startswith("2026-11-18T12:00:00")
    assert again.status_code == 409 and again.json()["detail"]["code"] == "already_paid"
    assert current["status"] == "active"
    assert [(i["status"], i["payment"] is None) for i in current["installments"]] == [
        ("paid", True),
        ("pending", False),
    ]
    overdue = (await api.get("/v1/members/M0002/invoices?status=overdue")).json()["invoices"]
    assert len(overdue) == 2  # still owed until the agreement is paid

    assert (await pay(api, second, "boleto")).status_code == 201
    (current,) = (await api.get("/v1/members/M0002/agreements")).json()["agreements"]
    assert current["status"] == "paid"
    bills = (await api.get("/v1/members/M0002/invoices?status=overdue")).json()["invoices"]
    assert bills == []
    events = (await api.get("/v1/events")).json()["events"]
    assert [(e["event_id"], e["installment_number"], e["agreement_status"]) for e in events] == [
        ("EVT-000001", 1, "active"),
        ("EVT-000002", 2, "paid"),
    ]
    assert events[1] | {"occurred_at": None} == {
        "event_id": "EVT-000002",
        "type": "payment.confirmed",
        "occurred_at": None,
        "member_id": "M0002",
        "conversation_id": "wa-5521912345678",
        "reference": second,
        "agreement_id": agreement["id"],
        "installment_number": 2,
        "installments_total": 2,
        "agreement_status": "paid",
        "amount_cents": 56048,
        "currency": "BRL",
        "method": "boleto",
    }
    async with sessions() as session:
        audited = list(await session.scalars(select(AuditRecord.subject_id)))
    assert first in audited and second in audited


async def test_a_plain_bill_is_paid_with_todays_late_fees(api: httpx.AsyncClient) -> None:
    overdue = (await api.get("/v1/members/M0002/invoices?status=overdue")).json()["invoices"]
    latest = overdue[0]  # 10 days late: 54990 + 1100 + 183

    paid = await pay(api, latest["id"], "card")
    again = await pay(api, latest["id"])
    unknown = [await pay(api, ref) for ref in ("INV-999999", "AGR-2026-999999-01", "nada", "😀")]

    assert paid.status_code == 201
    assert (paid.json()["amount_cents"], paid.json()["currency"]) == (56273, "BRL")
    assert again.status_code == 409
    for response in unknown:
        assert response.status_code == 404
        assert response.json()["detail"]["code"] == "unknown_reference"
    (event,) = (await api.get("/v1/events")).json()["events"]
    assert (event["reference"], event["agreement_id"], event["conversation_id"]) == (
        latest["id"],
        None,
        None,
    )
    assert (await api.get("/v1/members/M0002/debts")).json()["principal_cents"] == 54990
    bad = await api.post("/v1/payments", json={"reference": "x" * 500, "method": "pix"})
    wrong_method = await api.post(
        "/v1/payments", json={"reference": latest["id"], "method": "cash"}
    )
    assert (bad.status_code, wrong_method.status_code) == (422, 422)


async def test_the_checkout_page_shows_pays_and_then_says_paid(api: httpx.AsyncClient) -> None:
    agreement = await bruno_agreement(api)
    link = agreement["installments"][0]["payment"]["payment_link"]
    path = httpx.URL(link).path

    async with client_for_app(api) as browser:
        page = await browser.get(path)
        confirmed = await browser.post(path)
        later = await browser.get(path)
        twice = await browser.post(path)
        unknown = await browser.get("/pay/not-a-real-token-at-all")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'lang="pt"' in page.text and "R$ 560,48" in page.text and "25/11/2026" in page.text
    assert "Pagar com cartão" in page.text and "Bruno" not in page.text
    assert page.headers["cache-control"] == "no-store"
    assert confirmed.status_code == 200 and "Pagamento confirmado" in confirmed.text
    assert "já está paga" in later.text and "já está paga" in twice.text
    assert unknown.status_code == 404
    (event,) = (await api.get("/v1/events")).json()["events"]
    assert (event["method"], event["installment_number"]) == ("card", 1)


async def test_a_spanish_checkout_page(api: httpx.AsyncClient) -> None:
    terms = await debt_terms(api, "M0004", due_dates=["2026-11-30"])
    (installment,) = (await make_agreement(api, "M0004", terms)).json()["installments"]
    path = httpx.URL(installment["payment"]["payment_link"]).path

    async with client_for_app(api) as browser:
        page = await browser.get(path)
        no_pix = await browser.get(path + "/pix.png")

    assert 'lang="es"' in page.text and "119,90 €" in page.text and "Pagar con tarjeta" in page.text
    assert no_pix.status_code == 404


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def png_modules(png: bytes, *, scale: int) -> list[list[bool]]:
    """Dark modules of a 1-bit greyscale PNG (what segno writes), one per `scale` pixels: a
    decoder of our own, so the image is checked without trusting the code that made it."""
    width, height = png_size(png)
    bit_depth, colour_type = png[24], png[25]
    assert (bit_depth, colour_type) == (1, 0)
    data, position = b"", 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data += png[position + 8 : position + 8 + length]
        position += 12 + length
    raw = zlib.decompress(data)
    stride = (width + 7) // 8
    rows = []
    previous = bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, scan = line[0], bytearray(line[1:])
        if kind == 2:  # "up": the only other filter a 1-bit image usually gets
            scan = bytearray((a + b) & 0xFF for a, b in zip(scan, previous, strict=True))
        else:
            assert kind == 0, kind
        previous = bytes(scan)
        rows.append([not (scan[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    return [row[::scale] for row in rows[::scale]]


async def test_the_pix_qr_image_encodes_the_copy_and_paste_code(api: httpx.AsyncClient) -> None:
    agreement = await bruno_agreement(api)
    pix = agreement["installments"][0]["payment"]["pix"]

    async with client_for_app(api) as browser:
        image = await browser.get(httpx.URL(pix["qr_url"]).path)
        await pay(api, agreement["installments"][0]["id"])
        after_paid = await browser.get(httpx.URL(pix["qr_url"]).path)

    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    expected = segno.make(pix["copy_paste"], error="m", micro=False)
    side = expected.symbol_size(scale=8, border=4)
    assert png_size(image.content) == side
    modules = png_modules(image.content, scale=8)
    symbol = [[bool(module) for module in row] for row in expected.matrix]
    assert [row[4:-4] for row in modules[4:-4]] == symbol
    assert after_paid.status_code == 404


class Receiver:
    """A local HTTP endpoint standing for the gateway's /webhooks/insurer."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/insurer"

    def __enter__(self) -> "Receiver":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    # One refusal first: the push is retried.
    with Receiver(answers=[503]) as running:
        yield running


async def test_events_are_pushed_signed_and_listed_for_replay(
    start_sandbox: StartSandbox, receiver: Receiver
) -> None:
    async with (
        start_sandbox(sandbox_events_url=receiver.url, insurer_events_secret=SECRET) as app,
        client_for(app, {"X-API-Key": API_KEY}) as api,
    ):
        agreement = await bruno_agreement(api)
        started = time.time()
        await pay(api, agreement["installments"][0]["id"])
        feed = (await api.get("/v1/events?after=0&limit=10")).json()["events"]
        after_first = (await api.get("/v1/events?after=1")).json()["events"]
        bad = await api.get("/v1/events?after=-1")

    assert len(receiver.received) == 2  # 503, then delivered
    headers, body = receiver.received[-1]
    timestamp = headers["X-Acolhe-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert headers["X-Acolhe-Signature"] == "sha256=" + expected.hexdigest()
    assert abs(int(timestamp) - started) < 30  # the wall clock, not the sandbox's fixed one
    pushed = json.loads(body)
    assert pushed == feed[0]
    assert (pushed["event_id"], pushed["agreement_status"]) == ("EVT-000001", "active")
    assert after_first == []
    assert bad.status_code == 422


async def test_without_a_url_nothing_is_pushed_and_the_feed_has_it(
    api: httpx.AsyncClient, receiver: Receiver
) -> None:
    agreement = await bruno_agreement(api)
    await pay(api, agreement["installments"][0]["id"])

    assert receiver.received == []
    assert len((await api.get("/v1/events")).json()["events"]) == 1


def client_for_app(api: httpx.AsyncClient) -> httpx.AsyncClient:
    """A member's browser: the same app, without the API key."""
    transport = api._transport
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8002")


def test_png_decoder_reads_what_segno_writes() -> None:
    code = segno.make("hello", error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=2, border=1)
    modules = png_modules(out.getvalue(), scale=2)
    assert [row[1:-1] for row in modules[1:-1]] == [[bool(m) for m in r] for r in code.matrix]


async def test_payments_move_with_the_clock(api: httpx.AsyncClient, clock: Any) -> None:
    clock.now += timedelta(days=1)
    overdue = (await api.get("/v1/members/M0004/invoices?status=overdue")).json()["invoices"]
    paid = await pay(api, overdue[0]["id"], "card")
    assert paid.status_code == 201
    assert paid.json()["paid_at"].startswith("2026-11-19T16:00:00+01:00")  # Madrid's clock


def test_an_events_url_needs_a_secret_to_sign_with() -> None:
    from sandbox.settings import SandboxSettingsRefused, check_settings
    from tests.services.sandbox.conftest import sandbox_settings

    unsigned = sandbox_settings("sqlite://", sandbox_events_url="http://127.0.0.1:5005/x")
    with pytest.raises(SandboxSettingsRefused, match="INSURER_EVENTS_SECRET"):
        check_settings(unsigned)
    with pytest.raises(SandboxSettingsRefused, match="SANDBOX_PUBLIC_URL"):
        check_settings(sandbox_settings("sqlite://", sandbox_public_url="ftp://x"))
    dev = sandbox_settings(
        "sqlite://", sandbox_dev_mode=True, sandbox_events_url="http://127.0.0.1:5005/x"
    )
    check_settings(dev)  # a warning only
    assert not dev.pushes_events()

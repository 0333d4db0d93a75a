"""`POST /webhooks/insurer`: the insurer's signed events, acted on once, and the thank-you a member
gets for a confirmed payment, in their language, as WhatsApp allows it at that moment."""

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from channels.models import Conversation, InsurerEvent, utc_now
from tests.services.channels.whatsapp.conftest import StartGateway
from tests.services.channels.whatsapp.harness import (
    Gateway,
    close_window,
    member_in_conversation,
    new_phone,
)

SECRET = "test-insurer-events-secret-0123456789"
PATH = "/webhooks/insurer"
NBSP = "\u00a0"


def payment(conversation_id: str | None, **changes: Any) -> dict[str, Any]:
    """A payment.confirmed event as the sandbox sends it: installment 1 of 3, by PIX."""
    event = {
        "event_id": f"EVT-{time.monotonic_ns()}",
        "type": "payment.confirmed",
        "occurred_at": "2026-12-05T13:00:00+00:00",
        "member_id": "MBR-000123",
        "conversation_id": conversation_id,
        "reference": "AGR-2026-000001-01",
        "agreement_id": "AGR-2026-000001",
        "installment_number": 1,
        "installments_total": 3,
        "agreement_status": "active",
        "amount_cents": 36660,
        "currency": "BRL",
        "method": "pix",
    }
    return event | changes


def signed_headers(body: bytes, *, secret: str = SECRET, at: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return {
        "X-Acolhe-Timestamp": timestamp,
        "X-Acolhe-Signature": f"sha256={digest.hexdigest()}",
        "Content-Type": "application/json",
    }


async def deliver(gateway: Gateway, event: dict[str, Any], **signing: Any) -> httpx.Response:
    body = json.dumps(event).encode()
    return await gateway.http.post(PATH, content=body, headers=signed_headers(body, **signing))


@pytest.fixture
async def gateway(start_gateway: StartGateway) -> AsyncIterator[Gateway]:
    async with start_gateway(insurer_events_secret=SecretStr(SECRET)) as started:
        yield started


async def events(gateway: Gateway) -> list[tuple[Any, ...]]:
    return await gateway.db.raw_rows(InsurerEvent.__tablename__)


# --- who may post -------------------------------------------------------------------------------


async def test_a_well_signed_event_is_accepted_and_recorded(gateway: Gateway) -> None:
    response = await deliver(gateway, payment(None, event_id="EVT-000001"))

    assert (response.status_code, response.json()) == (202, {"status": "ignored"})
    ((event_id, kind, outcome, _),) = await events(gateway)
    assert (event_id, kind, outcome) == ("EVT-000001", "payment.confirmed", "ignored")


@pytest.mark.parametrize(
    ("signing", "reason"),
    [
        ({"secret": "someone-else"}, "does not match"),
        ({"at": time.time() - 301}, "300 seconds"),
        ({"at": time.time() + 400}, "300 seconds"),
    ],
)
async def test_a_wrong_or_stale_signature_is_refused_with_its_reason(
    gateway: Gateway, signing: dict[str, Any], reason: str
) -> None:
    response = await deliver(gateway, payment(None), **signing)

    assert response.status_code == 401
    assert reason in response.json()["detail"]
    assert await events(gateway) == []


async def test_a_missing_or_malformed_signature_or_a_changed_body_is_refused(
    gateway: Gateway,
) -> None:
    body = json.dumps(payment(None)).encode()
    headers = signed_headers(body)
    unsigned = await gateway.http.post(PATH, content=body)
    no_prefix = await gateway.http.post(
        PATH,
        content=body,
        headers=headers | {"X-Acolhe-Signature": headers["X-Acolhe-Signature"][7:]},
    )
    not_seconds = await gateway.http.post(
        PATH, content=body, headers=headers | {"X-Acolhe-Timestamp": "yesterday"}
    )
    changed = await gateway.http.post(PATH, content=body.replace(b"36660", b"1"), headers=headers)

    for response in (unsigned, no_prefix, not_seconds, changed):
        assert response.status_code == 401, response.text
        assert response.json()["detail"]
    assert await events(gateway) == []


async def test_without_a_secret_the_webhook_says_it_is_not_configured(
    start_gateway: StartGateway,
) -> None:
    async with start_gateway() as gateway:
        response = await deliver(gateway, payment(None))

    assert response.status_code == 503
    assert response.json()["detail"] == "INSURER_EVENTS_SECRET is not set"


@pytest.mark.parametrize(
    "event",
    [
        {"type": "payment.confirmed"},
        payment(None, amount_cents="a lot"),
        {k: v for k, v in payment(None).items() if k != "currency"},
        payment(None, agreement_status="forgiven"),
    ],
)
async def test_a_malformed_body_is_422_without_echoing_it(
    gateway: Gateway, event: dict[str, Any]
) -> None:
    response = await deliver(gateway, event)

    assert response.status_code == 422
    assert "a lot" not in response.text
    assert await events(gateway) == []


async def test_a_body_that_is_not_json_is_422(gateway: Gateway) -> None:
    body = b"event_id=EVT-1"
    response = await gateway.http.post(PATH, content=body, headers=signed_headers(body))

    assert response.status_code == 422


# --- what the member gets -----------------------------------------------------------------------


async def test_inside_the_window_the_member_gets_a_thank_you_as_text_once(
    gateway: Gateway,
) -> None:
    member = await member_in_conversation(gateway)
    event = payment(member.conversation_id)

    first = await deliver(gateway, event)
    again = await deliver(gateway, event)

    assert (first.status_code, first.json()) == (202, {"status": "queued"})
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    received = await member.wait_for(2)
    assert received[1]["body"] == (
        f"Recebemos o seu pagamento de R${NBSP}366,60, parcela 1 de 3 do acordo "
        "AGR-2026-000001. Muito obrigada! 💚"
    )
    assert len(await member.outbound()) == 2  # the delay notice and the thank-you, once
    assert len(await events(gateway)) == 1


async def test_outside_the_window_the_thank_you_is_the_template_in_spanish(
    gateway: Gateway,
) -> None:
    member = await member_in_conversation(gateway, new_phone("+56"))
    await close_window(gateway, member)

    response = await deliver(
        gateway,
        payment(
            member.conversation_id,
            reference="AGR-2026-000007-03",
            agreement_id="AGR-2026-000007",
            installment_number=3,
            agreement_status="paid",
            amount_cents=4_500_000,
            currency="CLP",
        ),
    )

    assert response.status_code == 202
    sent = (await member.wait_for(2))[1]
    assert sent["content_sid"] == "HX00000000000000000000000000000012"
    assert sent["content_variables"] == {
        "1": f"${NBSP}45.000",
        "2": "cuota 3 de 3 del acuerdo AGR-2026-000007, que ahora está saldado",
    }
    assert (await member.outbound())[-1].text == (
        f"Recibimos tu pago de ${NBSP}45.000, cuota 3 de 3 del acuerdo AGR-2026-000007, "
        "que ahora está saldado. ¡Muchas gracias! 💚"
    )


async def test_outside_the_window_in_portuguese_the_template_says_the_agreement_is_settled(
    gateway: Gateway,
) -> None:
    member = await member_in_conversation(gateway)
    await close_window(gateway, member)

    await deliver(
        gateway, payment(member.conversation_id, installment_number=3, agreement_status="paid")
    )

    sent = (await member.wait_for(2))[1]
    assert sent["content_sid"] == "HX00000000000000000000000000000011"
    assert sent["content_variables"] == {
        "1": f"R${NBSP}366,60",
        "2": "parcela 3 de 3 do acordo AGR-2026-000001, que agora está quitado",
    }


async def test_a_member_who_opted_out_still_gets_the_receipt_of_their_payment(
    gateway: Gateway,
) -> None:
    member = await member_in_conversation(gateway)
    await gateway.db.update_conversation(member.conversation_id, opted_out_at=utc_now())

    response = await deliver(gateway, payment(member.conversation_id))

    assert response.status_code == 202
    assert "Muito obrigada" in (await member.wait_for(2))[1]["body"]


async def test_a_web_chat_visitor_gets_the_thank_you_as_text(gateway: Gateway) -> None:
    visitor = "c" * 32
    await gateway.db.add(Conversation(id=visitor, channel="webchat", language="es"))

    response = await deliver(
        gateway, payment(visitor, amount_cents=36660, currency="EUR", agreement_status="active")
    )

    assert response.status_code == 202
    (sent,) = await gateway.db.messages(visitor)
    text = (
        f"Recibimos tu pago de 366,60{NBSP}€, cuota 1 de 3 del acuerdo AGR-2026-000001. "
        "¡Muchas gracias! 💚"
    )
    assert sent.payload == {"text": text}
    assert await gateway.twilio.messages() == []


async def test_rest_unknown_and_no_conversation_are_ignored(gateway: Gateway) -> None:
    await gateway.db.add(Conversation(id="app-user-77", channel="rest"))

    answers = [
        await deliver(gateway, payment("app-user-77")),
        await deliver(gateway, payment("wa-" + "0" * 40)),
        await deliver(gateway, payment(None, reference="INV-000321", agreement_id=None)),
        await deliver(gateway, {**payment(None), "type": "member.updated"}),
    ]

    assert [(a.status_code, a.json()) for a in answers] == [(202, {"status": "ignored"})] * 4
    assert await gateway.db.messages("app-user-77") == []
    assert len(await events(gateway)) == 4
    assert await gateway.twilio.messages() == []

"""The reminders pass end to end: the real insurer sandbox's feed and claims, the real gateway's
outbound API, and what Twilio (its stand-in) was asked to send the member.

Bruno (M0002, São Paulo) agrees on the day of the sandbox's clock (Wednesday 2026-11-18) to pay
his overdue bills in one installment due Thursday 2026-11-26: D-3 is Monday the 23rd, D-1
Wednesday the 25th, D+3 Sunday the 29th, moved to Monday the 30th.
"""

import hashlib
import json
import secrets
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from channels.models import utc_now
from common.money import money
from sandbox.collections.models import Reminder
from tests.services.channels.whatsapp.harness import Gateway, Member, member_in_conversation
from tests.services.worker.conftest import Insurer
from worker.reminders.gateway import GatewayMessages
from worker.reminders.job import send_due_reminders

MEMBER = "M0002"
DUE = date(2026, 11, 26)
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
REMINDER_SID = {"pt": "HX00000000000000000000000000000005"}
OVERDUE_SID = {"pt": "HX00000000000000000000000000000009"}


def local(moment: str) -> datetime:
    """A moment on the member's clock, as the worker's UTC now."""
    return datetime.fromisoformat(moment).replace(tzinfo=SAO_PAULO).astimezone(UTC)


async def agree(insurer: Insurer, member: Member, *, consent: bool | None) -> dict[str, Any]:
    """Bruno accepts, on WhatsApp, to pay his whole debt on DUE; and says yes or no to
    reminders, or nothing."""
    debts = (await insurer.api.get(f"/v1/members/{MEMBER}/debts")).json()
    total = debts["principal_cents"] + debts["charges_cents"]
    terms = {
        "member_id": MEMBER,
        "invoice_ids": sorted(i["id"] for i in debts["invoices"] if not i["disputed"]),
        "currency": debts["currency"],
        "tier": "standard",
        "principal_cents": debts["principal_cents"],
        "charges_cents": debts["charges_cents"],
        "discount_cents": 0,
        "interest_cents": 0,
        "total_cents": total,
        "installments": [{"number": 1, "due_date": DUE.isoformat(), "amount_cents": total}],
        "text": "Uma parcela com vencimento em 26/11/2026.",
    }
    canonical = json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    created = await insurer.api.post(
        f"/v1/members/{MEMBER}/agreements",
        headers={"Idempotency-Key": secrets.token_hex(8)},
        json={
            "terms": terms,
            "terms_hash": hashlib.sha256(canonical.encode()).hexdigest(),
            "acceptance": {
                "channel": "whatsapp",
                "conversation_id": member.conversation_id,
                "protocol": None,
                "accepted_at": utc_now().isoformat(),
                "message_ids": {"summary": "1", "acceptance": "2"},
            },
        },
    )
    assert created.status_code == 201, created.text
    agreement: dict[str, Any] = created.json()
    if consent is not None:
        answer = await insurer.api.put(
            f"/v1/members/{MEMBER}/agreements/{agreement['id']}/reminders",
            json={"consent": consent, "channel": "whatsapp", "message_id": "3"},
        )
        assert answer.status_code == 200, answer.text
    return agreement


async def run_pass(
    insurer: Insurer, gateway_messages: GatewayMessages, at: datetime
) -> dict[str, int]:
    insurer.clock.now = at
    return await send_due_reminders(insurer=insurer.reminders, gateway=gateway_messages, now=at)


async def claimed(insurer: Insurer) -> list[dict[str, Any]]:
    """The installment's reminders as the feed shows them."""
    feed = (
        await insurer.api.get(
            "/v1/collections/installments", params={"due_from": DUE, "due_to": DUE}
        )
    ).json()["installments"]
    (installment,) = feed
    reminders: list[dict[str, Any]] = installment["reminders"]
    return reminders


async def records(insurer: Insurer) -> list[tuple[int, str, int | None, str | None]]:
    """The reminders' rows in the sandbox: offset, outcome, message id and detail."""
    async with insurer.sessions() as session:
        rows = await session.scalars(select(Reminder).order_by(Reminder.offset_days))
        return [(r.offset_days, r.outcome, r.message_id, r.detail) for r in rows]


async def templates_received(member: Member) -> list[dict[str, Any]]:
    return [m for m in await member.received() if m["content_sid"]]


async def test_a_consenting_member_gets_each_reminder_once_at_ten_on_their_clock(
    gateway: Gateway, insurer: Insurer, gateway_messages: GatewayMessages
) -> None:
    member = await member_in_conversation(gateway)
    agreement = await agree(insurer, member, consent=True)
    amount = money(agreement["installments"][0]["amount_cents"], "BRL")

    early = await run_pass(insurer, gateway_messages, local("2026-11-23 09:50"))
    d_minus_3 = await run_pass(insurer, gateway_messages, local("2026-11-23 10:00"))
    again = await run_pass(insurer, gateway_messages, local("2026-11-23 10:10"))

    assert early == {"not_due": 1}
    assert d_minus_3 == {"sent": 1}
    assert again == {"already_claimed": 1}
    reminder = (await member.wait_for(2))[1]
    sent = await templates_received(member)
    assert [(m["content_sid"], m["content_variables"]) for m in sent] == [
        (REMINDER_SID["pt"], {"1": "26/11/2026", "2": amount})
    ]
    assert reminder["to"] == member.address
    (record,) = await claimed(insurer)
    assert record == {"offset_days": -3, "outcome": "sent"}
    stored = (await member.outbound())[-1]
    assert await records(insurer) == [(-3, "sent", stored.id, None)]
    assert stored.text == (
        f"Olá! Passando para lembrar que a parcela de {amount} vence em 26/11/2026. "
        "Se precisar de ajuda, é só responder."
    )

    # Sunday the 29th is no day for it: the overdue reminder waits for Monday at ten.
    sunday = await run_pass(insurer, gateway_messages, local("2026-11-29 10:00"))
    overdue = await run_pass(insurer, gateway_messages, local("2026-11-30 10:00"))

    assert sunday == {"not_due": 1}
    assert overdue == {"sent": 1}
    await member.wait_for(3)
    assert [m["content_sid"] for m in await templates_received(member)] == [
        REMINDER_SID["pt"],
        OVERDUE_SID["pt"],
    ]
    assert [r["offset_days"] for r in await claimed(insurer)] == [-3, 3]


async def test_a_worker_that_was_down_catches_up_the_same_day_but_not_at_night(
    gateway: Gateway, insurer: Insurer, gateway_messages: GatewayMessages
) -> None:
    member = await member_in_conversation(gateway)
    await agree(insurer, member, consent=True)

    night = await run_pass(insurer, gateway_messages, local("2026-11-23 20:00"))
    next_morning = await run_pass(insurer, gateway_messages, local("2026-11-24 10:00"))
    d_minus_1_afternoon = await run_pass(insurer, gateway_messages, local("2026-11-25 15:40"))

    assert night == next_morning == {"not_due": 1}
    assert d_minus_1_afternoon == {"sent": 1}
    assert await claimed(insurer) == [{"offset_days": -1, "outcome": "sent"}]


async def test_nothing_is_sent_without_consent(
    gateway: Gateway, insurer: Insurer, gateway_messages: GatewayMessages
) -> None:
    member = await member_in_conversation(gateway)
    await agree(insurer, member, consent=None)

    unasked = await run_pass(insurer, gateway_messages, local("2026-11-23 10:00"))
    await agree_no_more(insurer)
    refused = await run_pass(insurer, gateway_messages, local("2026-11-25 10:00"))

    assert unasked == refused == {"no_consent": 1}
    assert await claimed(insurer) == []
    assert await templates_received(member) == []


async def agree_no_more(insurer: Insurer) -> None:
    (agreement,) = (await insurer.api.get(f"/v1/members/{MEMBER}/agreements")).json()["agreements"]
    answer = await insurer.api.put(
        f"/v1/members/{MEMBER}/agreements/{agreement['id']}/reminders",
        json={"consent": False, "channel": "whatsapp", "message_id": "4"},
    )
    assert answer.status_code == 200, answer.text


async def test_a_member_who_opted_out_is_not_reminded_and_the_refusal_is_recorded(
    gateway: Gateway, insurer: Insurer, gateway_messages: GatewayMessages
) -> None:
    member = await member_in_conversation(gateway)
    await agree(insurer, member, consent=True)
    await gateway.db.update_conversation(member.conversation_id, opted_out_at=utc_now())

    first = await run_pass(insurer, gateway_messages, local("2026-11-23 10:00"))
    again = await run_pass(insurer, gateway_messages, local("2026-11-23 10:10"))

    assert first == {"refused": 1}
    assert again == {"already_claimed": 1}
    assert await claimed(insurer) == [{"offset_days": -3, "outcome": "refused"}]
    assert await templates_received(member) == []
    assert await records(insurer) == [(-3, "refused", None, "opted_out")]

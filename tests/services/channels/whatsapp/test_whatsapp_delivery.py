"""Getting a message to the member through Twilio: retries while Twilio fails, give-ups, and what
Twilio's status callbacks say happened."""

import asyncio
from typing import Any

import pytest

from tests.services.channels.whatsapp.conftest import StartGateway
from tests.services.channels.whatsapp.harness import (
    STATUS_PATH,
    Gateway,
    Member,
    member_in_conversation,
    status_params,
)
from tests.twilio_standin import signature

AGENT_REPLY = "Seu reembolso foi aprovado e cai na conta em até 5 dias úteis."


def settled(report: dict[str, Any]) -> bool:
    return report["status"] != "pending"


@pytest.mark.parametrize(("status", "failures"), [(500, 1), (429, 2)])
async def test_twilio_failing_for_a_while_is_retried_until_delivered(
    gateway: Gateway, status: int, failures: int
) -> None:
    member = await member_in_conversation(gateway)
    await gateway.twilio.fail_next(status, failures)

    message_id = await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})

    report = await gateway.report_until(message_id, lambda r: r["status"] == "read")
    assert (report["attempts"], report["error"]) == (failures + 1, None)
    # Delivered once: the refused attempts never reached the member.
    assert (await member.bodies())[1:] == [AGENT_REPLY]
    refused = await gateway.twilio.failures()
    assert (refused["pending"], len(refused["served"])) == (0, failures)
    assert all(f["fields"]["Body"] == AGENT_REPLY for f in refused["served"])


async def test_message_waiting_for_its_retry_is_not_overtaken(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    await gateway.twilio.fail_next(503, 1)

    first = await gateway.sent_one(member.conversation_id, {"text": "Primeiro, o protocolo: 123."})
    second = await gateway.sent_one(member.conversation_id, {"text": "Depois, o prazo: 5 dias."})

    received = await member.wait_for(3)
    assert [m["body"] for m in received[1:]] == [
        "Primeiro, o protocolo: 123.",
        "Depois, o prazo: 5 dias.",
    ]
    assert (await gateway.report_until(first, settled))["attempts"] == 2
    assert (await gateway.report_until(second, settled))["attempts"] == 1


async def test_message_twilio_refuses_fails_with_its_code_and_the_next_goes_out(
    gateway: Gateway,
) -> None:
    member = await member_in_conversation(gateway)
    await gateway.twilio.fail_next(400, 1, code=21211)

    refused = await gateway.sent_one(member.conversation_id, {"text": "primeira tentativa"})
    following = await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})

    report = await gateway.report_until(refused, settled)
    assert report == {
        "message_id": refused,
        "status": "failed",
        "error": "21211",
        "attempts": 1,
        "events": [],
    }
    assert (await gateway.report_until(following, lambda r: r["status"] == "read"))["error"] is None
    assert (await member.bodies())[1:] == [AGENT_REPLY]


async def test_message_failing_every_time_is_given_up(start_gateway: StartGateway) -> None:
    async with start_gateway(outbox_max_attempts=3) as gateway:
        member = await member_in_conversation(gateway)
        await gateway.twilio.fail_next(500, 3)

        given_up = await gateway.sent_one(member.conversation_id, {"text": "vai falhar"})

        report = await gateway.report_until(given_up, settled)
        assert (report["status"], report["error"], report["attempts"]) == ("failed", "20500", 3)
        # Twilio works again: the next message is not held back by the one given up.
        await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})
        assert [m["body"] for m in (await member.wait_for(2))[1:]] == [AGENT_REPLY]


async def sent_without_callbacks(gateway: Gateway, member: Member) -> tuple[int, str]:
    """An agent's message Twilio accepted, whose callbacks the test will post itself."""
    await gateway.twilio.set_callbacks("none")
    message_id = await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})
    received = await member.wait_for(2)
    assert (await gateway.report_until(message_id, settled))["status"] == "sent"
    return message_id, received[1]["sid"]


async def test_status_callback_without_a_valid_signature_changes_nothing(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    message_id, sid = await sent_without_callbacks(gateway, member)
    read = status_params(sid, member.address, "read")

    unsigned = await gateway.post_status(read, signed=False)
    other_url = await gateway.post_status(read, url="https://elsewhere.example" + STATUS_PATH)
    forged = await gateway.http.post(
        STATUS_PATH,
        data=read,
        headers={"X-Twilio-Signature": signature("f" * 32, gateway.url + STATUS_PATH, read)},
    )

    assert [r.status_code for r in (unsigned, other_url, forged)] == [403, 403, 403]
    report = (await gateway.report(message_id)).json()
    assert (report["status"], report["events"]) == ("sent", [])


async def test_callbacks_out_of_order_never_move_a_message_back(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    message_id, sid = await sent_without_callbacks(gateway, member)

    for status in ("read", "delivered", "sent", "sending"):
        response = await gateway.post_status(status_params(sid, member.address, status))
        assert response.status_code == 204

    report = (await gateway.report(message_id)).json()
    assert report["status"] == "read"
    # Each report kept as it came; "sending" is a step before "sent" that changes nothing.
    assert [e["status"] for e in report["events"]] == ["read", "delivered", "sent"]


async def test_callback_for_a_message_the_gateway_does_not_know_is_ignored(
    gateway: Gateway,
) -> None:
    member = await member_in_conversation(gateway)
    await gateway.twilio.wait_for_callbacks(3)

    response = await gateway.post_status(
        status_params("SM" + "0" * 32, member.address, "failed", error_code="30008")
    )

    assert response.status_code == 204
    assert [m.status for m in await member.outbound()] == ["read"]


@pytest.mark.parametrize(("mode", "code"), [("failed", 63016), ("undelivered", 30008)])
async def test_twilio_reporting_a_failure_is_recorded_with_its_code(
    gateway: Gateway, mode: str, code: int
) -> None:
    member = await member_in_conversation(gateway)
    await gateway.twilio.set_callbacks(mode, error_code=code)  # type: ignore[arg-type]

    message_id = await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})

    report = await gateway.report_until(message_id, lambda r: len(r["events"]) == 2)
    assert (report["status"], report["error"], report["attempts"]) == (mode, str(code), 1)
    assert [(e["status"], e["error_code"]) for e in report["events"]] == [
        ("sent", None),
        (mode, str(code)),
    ]
    await asyncio.sleep(0.1)
    assert len(await member.received()) == 2  # not sent again: Twilio gave up, so does the outbox


async def test_callback_overtaking_the_outbox_is_kept_by_our_message_id(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    message_id = await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})
    await gateway.report_until(message_id, lambda r: r["status"] == "read")

    # Twilio's callback names a SID the gateway has not stored yet (it raced the create's
    # answer); the message id in the callback URL still finds the message.
    early = status_params("SM" + "0" * 32, member.address, "delivered")
    response = await gateway.post_status(early, query=f"?message_id={message_id}")

    assert response.status_code == 204
    report = (await gateway.report(message_id)).json()
    assert [event["status"] for event in report["events"]][-1] == "delivered"
    assert report["status"] == "read"  # and it never moves a message back

"""WhatsApp end to end: signed webhooks into the real stack, answers out through the real twilio
client to the Twilio stand-in; duplicates, and Rasa dying mid-conversation."""

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import Engine, text

from ops.stack import Stack
from tests.e2e.replies import response
from tests.e2e.whatsapp import WhatsAppMember
from tests.twilio_standin import StandinServer


@pytest.fixture
def member(stack: Stack, twilio: StandinServer) -> Iterator[WhatsAppMember]:
    person = WhatsAppMember(stack, twilio)
    yield person
    person.close()


def conversation_of(gateway_database: Engine, message_sid: str) -> str:
    with gateway_database.connect() as connection:
        return str(
            connection.execute(
                text("SELECT conversation_id FROM messages WHERE channel_message_id = :sid"),
                {"sid": message_sid},
            ).scalar_one()
        )


def user_texts(tracker_database: Engine, sender: str) -> list[str]:
    with tracker_database.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        ).scalars()
        return [json.loads(row)["text"] for row in rows]


def test_member_is_answered_in_their_language(stack: Stack, twilio: StandinServer) -> None:
    brazilian, chilean = (
        WhatsAppMember(stack, twilio),
        WhatsAppMember(stack, twilio, country="+56"),
    )
    try:
        brazilian.say("oi")
        chilean.say("hola")
        assert brazilian.wait_for(1) == [response("utter_greet", "pt")]
        assert chilean.wait_for(1) == [response("utter_greet", "es")]
    finally:
        brazilian.close()
        chilean.close()


def test_an_emergency_on_whatsapp_gets_guidance_first_then_a_person(
    member: WhatsAppMember,
) -> None:
    member.say("SOCORRO meu filho de 2 anos ta com 40 de febre e nao para de tremer")

    guidance, calling, ticket = member.wait_for(3)
    assert [guidance, calling] == [
        response("utter_emergency_guidance", "pt"),
        response("utter_calling_human_now", "pt"),
    ]
    # Opened at the handoff service, at red: the protocol, and a person coming now.
    assert re.fullmatch(r"Seu protocolo é \d{20}\. Uma pessoa da nossa equipe de saúde .*", ticket)


def test_a_delivery_twilio_retries_gives_one_bot_turn(
    member: WhatsAppMember, gateway_database: Engine, tracker_database: Engine
) -> None:
    params = member.inbound("oi, bom dia")
    # Twilio retrying while the first delivery is still in flight, then once more later.
    with ThreadPoolExecutor(max_workers=3) as pool:
        statuses = list(pool.map(lambda _: member.deliver(params).status_code, range(3)))
    assert statuses == [200, 200, 200]
    assert member.wait_for(1) == [response("utter_greet", "pt")]
    assert member.deliver(params).status_code == 200

    member.say("obrigado")
    replies = member.wait_for(2)
    assert replies == [response("utter_greet", "pt"), response("utter_thanks", "pt")]
    sender = conversation_of(gateway_database, params["MessageSid"])
    assert user_texts(tracker_database, sender) == ["oi, bom dia", "obrigado"]


def test_nothing_is_lost_while_rasa_is_down(
    stack: Stack,
    member: WhatsAppMember,
    gateway_database: Engine,
    tracker_database: Engine,
) -> None:
    member.say("oi")
    assert member.wait_for(1) == [response("utter_greet", "pt")]

    stack.kill_process("rasa")
    try:
        first = member.say("o que vc pode fazer?")
        member.say("obrigado")
        # Accepted at once; the member hears, once, that the answer is coming.
        bodies = member.wait_for(2)
        assert "Recebi sua mensagem" in bodies[1]
        with gateway_database.connect() as connection:
            waiting = connection.execute(
                text(
                    "SELECT count(*) FROM messages WHERE conversation_id = :c "
                    "AND direction = 'in' AND status = 'queued'"
                ),
                {"c": conversation_of(gateway_database, first["MessageSid"])},
            ).scalar_one()
        assert waiting == 2
    finally:
        stack.start_process("rasa")
        stack.wait_until_healthy(timeout=240)

    bodies = member.wait_for(4, timeout=120)
    assert bodies[2:] == [response("utter_help", "pt"), response("utter_thanks", "pt")]
    assert len(member.received()) == 4  # one delay notice, not one per retry
    sender = conversation_of(gateway_database, first["MessageSid"])
    assert user_texts(tracker_database, sender) == ["oi", "o que vc pode fazer?", "obrigado"]


def test_a_forged_webhook_is_refused(stack: Stack, member: WhatsAppMember) -> None:
    params = member.inbound("oi")
    forged = httpx.post(
        f"{stack.gateway_url}/webhooks/whatsapp",
        data=params,
        headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
    )
    assert forged.status_code == 403
    assert member.received() == []

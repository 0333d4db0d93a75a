"""The outbound API (agents' replies, reminders) on WhatsApp: who may send, what WhatsApp allows,
and what reaches the member through Twilio."""

import asyncio
import json

from channels.models import Conversation
from channels.whatsapp.formatting import BODY_LIMIT
from tests.services.channels.whatsapp.harness import (
    API_TOKEN,
    STATUS_PATH,
    WHATSAPP_FROM,
    Gateway,
    close_window,
    member_in_conversation,
    new_phone,
)

AGENT_REPLY = "Oi! Aqui é a Ana, da central. Já vi o seu pedido de reembolso."


async def test_only_the_bearer_of_the_token_may_use_the_api(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    body = {"text": AGENT_REPLY}

    missing = await gateway.send(member.conversation_id, body, token=None)
    wrong = await gateway.send(member.conversation_id, body, token=API_TOKEN + "x")
    basic = await gateway.http.post(
        f"/api/conversations/{member.conversation_id}/messages",
        json=body,
        headers={"Authorization": f"Basic {API_TOKEN}"},
    )
    report = await gateway.report(1, token="nope")

    for response in (missing, wrong, basic, report):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert len(await member.received()) == 1
    assert len(await member.outbound()) == 1


async def test_unknown_and_rest_conversations_are_refused(gateway: Gateway) -> None:
    unknown = await gateway.send("wa-" + "0" * 40, {"text": AGENT_REPLY})
    # A REST client's conversation: it gets answers to its own requests only.
    rest = await gateway.http.post(
        "/webhooks/rest/webhook", json={"sender": "app-user-77", "message": "oi"}
    )
    to_rest = await gateway.send("app-user-77", {"text": AGENT_REPLY})
    no_such_message = await gateway.report(987654)

    assert unknown.status_code == 404
    assert rest.status_code == 503  # Rasa is down; the conversation exists all the same
    assert to_rest.status_code == 422
    assert no_such_message.status_code == 404
    assert await gateway.twilio.messages() == []


async def test_agent_reply_in_the_window_is_delivered_and_read(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)

    message_id = await gateway.sent_one(member.conversation_id, {"text": AGENT_REPLY})

    sent = (await member.wait_for(2))[1]
    assert (sent["body"], sent["to"], sent["from"]) == (AGENT_REPLY, member.address, WHATSAPP_FROM)
    assert sent["status_callback"] == f"{gateway.url}{STATUS_PATH}?message_id={message_id}"
    # The report reads events before the message, so "read" may show in the status a moment
    # before its event does: wait for the event.
    report = await gateway.report_until(
        message_id, lambda r: [e["status"] for e in r["events"]][-1:] == ["read"]
    )
    assert (report["attempts"], report["error"]) == (1, None)
    assert [e["status"] for e in report["events"]] == ["sent", "delivered", "read"]
    assert all(e["error_code"] is None for e in report["events"])
    inbound = await gateway.report((await member.inbound())[0].id)
    assert inbound.status_code == 404  # reports are for outbound messages


async def test_free_text_outside_the_window_is_refused_before_twilio(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    await close_window(gateway, member)

    response = await gateway.send(member.conversation_id, {"text": AGENT_REPLY})

    assert response.status_code == 409
    assert response.json()["detail"] == "outside_24h_window"
    # Refused in the request itself: nothing was stored that could go out later.
    assert len(await member.received()) == 1  # the delay notice only
    assert len(await member.outbound()) == 1


async def test_template_outside_the_window_goes_in_the_members_language(gateway: Gateway) -> None:
    brazil = await member_in_conversation(gateway)
    chile = await member_in_conversation(gateway, new_phone("+56"))
    for member in (brazil, chile):
        await close_window(gateway, member)
    update = {"name": "request_update", "variables": {"status": "aprovado", "protocol": "A-123"}}

    for member in (brazil, chile):
        await gateway.sent_one(member.conversation_id, {"template": update})

    pt, es = (await brazil.wait_for(2))[1], (await chile.wait_for(2))[1]
    assert pt["content_sid"] == "HX00000000000000000000000000000003"
    assert es["content_sid"] == "HX00000000000000000000000000000004"
    for sent in (pt, es):
        # Numbered in the template's order, whatever order they were given in.
        assert sent["content_variables"] == {"1": "A-123", "2": "aprovado"}
        assert json.loads(sent["fields"]["ContentVariables"]) == {"1": "A-123", "2": "aprovado"}
        assert sent["body"] == ""
    # The transcript keeps the approved text with the values in.
    assert (await brazil.outbound())[-1].text == (
        "Novidade sobre o seu pedido A-123: aprovado. Responda esta mensagem se quiser saber mais."
    )


async def test_unknown_template_or_wrong_variables_are_refused(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    wrong = [
        {"template": {"name": "black_friday", "variables": {}}},
        {"template": {"name": "reply_waiting", "variables": {}}},
        {"template": {"name": "reply_waiting", "variables": {"name": "Ana", "extra": "x"}}},
        {"template": {"name": "reply_waiting", "variables": {"nome": "Ana"}}},
        {"text": AGENT_REPLY, "template": {"name": "satisfaction_survey"}},
        {},
        {"text": ""},
    ]

    responses = [await gateway.send(member.conversation_id, body) for body in wrong]

    assert [r.status_code for r in responses] == [422] * len(wrong)
    assert "black_friday" in responses[0].text
    assert len(await member.received()) == 1
    assert len(await member.outbound()) == 1


async def test_long_text_arrives_as_several_messages_in_order(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    sentences = [
        f"Frase número {n} do texto longo sobre a cobertura do seu plano." for n in range(60)
    ]
    long_text = " ".join(sentences)
    assert BODY_LIMIT < len(long_text) <= 4096

    response = await gateway.send(member.conversation_id, {"text": long_text})

    assert response.status_code == 202
    parts = len(response.json()["message_ids"])
    assert parts == 3
    bodies = [m["body"] for m in (await member.wait_for(1 + parts))[1:]]
    assert all(len(body) <= BODY_LIMIT for body in bodies)
    assert " ".join(bodies) == long_text
    # Cut between sentences, not in the middle of a word.
    assert all(body.endswith(".") for body in bodies)


async def test_messages_sent_together_all_go_out_promptly(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    texts = [f"Mensagem {n} da central" for n in range(12)]

    responses = await asyncio.gather(
        *(gateway.send(member.conversation_id, {"text": text}) for text in texts)
    )

    assert [r.status_code for r in responses] == [202] * len(texts)
    # Well before the recovery sweep would find a forgotten one (10 s). Requests made at the
    # same moment have no order of their own: every one arrives, once.
    received = await member.wait_for(1 + len(texts), timeout=3)
    assert sorted(m["body"] for m in received[1:]) == sorted(texts)


async def test_messages_sent_one_after_another_arrive_in_that_order(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    texts = [f"Parte {n} do recado" for n in range(6)]

    for text in texts:
        assert (await gateway.send(member.conversation_id, {"text": text})).status_code == 202

    received = await member.wait_for(1 + len(texts), timeout=3)
    assert [m["body"] for m in received[1:]] == texts


async def test_webchat_conversation_gets_text_but_no_template(gateway: Gateway) -> None:
    visitor = "b" * 32  # a web chat session id
    await gateway.db.add(Conversation(id=visitor, channel="webchat"))

    text = await gateway.send(visitor, {"text": AGENT_REPLY})
    template = await gateway.send(visitor, {"template": {"name": "satisfaction_survey"}})

    assert text.status_code == 202
    assert template.status_code == 422
    (sent,) = await gateway.db.messages(visitor)
    assert (sent.payload, sent.status) == ({"text": AGENT_REPLY}, "sent")
    assert await gateway.twilio.messages() == []

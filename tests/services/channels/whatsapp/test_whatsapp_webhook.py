"""Twilio's incoming-message webhook: who may call it, what is kept, what is never logged."""

import asyncio
import logging
import re

import pytest
from pythonjsonlogger.json import JsonFormatter

from channels.models import GATEWAY_TABLES
from channels.whatsapp import texts
from tests.services.channels.whatsapp.conftest import StartGateway
from tests.services.channels.whatsapp.harness import (
    AUTH_TOKEN,
    WEBHOOK_PATH,
    Gateway,
    eventually,
)
from tests.twilio_standin import StandinControl, signature

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def test_signed_message_is_acknowledged_at_once_and_queued(gateway: Gateway) -> None:
    member = gateway.member()

    response = await member.deliver(member.params("Olá, preciso marcar uma consulta"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text == EMPTY_TWIML
    (message,) = await member.inbound()
    # Rasa is down: the message waits for the bot, whatever happened to it since.
    assert message.status == "queued"
    assert message.text == "Olá, preciso marcar uma consulta"
    assert message.channel_message_id is not None
    assert message.meta == {"channel": "whatsapp"}
    conversation = await member.conversation()
    assert (conversation.channel, conversation.language) == ("whatsapp", "pt")


async def test_webhook_without_twilios_signature_for_this_url_is_refused(gateway: Gateway) -> None:
    member = gateway.member()
    params = member.params("mensagem forjada")
    webhook = gateway.url + WEBHOOK_PATH
    port = gateway.url.rsplit(":", 1)[1]
    forged = {
        "made-up signature": "bm90IGEgc2lnbmF0dXJl",
        "signed for another host": signature(
            AUTH_TOKEN, f"http://gateway.attacker.example:{port}{WEBHOOK_PATH}", params
        ),
        "signed for another path": signature(
            AUTH_TOKEN, gateway.url + "/webhooks/whatsapp/status", params
        ),
        "signed with another account's token": signature("0" * 32, webhook, params),
        "signed for other fields": signature(AUTH_TOKEN, webhook, {**params, "Body": "outra"}),
    }

    unsigned = await member.deliver(params, signed=False)
    assert unsigned.status_code == 403, "no X-Twilio-Signature"
    for case, forged_signature in forged.items():
        response = await gateway.http.post(
            WEBHOOK_PATH, data=params, headers={"X-Twilio-Signature": forged_signature}
        )
        assert response.status_code == 403, case

    assert await gateway.db.all_messages() == []
    assert await gateway.db.conversations() == []
    assert await gateway.twilio.messages() == []


async def test_logs_show_neither_what_the_member_wrote_nor_their_number(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    member = gateway.member()
    digits = member.phone.removeprefix("+")
    words = "Minha senha do app é Girassol-8842 e moro na Rua das Acácias"
    caplog.set_level(logging.INFO)

    await member.say("PARAR")
    await member.wait_for(1)  # the opt-out confirmation
    params = await member.say(words)
    # Twilio retrying it, and someone posting it unsigned: both logged, neither with the text.
    await member.deliver(params)
    assert (await member.deliver(member.params(words), signed=False)).status_code == 403
    await member.wait_for(2)  # and the bot's delay notice
    await gateway.twilio.wait_for_callbacks(6)  # sent, delivered, read for each

    # The lines as the gateway writes them: its own JSON formatter, extras included.
    formatter = next(
        handler.formatter
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JsonFormatter)
    )
    lines = [formatter.format(record) for record in caplog.records]
    logged = "\n".join(lines)
    assert '"message": "whatsapp message queued"' in logged
    assert '"message": "whatsapp message seen before"' in logged
    assert '"message": "whatsapp webhook refused"' in logged
    assert '"message": "consent recorded"' in logged
    for secret in (words, "Girassol", "Acácias", "PARAR", digits, digits[-8:]):
        assert secret not in logged, secret


async def test_signature_for_the_public_url_is_accepted_behind_a_proxy(
    start_gateway: StartGateway, twilio: StandinControl
) -> None:
    public = "https://acolhe.example.com"
    # Callbacks would go to the public URL, which does not exist here.
    await twilio.set_callbacks("none")
    async with start_gateway(public_base_url=public + "/") as gateway:
        member = gateway.member()
        params = member.params("oi, tudo bem?")
        for_internal_url = signature(AUTH_TOKEN, gateway.url + WEBHOOK_PATH, params)

        # The proxy forwards to 127.0.0.1, but Twilio signed the URL it called.
        refused = await gateway.http.post(
            WEBHOOK_PATH, data=params, headers={"X-Twilio-Signature": for_internal_url}
        )
        accepted = await gateway.http.post(
            WEBHOOK_PATH,
            data=params,
            headers={
                "X-Twilio-Signature": signature(AUTH_TOKEN, public + WEBHOOK_PATH, params),
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.9",
            },
        )
        # A webhook configured with a query string is signed with it.
        with_query = member.params("segunda mensagem")
        queried = await gateway.http.post(
            WEBHOOK_PATH + "?tenant=unimed-sul",
            data=with_query,
            headers={
                "X-Twilio-Signature": signature(
                    AUTH_TOKEN, f"{public}{WEBHOOK_PATH}?tenant=unimed-sul", with_query
                )
            },
        )

        assert refused.status_code == 403
        assert accepted.status_code == 200
        assert queried.status_code == 200
        assert [m.text for m in await member.inbound()] == ["oi, tudo bem?", "segunda mensagem"]
        # What the gateway sends asks Twilio for callbacks at the public URL too.
        (notice,) = await member.wait_for(1)
        assert notice["status_callback"].startswith(f"{public}/webhooks/whatsapp/status?")


async def test_message_twilio_delivers_again_is_kept_and_answered_once(gateway: Gateway) -> None:
    member = gateway.member()
    params = await member.say("quero a segunda via do boleto")
    await member.wait_for(1)
    before = await member.conversation()

    again = await member.deliver(params)

    assert again.status_code == 200
    assert again.text == EMPTY_TWIML
    (message,) = await member.inbound()
    assert message.text == "quero a segunda via do boleto"
    # A redelivery changes nothing, not even when the member last wrote.
    after = await member.conversation()
    assert after.last_member_message_at == before.last_member_message_at

    # The bot is retried meanwhile; the member still got one "delayed" notice only.
    await eventually(lambda: _attempts_at_least(gateway, message.id, 2), what="the bot tried again")
    assert await member.bodies() == [texts.say("bot_delayed", "pt")]


async def test_the_same_message_delivered_concurrently_is_kept_once(gateway: Gateway) -> None:
    member = gateway.member()  # a new member: the conversation is created by the race, too
    params = member.params("primeira mensagem")

    responses = await asyncio.gather(*(member.deliver(params) for _ in range(8)))

    assert [r.status_code for r in responses] == [200] * 8
    (message,) = await member.inbound()
    assert message.channel_message_id == params["MessageSid"]
    assert len(await gateway.db.conversations()) == 1
    await member.wait_for(1)
    # The bot tried a third time: any second notice would have been sent by then.
    await eventually(lambda: _attempts_at_least(gateway, message.id, 3), what="three attempts")
    assert await member.bodies() == [texts.say("bot_delayed", "pt")]


async def test_phone_number_is_kept_only_encrypted(gateway: Gateway) -> None:
    member = gateway.member()
    digits = member.phone.removeprefix("+")
    await member.say("oi")
    await member.say("sou eu de novo")
    await member.wait_for(1)
    await gateway.twilio.wait_for_callbacks(3)
    await eventually(lambda: _has_events(gateway), what="delivery events stored")

    (conversation,) = await gateway.db.conversations()
    # The same number, the same pseudonymous conversation, whose id says nothing of the number.
    assert conversation.id == member.conversation_id
    assert re.fullmatch(r"wa-[0-9a-f]{40}", conversation.id)
    assert digits[-8:] not in conversation.id
    assert conversation.address_encrypted is not None
    assert digits.encode() not in conversation.address_encrypted
    assert gateway.vault.decrypt(conversation.address_encrypted) == member.phone
    assert [m.conversation_id for m in await member.inbound()] == [conversation.id] * 2

    for table in GATEWAY_TABLES:
        for row in await gateway.db.raw_rows(table):
            for value in row:
                shown = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                assert digits not in shown, f"{table}: {row}"
                assert digits[-8:] not in shown, f"{table}: {row}"


async def test_numbered_answer_is_stored_as_the_option_it_picks(gateway: Gateway) -> None:
    member = gateway.member()
    await member.say("oi")
    # The delay notice rewrites the options with those it read before: let it be stored first.
    await member.wait_for(1)
    options = [
        {"title": "Segunda via do boleto", "payload": "/ask_invoice"},
        {"title": "Falar com uma pessoa", "payload": "/request_human"},
    ]
    await gateway.db.update_conversation(member.conversation_id, options=options)

    await member.say("2")
    await member.say("opção 1")
    await member.say("Falar com uma pessoa")
    await member.say("3")  # no such option: just words

    metas = [m.meta for m in await member.inbound()]
    assert [meta.get("option") if meta else None for meta in metas] == [
        None,
        options[1],
        options[0],
        options[1],
        None,
    ]


async def _attempts_at_least(gateway: Gateway, message_id: int, attempts: int) -> bool:
    return (await gateway.db.message(message_id)).attempts >= attempts


async def _has_events(gateway: Gateway) -> bool:
    for message in await gateway.db.all_messages():
        if await gateway.db.delivery_events(message.id):
            return True
    return False

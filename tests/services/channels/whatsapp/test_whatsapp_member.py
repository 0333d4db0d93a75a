"""What a member notices on WhatsApp while the bot is down: the gateway's own answers (consent,
media it cannot read, files too large, the bot running late) and the files it keeps."""

import asyncio
import hashlib
import secrets

from channels.whatsapp import texts
from tests.services.channels.whatsapp.conftest import StartGateway
from tests.services.channels.whatsapp.harness import (
    WHATSAPP_FROM,
    Gateway,
    Member,
    eventually,
    new_phone,
)

PROACTIVE_REMINDER = {
    "template": {
        "name": "payment_reminder",
        "variables": {"due_date": "10/12", "amount": "R$ 320"},
    },
    "proactive": True,
}


async def test_parar_stops_proactive_messages_until_voltar(gateway: Gateway) -> None:
    member = gateway.member()

    await member.say("PARAR")

    (confirmation,) = await member.wait_for(1)
    assert confirmation["body"] == texts.say("opted_out", "pt")
    assert (confirmation["to"], confirmation["from"]) == (member.address, WHATSAPP_FROM)
    (parar,) = await member.inbound()
    # Answered by the gateway alone: the bot (down) was never asked.
    assert (parar.status, parar.attempts, parar.error) == ("answered", 0, None)
    (event,) = await gateway.db.consent_events(member.conversation_id)
    assert (event.action, event.channel, event.message_id) == ("opt_out", "whatsapp", parar.id)
    assert (await member.conversation()).opted_out_at is not None

    refused = await gateway.send(member.conversation_id, PROACTIVE_REMINDER)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "opted_out"
    # An agent answering the member is not proactive: that still goes.
    await gateway.sent_one(member.conversation_id, {"text": "Oi! Aqui é a Ana, da central."})
    await member.wait_for(2)

    await member.say("voltar")

    received = await member.wait_for(3)
    assert received[2]["body"] == texts.say("opted_in", "pt")
    events = await gateway.db.consent_events(member.conversation_id)
    assert [e.action for e in events] == ["opt_out", "opt_in"]
    assert (await member.conversation()).opted_out_at is None
    await gateway.sent_one(member.conversation_id, PROACTIVE_REMINDER)
    reminder = (await member.wait_for(4))[3]
    assert reminder["content_sid"] == "HX00000000000000000000000000000005"
    assert reminder["content_variables"] == {"1": "10/12", "2": "R$ 320"}
    assert [m["body"] for m in await member.received()][:2] == [
        texts.say("opted_out", "pt"),
        "Oi! Aqui é a Ana, da central.",
    ]


async def test_spanish_speaking_member_is_answered_in_spanish(gateway: Gateway) -> None:
    spain, chile = gateway.member(new_phone("+34")), gateway.member(new_phone("+56"))

    await spain.say("BAJA")
    await chile.say("¡Baja!")
    await chile.wait_for(1)
    await chile.say("VOLVER")

    assert await _bodies(spain, 1) == [texts.say("opted_out", "es")]
    assert await _bodies(chile, 2) == [texts.say("opted_out", "es"), texts.say("opted_in", "es")]
    assert (await spain.conversation()).language == "es"
    assert (await spain.conversation()).opted_out_at is not None
    assert (await chile.conversation()).opted_out_at is None


async def test_opt_out_while_the_bot_is_down_takes_effect_at_once(gateway: Gateway) -> None:
    member = gateway.member()
    await member.say("oi, quero saber do meu reembolso")
    await member.wait_for(1)  # "running late": the bot is down, the message waits for it

    await member.say("PARAR")

    # The opt-out must not wait for the bot to answer the message before it.
    await eventually(
        lambda: gateway.db.consent_events(member.conversation_id), what="the opt-out recorded"
    )
    assert (await member.conversation()).opted_out_at is not None
    refused = await gateway.send(member.conversation_id, PROACTIVE_REMINDER)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "opted_out"


async def test_words_that_contain_a_keyword_are_not_an_opt_out(gateway: Gateway) -> None:
    member = gateway.member()

    await member.say("não consigo parar de tossir")

    assert await _bodies(member, 1) == [texts.say("bot_delayed", "pt")]
    assert await gateway.db.consent_events(member.conversation_id) == []
    assert (await member.conversation()).opted_out_at is None


async def test_voice_note_video_and_sticker_get_a_kind_answer_without_the_bot(
    gateway: Gateway,
) -> None:
    sends = {
        "voice note": ("audio/ogg", None),
        "video": ("video/mp4", None),
        # Stickers come as image/webp, an accepted image type: MessageType says what they are.
        "sticker": ("image/webp", "sticker"),
    }
    members: dict[str, Member] = {}
    for kind, (content_type, message_type) in sends.items():
        member = members[kind] = gateway.member()
        hosted = await gateway.twilio.upload_media(secrets.token_bytes(2048), content_type)
        await member.say(media=[(hosted["url"], content_type)], message_type=message_type)

    for kind, member in members.items():
        assert await _bodies(member, 1) == [texts.say("unsupported_media", "pt")], kind
        (message,) = await member.inbound()
        assert (message.status, message.attempts, message.error) == ("answered", 0, None), kind
        assert message.meta == {"channel": "whatsapp", "unsupported_media": True}, kind
    assert not gateway.settings.media_dir.exists() or not any(gateway.settings.media_dir.iterdir())


async def test_photo_and_pdf_are_kept_and_wait_for_the_bot(gateway: Gateway) -> None:
    member = gateway.member()
    photo = b"\xff\xd8\xff\xe0" + secrets.token_bytes(150_000)
    pdf = b"%PDF-1.7\n" + secrets.token_bytes(40_000)
    sid = "MM" + secrets.token_hex(16)
    hosted = [
        await gateway.twilio.upload_media(photo, "image/jpeg", message_sid=sid),
        await gateway.twilio.upload_media(pdf, "application/pdf", message_sid=sid),
    ]

    await member.say(
        message_sid=sid,
        media=[(hosted[0]["url"], "image/jpeg"), (hosted[1]["url"], "application/pdf")],
    )

    # The member is told once that the bot runs late, however often it is tried meanwhile.
    assert await _bodies(member, 1) == [texts.say("bot_delayed", "pt")]
    (message,) = await member.inbound()
    await eventually(lambda: _attempts_at_least(member, 2), what="the bot tried again")
    await asyncio.sleep(0.1)
    assert await member.bodies() == [texts.say("bot_delayed", "pt")]

    (message,) = await member.inbound()
    assert (message.status, message.error) == ("queued", "bot_unavailable")
    attachments = message.meta["attachments"]
    assert [a["content_type"] for a in attachments] == ["image/jpeg", "application/pdf"]
    files = await gateway.db.media_files(member.conversation_id)
    assert {f.id for f in files} == {a["id"] for a in attachments}
    for attachment, data in zip(attachments, (photo, pdf), strict=True):
        assert "twilio_url" not in attachment
        assert attachment["size"] == len(data)
        assert attachment["sha256"] == hashlib.sha256(data).hexdigest()
        kept = gateway.settings.media_dir / attachment["id"]
        assert kept.read_bytes() == data
        row = next(f for f in files if f.id == attachment["id"])
        assert (row.message_id, row.size, row.sha256, row.content_type) == (
            message.id,
            len(data),
            attachment["sha256"],
            attachment["content_type"],
        )
    # Fetched once, not on every attempt; no partial download left behind.
    assert sorted(p.name for p in gateway.settings.media_dir.iterdir()) == sorted(
        a["id"] for a in attachments
    )


async def test_file_over_the_limit_gets_a_notice(start_gateway: StartGateway) -> None:
    limit = 1024 * 1024
    async with start_gateway(media_max_bytes=limit) as gateway:
        member = gateway.member()
        hosted = await gateway.twilio.upload_media(b"%PDF" + b"\0" * limit, "application/pdf")

        await member.say(media=[(hosted["url"], "application/pdf")])

        assert await _bodies(member, 1) == [texts.say("file_too_large", "pt", limit_mb=1)]
        assert "1 MB" in (await member.bodies())[0]
        (message,) = await member.inbound()
        assert message.status == "answered"
        assert message.meta["attachments"] == [
            {"content_type": "application/pdf", "rejected": "too_large"}
        ]
        assert await gateway.db.media_files(member.conversation_id) == []
        media_dir = gateway.settings.media_dir
        assert not media_dir.exists() or list(media_dir.iterdir()) == []


async def _bodies(member: Member, count: int) -> list[str]:
    return [message["body"] for message in await member.wait_for(count)]


async def _attempts_at_least(member: Member, attempts: int) -> bool:
    (message,) = await member.inbound()
    return message.attempts >= attempts

"""Twilio's webhooks for WhatsApp: incoming messages and delivery statuses.

An incoming message is checked (signature), stored once (Twilio retries carry the same
MessageSid), queued, and acknowledged at once with empty TwiML; the turn processor answers it
later, in order. Nothing a member wrote, nor their number, goes into a log line.
"""

import logging
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from redis.exceptions import RedisError
from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from channels import store
from channels.models import (
    DELIVERY_PROGRESS,
    Channel,
    ConsentAction,
    DeliveryEvent,
    Message,
    MessageStatus,
    utc_now,
)
from channels.runtime import Runtime, RuntimeDep
from channels.validation import text_problem
from channels.whatsapp.consent import consent_keyword, record_consent
from channels.whatsapp.contacts import language_of, phone_of
from channels.whatsapp.formatting import chosen_option
from channels.whatsapp.signature import is_signed_by_twilio

logger = logging.getLogger(__name__)

router = APIRouter(tags=["whatsapp"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_MEDIA = 10
UNREADABLE_TYPES = ("audio", "video", "sticker", "contacts", "unsupported")


async def signed_form(request: Request, runtime: RuntimeDep) -> dict[str, str]:
    """The webhook's form fields, once Twilio's signature on them is checked."""
    whatsapp = runtime.whatsapp
    if whatsapp is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail="the WhatsApp channel is not configured"
        )
    body = (await request.body()).decode("utf-8", errors="replace")
    form = dict(parse_qsl(body, keep_blank_values=True))
    if not is_signed_by_twilio(
        auth_token=whatsapp.auth_token,
        public_base_url=runtime.settings.public_base_url,
        request=request,
        form=form,
    ):
        logger.warning(
            "whatsapp webhook refused",
            extra={"reason": "bad or missing signature", "path": request.url.path},
        )
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="invalid Twilio signature")
    return form


SignedForm = Annotated[dict[str, str], Depends(signed_form)]


@router.post("/webhooks/whatsapp")
async def incoming_message(form: SignedForm, runtime: RuntimeDep) -> Response:
    whatsapp = runtime.whatsapp
    assert whatsapp is not None
    message_sid, sender = form.get("MessageSid", ""), form.get("From", "")
    if not message_sid or not sender.startswith("whatsapp:"):
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, detail="MessageSid and a whatsapp: From are required"
        )
    phone = phone_of(sender)
    conversation_id = whatsapp.vault.conversation_id(phone)
    known = await store.conversation(runtime.sessions, conversation_id)
    text = _storable(form.get("Body", ""))[: runtime.settings.max_message_chars] or None
    meta = _meta(form, runtime, known.options if known else None, text)
    try:
        message_id = await store.record_inbound(
            runtime.sessions,
            conversation_id=conversation_id,
            channel=Channel.WHATSAPP,
            text=text,
            metadata=meta,
            status=MessageStatus.QUEUED,
            channel_message_id=message_sid,
            address_encrypted=whatsapp.vault.encrypt(phone),
            language=language_of(phone),
        )
    except (SQLAlchemyError, OSError) as error:
        logger.exception("whatsapp message not stored")
        # Twilio retries on 5xx, so the member's message is not lost.
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="try again") from error
    if message_id is None:
        logger.info("whatsapp message seen before", extra={"conversation": conversation_id})
        return _twiml()
    logger.info(
        "whatsapp message queued", extra={"message_id": message_id, "conversation": conversation_id}
    )
    if meta.get("consent"):
        await _record_consent_now(
            runtime, conversation_id, message_id, ConsentAction(meta["consent"])
        )
    try:
        await runtime.queue.notify(conversation_id)
    except RedisError:
        logger.warning("whatsapp message left to recovery", extra={"message_id": message_id})
    return _twiml()


@router.post("/webhooks/whatsapp/status")
async def delivery_status(
    form: SignedForm, runtime: RuntimeDep, message_id: int | None = None
) -> Response:
    sid, reported = form.get("MessageSid", ""), form.get("MessageStatus", "")
    try:
        new_status = MessageStatus(reported)
    except ValueError:
        # queued, accepted, sending...: steps before "sent" that change nothing for us.
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    error_code = form.get("ErrorCode") or None
    async with runtime.sessions() as session, session.begin():
        # By our id (in the signed callback URL), so a callback that overtakes the outbox's
        # bookkeeping of Twilio's SID is not lost; by the SID for callbacks without it.
        found = Message.id == message_id if message_id else Message.channel_message_id == sid
        message = await session.scalar(select(Message).where(found))
        if message is None:
            logger.info("status for an unknown message", extra={"status": reported})
            return Response(status_code=status.HTTP_204_NO_CONTENT)
        await session.execute(
            insert(DeliveryEvent).values(
                message_id=message.id, status=new_status, error_code=error_code, at=utc_now()
            )
        )
        # Only forward, decided in the UPDATE itself: two callbacks handled at once must not
        # let the earlier status overwrite the later one.
        progress = DELIVERY_PROGRESS.get(new_status, 0)
        behind = [name for name, step in DELIVERY_PROGRESS.items() if step < progress]
        values: dict[str, Any] = {"status": new_status, "updated_at": utc_now()}
        if error_code:
            values["error"] = error_code
        await session.execute(
            update(Message)
            .where(Message.id == message.id, Message.status.in_(behind))
            .values(**values)
        )
    if new_status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        logger.warning(
            "whatsapp message not delivered", extra={"message_id": message.id, "error": error_code}
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _record_consent_now(
    runtime: Runtime, conversation_id: str, message_id: int, action: ConsentAction
) -> None:
    """An opt-out takes effect as it arrives, not when the bot has answered what came before it
    (which waits while the bot is down); the confirmation still goes out in the message's turn."""
    try:
        recorded = await record_consent(
            runtime.sessions,
            conversation_id=conversation_id,
            channel=Channel.WHATSAPP,
            message_id=message_id,
            action=action,
        )
    except (SQLAlchemyError, OSError):
        logger.exception("consent left to the turn", extra={"message_id": message_id})
        return
    if recorded:
        logger.info("consent recorded", extra={"message_id": message_id, "action": action})


def _meta(
    form: dict[str, str], runtime: Runtime, options: list[dict[str, str]] | None, text: str | None
) -> dict[str, Any]:
    """What the turn processor needs to know about the message, decided from Twilio's fields."""
    meta: dict[str, Any] = {"channel": "whatsapp"}
    media = [
        (form.get(f"MediaUrl{index}", ""), form.get(f"MediaContentType{index}", ""))
        for index in range(min(_int(form.get("NumMedia")), MAX_MEDIA))
    ]
    # A sticker is an image/webp, an accepted type: what WhatsApp says it is decides.
    unreadable = form.get("MessageType") in UNREADABLE_TYPES
    allowed = [
        (url, kind)
        for url, kind in media
        if url and kind in runtime.settings.media_types and not unreadable
    ]
    if allowed:
        meta["attachments"] = [{"twilio_url": url, "content_type": kind} for url, kind in allowed]
    elif not text and (media or unreadable):
        # A voice note, a video, a sticker, a contact card: nothing the bot could read.
        meta["unsupported_media"] = True
    if form.get("Latitude") and form.get("Longitude"):
        meta["location"] = {
            key: form[field]
            for key, field in (
                ("latitude", "Latitude"),
                ("longitude", "Longitude"),
                ("address", "Address"),
                ("label", "Label"),
            )
            if form.get(field)
        }
    if form.get("ButtonPayload"):
        meta["option"] = {"title": form.get("ButtonText", ""), "payload": form["ButtonPayload"]}
    elif text:
        consent = consent_keyword(text)
        if consent:
            meta["consent"] = consent.value
        option = None if consent else chosen_option(text, options)
        if option:
            meta["option"] = option
    return meta


def _storable(text: str) -> str:
    # Twilio sends valid UTF-8; NUL is the one character PostgreSQL cannot keep.
    return text.replace("\x00", "") if text_problem(text) else text


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def _twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="text/xml")

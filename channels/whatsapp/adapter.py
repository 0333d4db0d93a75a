"""WhatsApp on the durable path: what a stored message means for the bot, and the replies back.

Decided when the message's turn comes, in order with the member's other messages: a consent
keyword is recorded and confirmed without the bot; a file is fetched from Twilio and passed as an
attachment; a numbered answer becomes the button it picks.
"""

import logging
from typing import Any

from sqlalchemy import update

from channels.models import ConsentAction, Conversation, MediaFile, Message
from channels.processor import NotReadyYet, Option, Turn
from channels.rasa_client import RasaReply
from channels.store import Outbound, Sessions
from channels.whatsapp import texts
from channels.whatsapp.consent import record_consent
from channels.whatsapp.formatting import whatsapp_messages
from channels.whatsapp.media import MediaFolder, MediaGone, MediaTooLarge, MediaUnavailable
from channels.whatsapp.sender import WhatsAppSender

logger = logging.getLogger(__name__)

# The texts the bot gets for messages without words (intents of the same names in domain.yml).
ATTACHMENT_INTENT = "/send_attachment"
LOCATION_INTENT = "/share_location"


def notice(text: str) -> Outbound:
    return Outbound(text=text, payload={"body": text})


class WhatsAppAdapter:
    def __init__(
        self,
        *,
        sessions: Sessions,
        sender: WhatsAppSender,
        media: MediaFolder,
        twilio_auth: tuple[str, str],
    ) -> None:
        self.sender = sender
        self._sessions = sessions
        self._media = media
        self._twilio_auth = twilio_auth

    async def prepare(self, conversation: Conversation, message: Message) -> Turn:
        meta: dict[str, Any] = dict(message.meta or {})
        language = conversation.language
        consent = meta.get("consent")
        if consent:
            await self._record_consent(conversation, message, ConsentAction(consent))
            key = "opted_out" if consent == ConsentAction.OPT_OUT else "opted_in"
            return Turn(text=None, notices=[notice(texts.say(key, language))])
        if meta.get("unsupported_media"):
            return Turn(text=None, notices=[notice(texts.say("unsupported_media", language))])

        notices: list[Outbound] = []
        attachments = await self._fetch_attachments(message, meta)
        rejected = {item.get("rejected") for item in attachments}
        if "too_large" in rejected:
            limit_mb = f"{self._media.max_bytes / (1024 * 1024):g}"
            notices.append(notice(texts.say("file_too_large", language, limit_mb=limit_mb)))
        if "gone" in rejected:
            notices.append(notice(texts.say("file_unavailable", language)))
        kept = [item for item in attachments if "id" in item]
        bot_meta = {key: value for key, value in meta.items() if key != "attachments"}
        if kept:
            bot_meta["attachments"] = kept

        option = meta.get("option")
        if option:
            text = option.get("payload") or option.get("title")
        elif message.text:
            # Rasa reads "/intent" as a command, not words: a member typing "/affirm" must not
            # steer the bot past its understanding. Buttons reach it as options above.
            text = message.text.lstrip().lstrip("/") or message.text
        elif meta.get("location"):
            text = LOCATION_INTENT
        elif kept:
            text = ATTACHMENT_INTENT
        else:
            return Turn(text=None, notices=notices)
        # The number the member writes from: the journeys check it against the insurer's record
        # (actions/identity.py). It goes to the bot only, never to a log.
        phone = self.sender.phone_of(conversation)
        return Turn(text=text, metadata=bot_meta, notices=notices, phone=phone)

    def format(self, replies: list[RasaReply]) -> tuple[list[Outbound], list[Option]]:
        messages: list[Outbound] = []
        options: list[Option] = []
        for reply in replies:
            parts, offered = whatsapp_messages(reply)
            messages.extend(parts)
            options = offered or options
        return messages, options

    def delay_notice(self, conversation: Conversation) -> Outbound | None:
        return notice(texts.say("bot_delayed", conversation.language))

    def notice(self, text: str) -> Outbound:
        return notice(text)

    async def _fetch_attachments(
        self, message: Message, meta: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Download what is not downloaded yet, and keep the result on the message, so a retry
        (the bot down, say) does not fetch the files again."""
        attachments: list[dict[str, Any]] = list(meta.get("attachments") or [])
        changed = False
        files: list[MediaFile] = []
        for index, item in enumerate(attachments):
            if "id" in item or "rejected" in item:
                continue
            try:
                stored = await self._media.fetch(
                    item["twilio_url"], content_type=item["content_type"], auth=self._twilio_auth
                )
            except MediaTooLarge:
                attachments[index] = {"content_type": item["content_type"], "rejected": "too_large"}
            except MediaGone:
                attachments[index] = {"content_type": item["content_type"], "rejected": "gone"}
            except MediaUnavailable as error:
                raise NotReadyYet(f"media_unavailable: {error}") from error
            else:
                attachments[index] = {
                    "id": stored.id,
                    "content_type": stored.content_type,
                    "size": stored.size,
                    "sha256": stored.sha256,
                }
                files.append(
                    MediaFile(
                        id=stored.id,
                        conversation_id=message.conversation_id,
                        message_id=message.id,
                        content_type=stored.content_type,
                        size=stored.size,
                        sha256=stored.sha256,
                    )
                )
            changed = True
        if changed:
            meta["attachments"] = attachments
            async with self._sessions() as session, session.begin():
                session.add_all(files)
                await session.execute(
                    update(Message).where(Message.id == message.id).values(meta=meta)
                )
        return attachments

    async def _record_consent(
        self, conversation: Conversation, message: Message, action: ConsentAction
    ) -> None:
        # Usually the webhook has recorded it already, as the message arrived.
        recorded = await record_consent(
            self._sessions,
            conversation_id=conversation.id,
            channel=conversation.channel,
            message_id=message.id,
            action=action,
        )
        if recorded:
            logger.info("consent recorded", extra={"message_id": message.id, "action": action})

"""One REST turn while the client waits: keep the message, ask the bot, keep its replies.

The queued channels (WhatsApp, web chat) go through channels/processor.py instead; REST keeps
Rasa's contract of answering in the response.
"""

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from channels import store
from channels.handoff.link import split_answer
from channels.models import Channel, MessageStatus
from channels.processor import HISTORY_LENGTH, with_history
from channels.rasa_client import RasaClient, RasaReply, RasaUnavailable
from channels.store import Outbound

logger = logging.getLogger(__name__)


class MessageNotKept(Exception):
    """The member's message could not be stored, so it was not passed on; they should resend it."""


async def member_turn(
    *,
    sessions: store.Sessions,
    rasa: RasaClient,
    conversation_id: str,
    channel: Channel,
    text: str,
    metadata: dict[str, Any] | None = None,
) -> list[RasaReply]:
    """Run one turn and return Rasa's reply items for the member.

    Raises MessageNotKept when the database refuses the message, and RasaUnavailable when the bot
    does not answer; in the second case the message stays stored with status `failed`.
    """
    try:
        history = await store.recent_member_texts(
            sessions, conversation_id=conversation_id, limit=HISTORY_LENGTH
        )
        message_id = await store.record_inbound(
            sessions,
            conversation_id=conversation_id,
            channel=channel,
            text=text,
            metadata=metadata,
        )
    except (SQLAlchemyError, OSError) as error:
        logger.exception("inbound message not stored", extra={"channel": channel})
        raise MessageNotKept from error
    assert message_id is not None  # only channel message ids can repeat, and REST has none
    logger.info("inbound message stored", extra={"message_id": message_id, "channel": channel})

    try:
        replies = await rasa.send(
            sender=conversation_id,
            message=text,
            metadata=with_history(metadata, history, channel=channel),
        )
    except RasaUnavailable as error:
        await store.mark_inbound(sessions, message_id=message_id, status=MessageStatus.FAILED)
        logger.warning(
            "bot unavailable, inbound message kept as failed",
            extra={"message_id": message_id, "channel": channel, "reason": str(error)},
        )
        raise

    # The gateway's own instructions (a handoff, a satisfaction answer) are not for the client:
    # agents answer on the queued channels only, where the gateway can reach the member later.
    answer = split_answer(replies)
    if answer.handoff_request is not None:
        logger.info(
            "handoff asked for on REST, where agents cannot answer",
            extra={"message_id": message_id},
        )
    replies = answer.replies
    reply_ids = await store.record_replies(
        sessions,
        conversation_id=conversation_id,
        in_reply_to=message_id,
        replies=[Outbound(text=_text_of(reply), payload=reply) for reply in replies],
        status=MessageStatus.SENT,
    )
    logger.info(
        "turn answered",
        extra={"message_id": message_id, "channel": channel, "replies": len(reply_ids)},
    )
    return replies


def _text_of(reply: RasaReply) -> str | None:
    text = reply.get("text")
    return text if isinstance(text, str) else None

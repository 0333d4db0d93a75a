"""The gateway's side of a handoff (docs/handoff.md).

The bot asks for a person with a custom reply; the gateway keeps that request on the conversation,
in the transaction that stores the bot's answer, and opens the handoff at the handoff service,
again and again until it is open. While it is open, the member's messages go to the agents instead
of the bot. Satisfaction answers travel the same durable way.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import update

from channels.handoff.client import (
    HandoffClient,
    HandoffClosed,
    HandoffRefused,
    HandoffServiceUnavailable,
)
from channels.handoff.texts import ticket_text
from channels.models import Conversation, Direction, Message, MessageStatus, utc_now
from channels.rasa_client import RasaReply
from channels.store import Outbound, Sessions

logger = logging.getLogger(__name__)

# Keys of the bot's custom replies the gateway acts on instead of showing them
# (actions/escalation.py, actions/satisfaction.py).
HANDOFF_REQUEST = "acolhe_handoff"
CSAT_ANSWER = "acolhe_csat"
# What the bot gets when an agent gives the conversation back (the intent in domain.yml).
HANDOFF_RESOLVED = "/handoff_resolved"
# Inbound messages the gateway writes itself carry this key in their metadata.
SYSTEM_EVENT = "acolhe_event"


class Notices(Protocol):
    def notice(self, text: str) -> Outbound: ...


@dataclass(frozen=True)
class BotAnswer:
    """The bot's replies split into what the member sees and what the gateway acts on."""

    replies: list[RasaReply]
    handoff_request: dict[str, Any] | None = None
    csat: dict[str, Any] | None = None

    @property
    def conversation_changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if self.handoff_request is not None:
            changes["handoff_request"] = self.handoff_request
        if self.csat is not None:
            changes["csat_pending"] = self.csat
        return changes


def split_answer(replies: list[RasaReply]) -> BotAnswer:
    shown: list[RasaReply] = []
    request: dict[str, Any] | None = None
    csat: dict[str, Any] | None = None
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get(HANDOFF_REQUEST), dict):
            request = custom[HANDOFF_REQUEST]
        elif isinstance(custom, dict) and isinstance(custom.get(CSAT_ANSWER), dict):
            csat = custom[CSAT_ANSWER]
        else:
            shown.append(reply)
    return BotAnswer(replies=shown, handoff_request=request, csat=csat)


def is_system(message: Message) -> bool:
    return bool((message.meta or {}).get(SYSTEM_EVENT))


class HandoffLink:
    def __init__(self, *, sessions: Sessions, client: HandoffClient) -> None:
        self._sessions = sessions
        self._client = client

    async def deliver_pending(self, conversation_id: str, notices: Mapping[str, Notices]) -> None:
        """Open the handoff the bot asked for, and hand over a satisfaction answer, if either
        waits. What fails now stays stored; recovery brings the conversation back."""
        async with self._sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            return
        if conversation.handoff_request is not None:
            await self._open(conversation, notices[conversation.channel])
        if conversation.csat_pending is not None and conversation.last_handoff_id is not None:
            await self._hand_over_csat(conversation)

    async def relay(
        self, conversation: Conversation, message: Message, attachments: list[dict[str, Any]]
    ) -> bool:
        """Pass a member's message to the agents; False when the handoff has ended (the message
        is then the bot's). Raises HandoffServiceUnavailable to try again later."""
        assert conversation.handoff_id is not None
        try:
            await self._client.relay(conversation.handoff_id, message, attachments)
        except HandoffClosed:
            await self._forget_handoff(conversation.id, conversation.handoff_id)
            return False
        return True

    async def _open(self, conversation: Conversation, notices: Notices) -> None:
        assert conversation.handoff_request is not None
        try:
            ticket = await self._client.open(conversation, conversation.handoff_request)
        except (HandoffServiceUnavailable, HandoffClosed, HandoffRefused) as error:
            logger.warning(
                "handoff not opened yet",
                extra={"conversation": conversation.id, "error": str(error)},
            )
            return
        notice = notices.notice(ticket_text(ticket, conversation.language))
        now = utc_now()
        async with self._sessions() as session, session.begin():
            opened = await session.scalar(
                update(Conversation)
                .where(
                    Conversation.id == conversation.id, Conversation.handoff_request.is_not(None)
                )
                .values(
                    handoff_request=None,
                    handoff_id=ticket.id,
                    last_handoff_id=ticket.id,
                    last_message_at=now,
                )
                .returning(Conversation.id)
            )
            if opened is not None:
                session.add(
                    Message(
                        conversation_id=conversation.id,
                        direction=Direction.OUT,
                        text=notice.text,
                        payload=notice.payload,
                        status=MessageStatus.PENDING,
                        attempts=0,
                        created_at=now,
                    )
                )
        logger.info(
            "handoff opened", extra={"conversation": conversation.id, "handoff_id": ticket.id}
        )

    async def _hand_over_csat(self, conversation: Conversation) -> None:
        assert conversation.csat_pending is not None and conversation.last_handoff_id is not None
        try:
            await self._client.send_csat(conversation.last_handoff_id, conversation.csat_pending)
        except HandoffServiceUnavailable as error:
            logger.warning("satisfaction answer not handed over yet", extra={"error": str(error)})
            return
        except (HandoffClosed, HandoffRefused) as error:
            # Kept in the logs, not retried: the service will never take it.
            logger.error("satisfaction answer refused", extra={"error": str(error)})
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(Conversation)
                .where(Conversation.id == conversation.id)
                .values(csat_pending=None)
            )

    async def _forget_handoff(self, conversation_id: str, handoff_id: int) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.handoff_id == handoff_id)
                .values(handoff_id=None)
            )

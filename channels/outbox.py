"""The outbox: outbound messages are stored `pending`, then sent in order, retried with backoff.

A channel says how one stored message goes out (`ChannelSender`); the outbox owns the order,
the retries and the bookkeeping, the same for every channel.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import case, update

from channels import store
from channels.models import Conversation, Message, MessageStatus, as_utc, utc_now
from channels.store import Sessions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    channel_message_id: str | None = None


@dataclass(frozen=True)
class TryLater:
    """The channel could not take it now (network, 5xx, rate limit): keep it and its place."""

    error: str


@dataclass(frozen=True)
class Refused:
    """Never to be sent as it is: outside the 24-hour window, opted out, or refused by the
    provider for good. Later messages go on."""

    error: str
    status: MessageStatus = MessageStatus.REFUSED


Outcome = Sent | TryLater | Refused


class ChannelSender(Protocol):
    async def send(self, conversation: Conversation, message: Message) -> Outcome: ...


def backoff(attempts: int, *, cap_seconds: float) -> timedelta:
    """1 s, 2 s, 4 s... after each failed attempt, never more than the cap."""
    return timedelta(seconds=min(cap_seconds, 2 ** max(0, attempts - 1)))


class Outbox:
    """Sends a conversation's pending messages. The caller holds the conversation
    (`TurnQueue.work_on`), so no two processes send for it at once and the order holds."""

    def __init__(
        self,
        *,
        sessions: Sessions,
        senders: dict[str, ChannelSender],
        retry_cap_seconds: float,
        max_attempts: int,
    ) -> None:
        self._sessions = sessions
        self._senders = senders
        self._retry_cap_seconds = retry_cap_seconds
        self._max_attempts = max_attempts

    async def send_pending(self, conversation_id: str) -> None:
        """Send the conversation's pending messages, oldest first, until one must wait."""
        for conversation, message in await store.pending_outbound(self._sessions, conversation_id):
            if not _due(message):
                return
            sender = self._senders.get(conversation.channel)
            if sender is None:
                await self._settle(message, Refused(f"no sender for {conversation.channel}"))
                continue
            outcome = await sender.send(conversation, message)
            if not await self._settle(message, outcome):
                return

    async def _settle(self, message: Message, outcome: Outcome) -> bool:
        """Record what happened to one message; True when the next one may go."""
        now = utc_now()
        values: dict[str, object] = {"attempts": message.attempts + 1, "updated_at": now}
        go_on = True
        match outcome:
            case Sent(channel_message_id):
                # A status callback may have come first and moved it further (delivered, read,
                # failed with its code): keep what it recorded.
                still_pending = Message.status == MessageStatus.PENDING
                values.update(
                    status=case((still_pending, MessageStatus.SENT.value), else_=Message.status),
                    error=case((still_pending, None), else_=Message.error),
                    channel_message_id=channel_message_id,
                    next_attempt_at=None,
                )
            case TryLater(error) if message.attempts + 1 >= self._max_attempts:
                values.update(status=MessageStatus.FAILED, error=error, next_attempt_at=None)
            case TryLater(error):
                wait = backoff(message.attempts + 1, cap_seconds=self._retry_cap_seconds)
                values.update(error=error, next_attempt_at=now + wait)
                go_on = False
            case Refused(error, status):
                values.update(status=status, error=error, next_attempt_at=None)
        async with self._sessions() as session, session.begin():
            await session.execute(update(Message).where(Message.id == message.id).values(**values))
        logger.info(
            "outbound message settled",
            extra={
                "message_id": message.id,
                "outcome": type(outcome).__name__,
                "error": getattr(outcome, "error", None),
                "attempts": values["attempts"],
            },
        )
        return go_on


def _due(message: Message) -> bool:
    return message.next_attempt_at is None or as_utc(message.next_attempt_at) <= utc_now()


def next_attempt(attempts: int, *, cap_seconds: float, now: datetime | None = None) -> datetime:
    return (now or utc_now()) + backoff(attempts, cap_seconds=cap_seconds)

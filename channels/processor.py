"""Answers the members' queued messages: one conversation at a time, its messages in order.

Every channel that queues (WhatsApp, web chat) plugs in a `ChannelAdapter`; the processor owns
the order, the bot call, the retries when the bot is down and the hand-over to the outbox.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from redis.exceptions import RedisError

from channels import store
from channels.handoff.client import HandoffRefused, HandoffServiceUnavailable
from channels.handoff.link import BotAnswer, HandoffLink, is_system, split_answer
from channels.models import Conversation, Message, as_utc, utc_now
from channels.outbox import ChannelSender, Outbox, next_attempt
from channels.rasa_client import RasaClient, RasaReply, RasaUnavailable
from channels.store import Outbound, Sessions
from channels.turn_queue import TurnQueue

logger = logging.getLogger(__name__)

# How many earlier member messages Rasa sees, to notice a question asked again (docs/nlu.md).
HISTORY_LENGTH = 5
REDIS_RETRY_SECONDS = 1.0

Option = dict[str, str]


@dataclass(frozen=True)
class Turn:
    """What a stored message becomes for the bot. No `text` means the gateway answers alone
    (with `notices`), e.g. a consent keyword or a file it cannot read."""

    text: str | None
    metadata: dict[str, Any] | None = None
    notices: list[Outbound] = field(default_factory=list)
    # WhatsApp: the number the member writes from, for the bot's identity check only.
    phone: str | None = None


class NotReadyYet(Exception):
    """The message cannot be answered now (its file could not be fetched); try again later."""


class ChannelAdapter(Protocol):
    @property
    def sender(self) -> ChannelSender: ...

    async def prepare(self, conversation: Conversation, message: Message) -> Turn: ...

    def format(self, replies: list[RasaReply]) -> tuple[list[Outbound], list[Option]]: ...

    def delay_notice(self, conversation: Conversation) -> Outbound | None:
        """What to tell a member whose message waits because the bot is down, once."""

    def notice(self, text: str) -> Outbound:
        """A message of the gateway's own, as this channel sends it."""


def with_history(
    metadata: dict[str, Any] | None,
    history: list[str],
    *,
    channel: str,
    message_id: int | None = None,
    phone: str | None = None,
) -> dict[str, Any]:
    """The metadata Rasa gets: the channel's own, plus under `acolhe` what only the gateway
    vouches for: the member's recent messages for the cross-turn signals
    (bot/signals_component.py), the channel, the stored message's id (an agreement records the
    message that accepted it), and on WhatsApp the member's number for the identity check
    (actions/journeys.py). A client's own `acolhe` key is replaced, never merged: nobody writes
    their way into another member's number."""
    ours: dict[str, Any] = {"history": {"recent_member_texts": history}, "channel": channel}
    if message_id is not None:
        ours["message_id"] = message_id
    if phone is not None:
        ours["phone"] = phone
    return {**(metadata or {}), "acolhe": ours}


class TurnProcessor:
    def __init__(
        self,
        *,
        sessions: Sessions,
        queue: TurnQueue,
        rasa: RasaClient,
        outbox: Outbox,
        handoffs: HandoffLink,
        adapters: dict[str, ChannelAdapter],
        concurrency: int,
        retry_cap_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._queue = queue
        self._rasa = rasa
        self._outbox = outbox
        self._handoffs = handoffs
        self._adapters = adapters
        self._slots = asyncio.Semaphore(concurrency)
        self._retry_cap_seconds = retry_cap_seconds
        self._running: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        """Take conversations off the queue until cancelled, `concurrency` of them at a time."""
        while True:
            await self._slots.acquire()
            try:
                conversation_id = await self._queue.next(timeout_seconds=1)
            except RedisError:
                # Work waits in SQL meanwhile; recovery requeues it once Redis is back.
                self._slots.release()
                logger.warning("queue unreachable; trying again shortly")
                await asyncio.sleep(REDIS_RETRY_SECONDS)
                continue
            except BaseException:
                self._slots.release()
                raise
            if conversation_id is None:
                self._slots.release()
                continue
            task = asyncio.create_task(self._process_then_free_slot(conversation_id))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def drain(self, timeout_seconds: float) -> None:
        """On shutdown: let turns in flight finish, so the bot is not asked twice after restart."""
        if self._running:
            await asyncio.wait(self._running, timeout=timeout_seconds)

    async def _process_then_free_slot(self, conversation_id: str) -> None:
        try:
            await self.process(conversation_id)
        except Exception:
            # The messages stay queued in SQL; recovery will bring the conversation back.
            logger.exception(
                "conversation processing failed", extra={"conversation": conversation_id}
            )
        finally:
            self._slots.release()

    async def process(self, conversation_id: str) -> None:
        await self._queue.work_on(conversation_id, lambda: self._work(conversation_id))

    async def _work(self, conversation_id: str) -> None:
        """Answer the member's waiting messages in order, each answer sent before the next
        message is taken; first finish what earlier rounds or agents left (a handoff to open,
        messages in the outbox)."""
        await self._handoffs.deliver_pending(conversation_id, self._adapters)
        await self._outbox.send_pending(conversation_id)
        while (turn := await store.next_turn(self._sessions, conversation_id)) is not None:
            conversation, message = turn
            if not _due(message):
                return
            answered = await self._answer(
                self._adapters[conversation.channel], conversation, message
            )
            await self._outbox.send_pending(conversation_id)
            if not answered:
                return

    async def _answer(
        self, adapter: ChannelAdapter, conversation: Conversation, message: Message
    ) -> bool:
        """Answer one message; False when it must wait (and the ones after it too)."""
        if is_system(message):
            turn = Turn(text=message.text)
        else:
            try:
                turn = await adapter.prepare(conversation, message)
            except NotReadyYet as error:
                await self._put_off(message, str(error))
                return False
            if conversation.handoff_request is not None:
                # The member writes before their handoff is open: it goes to the agent, once open.
                await self._put_off(message, "handoff_not_open_yet")
                return False
            if conversation.handoff_id is not None and turn.text is not None:
                passed = await self._pass_to_agent(conversation, message, turn)
                if passed is not None:
                    return passed
                # The handoff ended meanwhile: the bot answers, as for any message.
        replies: list[Outbound] = list(turn.notices)
        options: list[Option] = []
        answer = BotAnswer(replies=[])
        if turn.text is not None:
            history = await store.recent_member_texts(
                self._sessions,
                conversation_id=conversation.id,
                limit=HISTORY_LENGTH,
                before_message_id=message.id,
            )
            try:
                bot_replies = await self._rasa.send(
                    sender=conversation.id,
                    message=turn.text,
                    metadata=with_history(
                        turn.metadata,
                        history,
                        channel=conversation.channel,
                        message_id=message.id,
                        phone=turn.phone,
                    ),
                )
            except RasaUnavailable as error:
                await self._put_off(message, "bot_unavailable", reason=str(error))
                notice = adapter.delay_notice(conversation) if message.attempts == 0 else None
                if notice is not None:
                    await store.record_replies(
                        self._sessions,
                        conversation_id=conversation.id,
                        in_reply_to=None,
                        replies=[notice],
                        replaces_options=False,
                    )
                return False
            answer = split_answer(bot_replies)
            formatted, options = adapter.format(answer.replies)
            replies.extend(formatted)
        await store.record_replies(
            self._sessions,
            conversation_id=conversation.id,
            in_reply_to=message.id,
            replies=replies,
            options=options or None,
            conversation_changes=answer.conversation_changes,
        )
        if answer.conversation_changes:
            await self._handoffs.deliver_pending(conversation.id, self._adapters)
        logger.info(
            "turn answered",
            extra={
                "message_id": message.id,
                "channel": conversation.channel,
                "replies": len(replies),
            },
        )
        return True

    async def _pass_to_agent(
        self, conversation: Conversation, message: Message, turn: Turn
    ) -> bool | None:
        """While an agent has the conversation the bot is silent: the message goes to the agent.
        True when passed on, False when it must wait, None when the handoff has ended."""
        attachments = (turn.metadata or {}).get("attachments") or []
        try:
            passed = await self._handoffs.relay(conversation, message, attachments)
        except (HandoffServiceUnavailable, HandoffRefused) as error:
            # Kept and retried: a person must see it (a refusal is a misconfiguration to fix).
            await self._put_off(message, "handoff_unavailable", reason=str(error))
            return False
        if not passed:
            return None
        await store.record_replies(
            self._sessions,
            conversation_id=conversation.id,
            in_reply_to=message.id,
            replies=turn.notices,
            replaces_options=False,
        )
        logger.info("turn passed to an agent", extra={"message_id": message.id})
        return True

    async def _put_off(self, message: Message, error: str, reason: str | None = None) -> None:
        attempts = message.attempts + 1
        await store.put_off(
            self._sessions,
            message_id=message.id,
            error=error,
            next_attempt_at=next_attempt(attempts, cap_seconds=self._retry_cap_seconds),
        )
        logger.warning(
            "turn put off",
            extra={
                "message_id": message.id,
                "error": error,
                "reason": reason,
                "attempts": attempts,
            },
        )


def _due(message: Message) -> bool:
    return message.next_attempt_at is None or as_utc(message.next_attempt_at) <= utc_now()

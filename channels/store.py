"""The message log in SQL. Each function is one transaction and commits before it returns."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from channels.models import (
    Channel,
    Conversation,
    Direction,
    InsurerEvent,
    Message,
    MessageStatus,
    utc_now,
)

Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Outbound:
    """One message to send on the conversation's channel, as the outbox will send it."""

    text: str | None
    payload: dict[str, Any]


async def record_inbound(
    sessions: Sessions,
    *,
    conversation_id: str,
    channel: Channel,
    text: str | None,
    metadata: dict[str, Any] | None,
    status: MessageStatus = MessageStatus.RECEIVED,
    channel_message_id: str | None = None,
    address_encrypted: bytes | None = None,
    language: str | None = None,
) -> int | None:
    """Store a member's message (opening the conversation on its first one); return its id, or
    None when the channel already delivered a message with this `channel_message_id`.

    Committed before the message goes anywhere else, so whatever fails afterwards it is not lost.
    """
    now = utc_now()
    async with sessions() as session, session.begin():
        values: dict[str, Any] = {
            "conversation_id": conversation_id,
            "direction": Direction.IN,
            "text": text,
            "meta": metadata,
            "status": status,
            "channel_message_id": channel_message_id,
            "attempts": 0,
            "created_at": now,
        }
        if channel_message_id is not None:
            # Checked before the conversation is touched, so a redelivery changes nothing.
            seen = await session.scalar(
                select(Message.id).where(Message.channel_message_id == channel_message_id)
            )
            if seen is not None:
                return None
        await _upsert_conversation(
            session,
            conversation_id=conversation_id,
            channel=channel,
            now=now,
            address_encrypted=address_encrypted,
            language=language,
        )
        # Two deliveries of the same message racing each other: the unique index lets one in.
        message_id = await session.scalar(
            _insert(session)(Message)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[Message.channel_message_id])
            .returning(Message.id)
        )
        return message_id


async def recent_member_texts(
    sessions: Sessions, *, conversation_id: str, limit: int, before_message_id: int | None = None
) -> list[str]:
    """The member's last `limit` messages in this conversation (before the given one), oldest
    first."""
    conditions = [Message.conversation_id == conversation_id, Message.direction == Direction.IN]
    if before_message_id is not None:
        conditions.append(Message.id < before_message_id)
    async with sessions() as session:
        texts = await session.scalars(
            select(Message.text).where(*conditions).order_by(Message.id.desc()).limit(limit)
        )
        # "/handoff_resolved" and the like are the gateway's words, not the member's.
        return [text for text in reversed(texts.all()) if text and not text.startswith("/")]


async def conversation(sessions: Sessions, conversation_id: str) -> Conversation | None:
    async with sessions() as session:
        return await session.get(Conversation, conversation_id)


async def record_replies(
    sessions: Sessions,
    *,
    conversation_id: str,
    in_reply_to: int | None,
    replies: list[Outbound],
    status: MessageStatus = MessageStatus.PENDING,
    options: list[dict[str, str]] | None = None,
    replaces_options: bool = True,
    conversation_changes: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
) -> list[int]:
    """Store the answer to an inbound message and mark that message answered, all or nothing.

    `options` are the numbered choices the answer offers (channels without buttons); a bot answer
    replaces the conversation's earlier ones, while a notice or an agent's message
    (`replaces_options=False`) leaves them to be answered. `conversation_changes` are set on the
    conversation in the same transaction (a handoff the bot asked for); `meta` goes with each
    reply (who wrote it, for an agent's).
    """
    now = utc_now()
    async with sessions() as session, session.begin():
        messages = [
            Message(
                conversation_id=conversation_id,
                direction=Direction.OUT,
                text=reply.text,
                payload=reply.payload,
                status=status,
                reply_to_id=in_reply_to,
                meta=meta,
                attempts=0,
                created_at=now,
            )
            for reply in replies
        ]
        session.add_all(messages)
        if in_reply_to is not None:
            await _set_status(session, message_id=in_reply_to, status=MessageStatus.ANSWERED)
        changes: dict[str, Any] = {"last_message_at": now, **(conversation_changes or {})}
        if replaces_options:
            changes["options"] = options
        await session.execute(
            update(Conversation).where(Conversation.id == conversation_id).values(**changes)
        )
        await session.flush()
        return [message.id for message in messages]


async def record_insurer_event(
    sessions: Sessions,
    *,
    event_id: str,
    event_type: str,
    outcome: str,
    conversation_id: str | None,
    replies: list[Outbound],
) -> bool:
    """Record an insurer event and put the messages it asks for in the conversation's outbox,
    all or nothing; False when the event was recorded before (a retry, or two deliveries racing:
    the unique id lets one in), and nothing changes then."""
    now = utc_now()
    async with sessions() as session, session.begin():
        recorded = await session.scalar(
            _insert(session)(InsurerEvent)
            .values(event_id=event_id, type=event_type, outcome=outcome, received_at=now)
            .on_conflict_do_nothing(index_elements=[InsurerEvent.event_id])
            .returning(InsurerEvent.event_id)
        )
        if recorded is None:
            return False
        if replies and conversation_id is not None:
            session.add_all(
                Message(
                    conversation_id=conversation_id,
                    direction=Direction.OUT,
                    text=reply.text,
                    payload=reply.payload,
                    status=MessageStatus.PENDING,
                    attempts=0,
                    created_at=now,
                )
                for reply in replies
            )
            await session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id)
                .values(last_message_at=now)
            )
        return True


async def mark_inbound(sessions: Sessions, *, message_id: int, status: MessageStatus) -> None:
    async with sessions() as session, session.begin():
        await _set_status(session, message_id=message_id, status=status)


async def next_turn(
    sessions: Sessions, conversation_id: str
) -> tuple[Conversation, Message] | None:
    """The member's oldest message still waiting for the bot (turns are taken in order), with
    its conversation as it is now."""
    async with sessions() as session:
        row = (
            await session.execute(
                _waiting(conversation_id, Direction.IN, MessageStatus.QUEUED).limit(1)
            )
        ).first()
        return None if row is None else (row[0], row[1])


async def pending_outbound(
    sessions: Sessions, conversation_id: str
) -> list[tuple[Conversation, Message]]:
    """The conversation's messages in the outbox, oldest first."""
    async with sessions() as session:
        rows = await session.execute(
            _waiting(conversation_id, Direction.OUT, MessageStatus.PENDING)
        )
        return [(row[0], row[1]) for row in rows]


def _waiting(conversation_id: str, direction: Direction, status: MessageStatus) -> Any:
    return (
        select(Conversation, Message)
        .join(Message, Message.conversation_id == Conversation.id)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == direction,
            Message.status == status,
        )
        .order_by(Message.id)
    )


async def put_off(
    sessions: Sessions, *, message_id: int, error: str, next_attempt_at: datetime
) -> None:
    """Count a failed attempt and say when to try again; the message keeps its place."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(
                attempts=Message.attempts + 1,
                error=error,
                next_attempt_at=next_attempt_at,
                updated_at=utc_now(),
            )
        )


async def conversations_with_due_work(
    sessions: Sessions, *, now: datetime, created_before: datetime, limit: int
) -> list[str]:
    """Conversations with a queued inbound or pending outbound message whose time has come.

    Only messages older than `created_before` (or put off until now): fresher ones are in Redis
    already, and scanning them would make every message go round twice.
    """
    waiting = or_(
        (Message.direction == Direction.IN) & (Message.status == MessageStatus.QUEUED),
        (Message.direction == Direction.OUT) & (Message.status == MessageStatus.PENDING),
    )
    due = or_(
        Message.next_attempt_at <= now,
        (Message.next_attempt_at.is_(None)) & (Message.created_at < created_before),
    )
    async with sessions() as session:
        ids = list(
            await session.scalars(
                select(Message.conversation_id).where(waiting, due).distinct().limit(limit)
            )
        )
        # A handoff to open or a satisfaction answer to hand over (channels/handoff/link.py).
        calls = or_(
            Conversation.handoff_request.is_not(None), Conversation.csat_pending.is_not(None)
        )
        ids += await session.scalars(
            select(Conversation.id)
            .where(calls, Conversation.last_message_at < created_before)
            .limit(limit)
        )
        return list(dict.fromkeys(ids))


async def end_handoff(
    sessions: Sessions, *, conversation_id: str, handoff_id: int, text: str, meta: dict[str, Any]
) -> int | None:
    """Give the conversation back to the bot: the handoff link is cleared and the bot's turn
    (`text`, e.g. "/handoff_resolved") queued, together. None when that handoff is not the
    conversation's open one."""
    now = utc_now()
    async with sessions() as session, session.begin():
        ended = await session.scalar(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.handoff_id == handoff_id)
            .values(handoff_id=None, last_message_at=now)
            .returning(Conversation.id)
        )
        if ended is None:
            return None
        message = Message(
            conversation_id=conversation_id,
            direction=Direction.IN,
            text=text,
            meta=meta,
            status=MessageStatus.QUEUED,
            attempts=0,
            created_at=now,
        )
        session.add(message)
        await session.flush()
        return message.id


async def _set_status(session: AsyncSession, *, message_id: int, status: MessageStatus) -> None:
    await session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(status=status, next_attempt_at=None, updated_at=utc_now())
    )


def _insert(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def _upsert_conversation(
    session: AsyncSession,
    *,
    conversation_id: str,
    channel: Channel,
    now: datetime,
    address_encrypted: bytes | None,
    language: str | None,
) -> None:
    # One statement, so two first messages of the same sender arriving together cannot both
    # try to create the conversation.
    insert = _insert(session)(Conversation).values(
        id=conversation_id,
        channel=channel,
        created_at=now,
        last_message_at=now,
        last_member_message_at=now,
        address_encrypted=address_encrypted,
        language=language,
    )
    changes: dict[str, Any] = {"last_message_at": now, "last_member_message_at": now}
    if address_encrypted is not None:
        changes["address_encrypted"] = address_encrypted
    statement = insert.on_conflict_do_update(index_elements=[Conversation.id], set_=changes)
    await session.execute(statement)

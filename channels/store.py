"""Writes of the message log. Each function is one transaction and commits before it returns."""

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from channels.models import Channel, Conversation, Direction, Message, MessageStatus, utc_now

Sessions = async_sessionmaker[AsyncSession]


async def record_inbound(
    sessions: Sessions,
    *,
    conversation_id: str,
    channel: Channel,
    text: str,
    metadata: dict[str, Any] | None,
) -> int:
    """Store a member's message (opening the conversation on its first one); return its id.

    Committed before the message goes anywhere else, so whatever fails afterwards it is not lost.
    """
    now = utc_now()
    async with sessions() as session, session.begin():
        await _upsert_conversation(
            session, conversation_id=conversation_id, channel=channel, now=now
        )
        message = Message(
            conversation_id=conversation_id,
            direction=Direction.IN,
            text=text,
            meta=metadata,
            status=MessageStatus.RECEIVED,
            created_at=now,
        )
        session.add(message)
        await session.flush()
        return message.id


async def recent_member_texts(sessions: Sessions, *, conversation_id: str, limit: int) -> list[str]:
    """The member's last `limit` messages in this conversation, oldest first."""
    async with sessions() as session:
        texts = await session.scalars(
            select(Message.text)
            .where(Message.conversation_id == conversation_id, Message.direction == Direction.IN)
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return [text for text in reversed(texts.all()) if text]


async def record_replies(
    sessions: Sessions,
    *,
    conversation_id: str,
    in_reply_to: int,
    replies: list[dict[str, Any]],
) -> list[int]:
    """Store the replies sent for an inbound message and mark it answered, all or nothing."""
    now = utc_now()
    async with sessions() as session, session.begin():
        messages = [
            Message(
                conversation_id=conversation_id,
                direction=Direction.OUT,
                text=reply.get("text") if isinstance(reply.get("text"), str) else None,
                payload=reply,
                status=MessageStatus.SENT,
                reply_to_id=in_reply_to,
                created_at=now,
            )
            for reply in replies
        ]
        session.add_all(messages)
        await _set_status(session, message_id=in_reply_to, status=MessageStatus.ANSWERED)
        await session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(last_message_at=now)
        )
        await session.flush()
        return [message.id for message in messages]


async def mark_inbound(sessions: Sessions, *, message_id: int, status: MessageStatus) -> None:
    async with sessions() as session, session.begin():
        await _set_status(session, message_id=message_id, status=status)


async def _set_status(session: AsyncSession, *, message_id: int, status: MessageStatus) -> None:
    await session.execute(update(Message).where(Message.id == message_id).values(status=status))


async def _upsert_conversation(
    session: AsyncSession, *, conversation_id: str, channel: Channel, now: datetime
) -> None:
    # One statement, so two first messages of the same sender arriving together cannot both
    # try to create the conversation.
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(Conversation)
        .values(id=conversation_id, channel=channel, created_at=now, last_message_at=now)
        .on_conflict_do_update(index_elements=[Conversation.id], set_={"last_message_at": now})
    )
    await session.execute(statement)

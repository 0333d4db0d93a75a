"""The gateway's tables: every conversation and every message in or out, whatever the channel.

Named so they never clash with Rasa's tracker store (`events`), which shares the database.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base

JSONDocument = JSON().with_variant(JSONB(), "postgresql")

# The longest sender/session id a channel may use; REST enforces it at the door.
CONVERSATION_ID_MAX = 128


class Channel(StrEnum):
    REST = "rest"
    WEBCHAT = "webchat"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    # inbound
    RECEIVED = "received"
    ANSWERED = "answered"
    FAILED = "failed"
    # outbound
    SENT = "sent"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Conversation(Base):
    __tablename__ = "conversations"

    # The channel's own sender/session id, so Rasa's tracker and our rows share one key.
    id: Mapped[str] = mapped_column(String(CONVERSATION_ID_MAX), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_created", "conversation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)
    # Outbound: the whole reply item as Rasa gave it (buttons, image, custom...), to replay it.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # `metadata` is taken by SQLAlchemy's declarative base, hence the attribute name.
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONDocument)
    status: Mapped[str] = mapped_column(String(16))
    # Outbound: the inbound message this reply answers.
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

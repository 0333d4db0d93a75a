"""The gateway's tables: every conversation and every message in or out, whatever the channel.

Named so they never clash with Rasa's tracker store (`events`), which shares the database.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base

JSONDocument = JSON().with_variant(JSONB(), "postgresql")

# The longest sender/session id a channel may use; REST enforces it at the door.
CONVERSATION_ID_MAX = 128


class Channel(StrEnum):
    REST = "rest"
    WEBCHAT = "webchat"
    WHATSAPP = "whatsapp"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    # inbound
    RECEIVED = "received"  # REST: being answered while the client waits
    QUEUED = "queued"  # accepted, waiting for its turn with the bot (WhatsApp, web chat)
    ANSWERED = "answered"
    FAILED = "failed"  # REST: the bot did not answer; the client was told to send it again
    # outbound
    PENDING = "pending"  # in the outbox
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    UNDELIVERED = "undelivered"
    REFUSED = "refused"  # never sent: outside the 24-hour window, or the member opted out


# Twilio's callbacks can arrive out of order; a message's status only ever moves forward.
DELIVERY_PROGRESS = {
    MessageStatus.PENDING: 0,
    MessageStatus.SENT: 1,
    MessageStatus.DELIVERED: 2,
    MessageStatus.READ: 3,
    MessageStatus.FAILED: 4,
    MessageStatus.UNDELIVERED: 4,
    MessageStatus.REFUSED: 4,
}


class ConsentAction(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were all stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Conversation(Base):
    __tablename__ = "conversations"

    # REST and web chat: the channel's own sender/session id. WhatsApp: a pseudonym of the phone
    # number (channels/whatsapp/contacts.py). Rasa's tracker uses the same key.
    id: Mapped[str] = mapped_column(String(CONVERSATION_ID_MAX), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # The last time the member wrote: WhatsApp allows free text for 24 hours after it.
    last_member_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "pt" or "es", for what the gateway says itself (consent, media it cannot read, delays).
    language: Mapped[str | None] = mapped_column(String(8))
    # WhatsApp: the phone number, encrypted; needed to answer, never stored or logged in clear.
    address_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The numbered options last offered on a channel without buttons: [{"title", "payload"}].
    options: Mapped[list[dict[str, str]] | None] = mapped_column(JSONDocument)
    # Set while the member has asked for no proactive messages (STOP, PARAR, BAJA...).
    opted_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The handoff the bot asked for, until the handoff service has opened it (channels/handoff).
    handoff_request: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # The open handoff: while set, the member's messages go to agents, not to the bot.
    handoff_id: Mapped[int | None] = mapped_column(Integer)
    # The last handoff, open or ended: the satisfaction answer after it belongs to it.
    last_handoff_id: Mapped[int | None] = mapped_column(Integer)
    # A satisfaction answer the handoff service has not taken yet.
    csat_pending: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_created", "conversation_id", "created_at"),
        # The queue's and the outbox's scans: what is still waiting, by status.
        Index("ix_messages_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)
    # Outbound: what goes out on the channel (a Rasa reply item, or a WhatsApp body, media or
    # template), to send it, retry it and replay it.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    # `metadata` is taken by SQLAlchemy's declarative base, hence the attribute name.
    meta: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONDocument)
    status: Mapped[str] = mapped_column(String(16))
    # The channel's id for the message (Twilio's MessageSid): a delivery seen twice is stored
    # once, and status callbacks find their message.
    channel_message_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Outbound: the inbound message this reply answers.
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why the last attempt failed: a Twilio error code, "bot_unavailable", "outside_24h_window"...
    error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeliveryEvent(Base):
    """One status Twilio reported for an outbound message, as it came."""

    __tablename__ = "delivery_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ConsentEvent(Base):
    """A member stopping or resuming proactive messages: what, when, on which channel."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    # Unique: the webhook and the message's turn may both record it; one of them does.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), unique=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class MediaFile(Base):
    """A file a member sent (a medical request, a receipt), kept under the media folder."""

    __tablename__ = "media_files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class InsurerEvent(Base):
    """An event the insurer pushed (a confirmed payment...), kept by its id so that a delivery the
    insurer retries is acted on once."""

    __tablename__ = "insurer_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    # What the gateway did with it: "queued" (a message went to the outbox) or "ignored".
    outcome: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


GATEWAY_TABLES = (
    "delivery_events",
    "consent_events",
    "media_files",
    "messages",
    "conversations",
    "insurer_events",
)

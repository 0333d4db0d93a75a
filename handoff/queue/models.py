"""The queue's tables: handoffs, their timeline, agents' presence, and the protocol counter."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from handoff.agents.models import utc_now

JSONDocument = JSON().with_variant(JSONB(), "postgresql")

# The gateway's longest conversation id (channels/models.py CONVERSATION_ID_MAX).
CONVERSATION_ID_MAX = 128

# Written the same way in the partial index and in the upsert that relies on it: both databases
# match an ON CONFLICT target to a partial index by its predicate.
OPEN_PREDICATE = "status != 'resolved'"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were all stored in UTC.

    Aware datetimes are converted: SQLite keeps the wall time and drops the zone, so everything
    written must already be UTC.
    """
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class Handoff(Base):
    """A conversation the bot handed to people, from the request until an agent resolves it."""

    __tablename__ = "handoff_handoffs"
    __table_args__ = (
        # One open handoff per conversation, whoever asks and however often.
        Index(
            "uq_handoff_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=text(OPEN_PREDICATE),
            postgresql_where=text(OPEN_PREDICATE),
        ),
        # The queues: waiting handoffs of a skill, oldest first.
        Index("ix_handoff_status_skill_created", "status", "skill", "created_at"),
        # An agent's load (capacity checks) and desk.
        Index("ix_handoff_agent_status", "assigned_agent_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # What the member can quote (protocol.py). Set in the transaction that opens the handoff; only
    # empty between its insert and the next statement, so the counter skips no number.
    protocol: Mapped[str | None] = mapped_column(String(32), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(CONVERSATION_ID_MAX))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    priority: Mapped[str] = mapped_column(String(8))
    # When it got its current priority: each priority's SLA ladder runs from here (handoff/sla).
    priority_since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    skill: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # What the bot knew (who, verified, journey, slots, signals, last turns). Personal and
    # possibly health data: shown to the agent, never logged, never published.
    summary: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    status: Mapped[str] = mapped_column(String(16))
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_agents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # When the current agent got it; None while waiting.
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_agent_reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # 0 until the SLA evaluator escalates it (handoff/sla/sla.yml says what each level means).
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)


class HandoffEvent(Base):
    """One entry of a handoff's timeline; never updated or deleted."""

    __tablename__ = "handoff_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_handoffs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(48))  # enums.EventName
    # The agent who did it; None for the bot, the assigner or the SLA evaluator.
    actor_agent_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_agents.id"))
    # Small and free of personal data: ids, skills, priorities, levels.
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class AgentPresence(Base):
    """Whether an agent is taking conversations now, and when they last got one (round-robin)."""

    __tablename__ = "handoff_agent_presence"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_agents.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))  # enums.PresenceStatus
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProtocolSequence(Base):
    """The last protocol sequence number given out on a day (protocol.py)."""

    __tablename__ = "handoff_protocol_sequences"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)  # YYYYMMDD
    last: Mapped[int] = mapped_column(Integer)

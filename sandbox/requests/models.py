"""Members' requests (authorizations, reimbursements, claims), their status history, the
idempotency keys of authorization creation, and members' follow-ups."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import Base
from sandbox.sql import JSONDocument

TITLE_MAX = 200
NOTE_MAX = 300


class Request(Base):
    __tablename__ = "sandbox_requests"
    __table_args__ = (Index("ix_sandbox_requests_member_opened", "member_id", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # AUT-2026-000123
    # The number without dashes (AUT2026000123): what a lookup compares.
    number_key: Mapped[str] = mapped_column(String(24), unique=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"))
    kind: Mapped[str] = mapped_column(String(16))  # enums.RequestKind
    # Plain words in the member's language, never a diagnosis.
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    beneficiary: Mapped[str] = mapped_column(String(8))
    beneficiary_name: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    urgency: Mapped[str | None] = mapped_column(String(10))  # authorizations only
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    promised_date: Mapped[date | None] = mapped_column(Date)
    ans_category: Mapped[str | None] = mapped_column(String(32))
    ans_max_business_days: Mapped[int | None] = mapped_column(Integer)
    authorization_number: Mapped[str | None] = mapped_column(String(16))
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    provider_name: Mapped[str | None] = mapped_column(String(120))
    scheduled_for: Mapped[date | None] = mapped_column(Date)
    missing_documents: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    attachments: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    contact_protocol: Mapped[str | None] = mapped_column(String(24))

    history: Mapped[list["RequestEvent"]] = relationship(
        order_by="RequestEvent.id", lazy="selectin", cascade="all, delete-orphan"
    )


class RequestEvent(Base):
    """One status a request went through; never changed afterwards."""

    __tablename__ = "sandbox_request_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("sandbox_requests.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Plain words in the member's language.
    note: Mapped[str] = mapped_column(String(NOTE_MAX))


class IdempotencyKey(Base):
    """An `Idempotency-Key` of authorization creation and the request it created."""

    __tablename__ = "sandbox_idempotency_keys"
    __table_args__ = (UniqueConstraint("member_id", "key", name="uq_sandbox_idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"))
    key: Mapped[str] = mapped_column(String(128))
    request_id: Mapped[int] = mapped_column(ForeignKey("sandbox_requests.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FollowUp(Base):
    """A member chasing a request (past its promised date): what the insurer's team works from.
    One per contact protocol; without a protocol, one per day."""

    __tablename__ = "sandbox_request_follow_ups"
    __table_args__ = (UniqueConstraint("request_id", "once_key", name="uq_sandbox_follow_up_once"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("sandbox_requests.id", ondelete="CASCADE"), index=True
    )
    contact_protocol: Mapped[str | None] = mapped_column(String(24))
    # The protocol, or "day:yyyy-mm-dd" without one: what makes a retry change nothing.
    once_key: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

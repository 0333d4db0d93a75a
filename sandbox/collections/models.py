"""Payment agreements and their installments, disputed bills, payment events and installment
reminders. Statuses that change as days pass (late, broken) are derived, never stored
(status.py)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
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


class Agreement(Base):
    """What the member accepted: the terms as sent (with their hash) and how they accepted."""

    __tablename__ = "sandbox_agreements"
    __table_args__ = (Index("ix_sandbox_agreements_member_created", "member_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(20), primary_key=True)  # AGR-2026-000001
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    terms: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    terms_hash: Mapped[str] = mapped_column(String(64))
    # The acceptance as given, plus recorded_at.
    acceptance: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    reminders_consent: Mapped[bool | None] = mapped_column(Boolean)
    reminders_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when its last installment is paid (its invoices are paid then too).
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    installments: Mapped[list["Installment"]] = relationship(
        order_by="Installment.number", lazy="selectin", back_populates="agreement"
    )
    invoices: Mapped[list["AgreementInvoice"]] = relationship(lazy="selectin")


class AgreementInvoice(Base):
    """A bill an agreement settles: while the agreement is unpaid, no other may take it."""

    __tablename__ = "sandbox_agreement_invoices"

    agreement_id: Mapped[str] = mapped_column(ForeignKey("sandbox_agreements.id"), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(
        ForeignKey("sandbox_invoices.id"), primary_key=True, index=True
    )


class Installment(Base):
    __tablename__ = "sandbox_installments"
    __table_args__ = (Index("ix_sandbox_installments_due", "due_date"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # AGR-2026-000001-01
    agreement_id: Mapped[str] = mapped_column(ForeignKey("sandbox_agreements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_by: Mapped[str | None] = mapped_column(String(8))  # pix, boleto, card
    # The public checkout page's secret part (/pay/{token}): whoever has the link may pay.
    pay_token: Mapped[str] = mapped_column(String(64), unique=True)

    agreement: Mapped[Agreement] = relationship(back_populates="installments", lazy="joined")


class AgreementKey(Base):
    """An `Idempotency-Key` of agreement creation and the agreement it created."""

    __tablename__ = "sandbox_agreement_keys"
    __table_args__ = (UniqueConstraint("member_id", "key", name="uq_sandbox_agreement_key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"))
    key: Mapped[str] = mapped_column(String(128))
    agreement_id: Mapped[str] = mapped_column(ForeignKey("sandbox_agreements.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Dispute(Base):
    """A member contesting bills; open until the insurer's team answers (by `answer_by`)."""

    __tablename__ = "sandbox_disputes"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)  # DSP-2026-000001
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # enums.DisputeKind
    status: Mapped[str] = mapped_column(String(12))  # enums.DisputeStatus
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer_by: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(12))
    conversation_id: Mapped[str | None] = mapped_column(String(128))
    protocol: Mapped[str | None] = mapped_column(String(24))
    message_id: Mapped[str | None] = mapped_column(String(128))

    invoices: Mapped[list["DisputeInvoice"]] = relationship(lazy="selectin")


class DisputeInvoice(Base):
    __tablename__ = "sandbox_dispute_invoices"

    dispute_id: Mapped[str] = mapped_column(ForeignKey("sandbox_disputes.id"), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(
        ForeignKey("sandbox_invoices.id"), primary_key=True, index=True
    )


class PaymentEvent(Base):
    """A confirmed payment as the insurer tells Acolhe (EVT-000001 is id 1): kept for the feed,
    pushed when SANDBOX_EVENTS_URL is set."""

    __tablename__ = "sandbox_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    type: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str] = mapped_column(String(8))
    # The pushed body without its event_id (the row's id gives it).
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Reminder(Base):
    """A reminder of an installment the worker claimed (once per installment and offset), and
    what came of it."""

    __tablename__ = "sandbox_installment_reminders"
    __table_args__ = (
        UniqueConstraint("installment_id", "offset_days", name="uq_sandbox_reminder_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    installment_id: Mapped[str] = mapped_column(ForeignKey("sandbox_installments.id"), index=True)
    # Days from the due date: -3 is three days before it.
    offset_days: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(8))  # enums.ReminderOutcome
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str | None] = mapped_column(String(200))

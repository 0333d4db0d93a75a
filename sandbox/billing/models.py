"""Bills (monthly fees, co-payments) and the co-payments charged on them."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base


class Invoice(Base):
    """A bill. Its status is not stored: paid when `paid_at` is set, otherwise open until its due
    date has passed in the member's market, then overdue (billing/status.py)."""

    __tablename__ = "sandbox_invoices"
    __table_args__ = (Index("ix_sandbox_invoices_member_due", "member_id", "due_date"),)

    id: Mapped[str] = mapped_column(String(12), primary_key=True)  # INV-000321
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"))
    kind: Mapped[str] = mapped_column(String(12))  # enums.InvoiceKind
    reference_month: Mapped[str] = mapped_column(String(7))  # 2026-10
    due_date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Copayment(Base):
    """The member's share of one service. Deliberately without a procedure or diagnosis column:
    what it was for is the kind of service only, so no answer can say more."""

    __tablename__ = "sandbox_copayments"
    __table_args__ = (Index("ix_sandbox_copayments_member_date", "member_id", "service_date"),)

    id: Mapped[str] = mapped_column(String(12), primary_key=True)  # COP-000123
    member_id: Mapped[str] = mapped_column(ForeignKey("sandbox_members.id"))
    invoice_id: Mapped[str | None] = mapped_column(ForeignKey("sandbox_invoices.id"))
    service_date: Mapped[date] = mapped_column(Date)
    service_kind: Mapped[str] = mapped_column(String(16))  # enums.ServiceKind
    provider_name: Mapped[str] = mapped_column(String(120))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))

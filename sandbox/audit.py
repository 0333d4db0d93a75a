"""The sandbox's audit trail: what a member agreed to or asked for, and what was paid, as an
insurer would have to show later (an agreement's acceptance, a reminders consent, a dispute, a
payment). Rows are written in the same transaction as what they record, and never changed.

`detail` holds ids, hashes, channels and times only: never what the member typed.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from sandbox.sql import JSONDocument, as_utc


class AuditRecord(Base):
    __tablename__ = "sandbox_audit"
    __table_args__ = (Index("ix_sandbox_audit_subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event: Mapped[str] = mapped_column(String(40))  # agreement.accepted, payment.confirmed...
    # What it is about: an agreement, a dispute, an installment or an invoice id.
    subject_id: Mapped[str] = mapped_column(String(24))
    member_id: Mapped[str] = mapped_column(String(8), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def audit(
    session: AsyncSession,
    *,
    event: str,
    subject_id: str,
    member_id: str,
    detail: dict[str, Any],
    at: datetime,
) -> None:
    session.add(
        AuditRecord(
            event=event, subject_id=subject_id, member_id=member_id, detail=detail, at=as_utc(at)
        )
    )

"""The audit log's tables: the entries, and the head that says where the chain ends."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
EntryId = BigInteger().with_variant(Integer(), "sqlite")

HEAD_ROW_ID = 1


class AuditEntry(Base):
    __tablename__ = "handoff_audit_log"

    id: Mapped[int] = mapped_column(EntryId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # "agent:12", "bot", "system", "cli", "anonymous" (handoff/audit/actions.py)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    # What the action was about: a conversation or handoff id, "agent:12"...
    subject: Mapped[str | None] = mapped_column(String(160), index=True)
    # Plain JSON, not JSONB: the text is kept as written, so the hash recomputes exactly.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row: the chain's last hash and length.

    Appends lock it, which serialises them (no fork), and verification compares the chain's end
    with it, which reveals entries deleted from the end.
    """

    __tablename__ = "handoff_audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entries: Mapped[int] = mapped_column(BigInteger)
    last_id: Mapped[int | None] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))

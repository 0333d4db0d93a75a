"""Recorded SLA breaches: one row per handoff and stage, whoever evaluates and how often."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from handoff.agents.models import utc_now


class SlaBreach(Base):
    __tablename__ = "handoff_sla_breaches"
    # The unique pair is what makes a breach recorded once: the second evaluator's insert finds
    # the first one's row and does nothing.
    __table_args__ = (UniqueConstraint("handoff_id", "stage", name="uq_sla_breach_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_handoffs.id", ondelete="CASCADE"), index=True
    )
    # "<priority>.<stage>", e.g. "red.first_response": each priority's ladder is its own.
    stage: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer)
    notify: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

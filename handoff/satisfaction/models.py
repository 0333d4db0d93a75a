"""The CSAT answers and the follow-up tasks a low score opens."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from handoff.agents.models import utc_now

MAX_COMMENT_CHARS = 1000


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class CsatAnswer(Base):
    """One per handoff: the gateway may hand the same answer over more than once."""

    __tablename__ = "handoff_csat_answers"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_handoffs.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[int] = mapped_column(Integer)  # 1..5
    # The member's own words: personal data, shown to supervisors, never logged or audited.
    comment: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class FollowUpTask(Base):
    """A supervisor calls the member back, or otherwise acts on a low score."""

    __tablename__ = "handoff_followup_tasks"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_handoffs.id", ondelete="CASCADE"), unique=True
    )
    csat_answer_id: Mapped[int] = mapped_column(ForeignKey("handoff_csat_answers.id"))
    reason: Mapped[str] = mapped_column(String(32))  # "low_csat"
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_agents.id"))

"""The notes table."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from handoff.agents.models import utc_now

MAX_NOTE_CHARS = 2000


class HandoffNote(Base):
    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_handoffs.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("handoff_agents.id"))
    # The handoff's skill when the note was written: a note written for a clinical conversation
    # may mention health, so views without clinical details leave it out (console/views.py).
    skill: Mapped[str] = mapped_column(String(32))
    # Personal and possibly health data: shown to agents, never logged or audited.
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

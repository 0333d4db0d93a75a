"""The handbacks table: one row per resolved handoff, until the gateway has been told."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base


class HandbackOutcome(StrEnum):
    TOLD = "told"  # the gateway took the conversation back
    NOT_OPEN = "not_open"  # the gateway had moved on (409): nothing to give back
    NO_CONVERSATION = "no_conversation"  # the gateway does not know the conversation (404)
    GIVEN_UP = "given_up"  # HANDOFF_HANDBACK_RETRY_HOURS passed without an answer


class Handback(Base):
    __tablename__ = "handoff_handbacks"

    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_handoffs.id", ondelete="CASCADE"), primary_key=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # No call before this moment: the retry delay, or another process's call under way.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(64))
    # Empty until the gateway answered (or the service gave up): "the gateway not yet told".
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))

"""The bodies of the internal API (docs/handoff.md, "Handoff service internal API")."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from handoff.queue.models import CONVERSATION_ID_MAX
from handoff.queue.service import MAX_REASONS
from handoff.satisfaction.models import MAX_COMMENT_CHARS


class OpenRequest(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=CONVERSATION_ID_MAX)
    channel: str = Field(min_length=1, max_length=16)
    language: str = Field(min_length=2, max_length=8)
    priority: str = Field(min_length=1, max_length=8)
    skill: str = Field(min_length=1, max_length=32)
    # More than the queue keeps (it keeps the first MAX_REASONS): a long list is cut, not refused,
    # so that a member is never left without a person over it.
    reasons: list[str] = Field(default_factory=list, max_length=4 * MAX_REASONS)
    summary: dict[str, Any] = Field(default_factory=dict)


class Ticket(BaseModel):
    """What the gateway tells the member."""

    id: int
    protocol: str
    priority: str
    # 1 = next in the queue; 0 = an agent has the conversation already.
    position: int
    # Rounded up; null when no estimate can be given (nobody with the skill online, or out of
    # hours: next_opening_at says when people are back).
    expected_wait_minutes: int | None
    humans_available: bool
    next_opening_at: datetime | None


class MemberMessage(BaseModel):
    message_id: int
    text: str | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    at: datetime


class CsatRequest(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=4 * MAX_COMMENT_CHARS)


class CsatReceived(BaseModel):
    handoff_id: int
    score: int
    followup_task_id: int | None

"""The bodies the console API takes and gives (docs/handoff.md, "Console API")."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from handoff.notes.models import MAX_NOTE_CHARS

MAX_REPLY_CHARS = 4096


class QueueItem(BaseModel):
    id: int
    protocol: str | None
    priority: str
    skill: str
    reasons: list[str]
    waiting_seconds: int
    # When the next SLA stage falls due (in the past once breached); null when none is left.
    sla_due_at: datetime | None
    language: str
    channel: str
    status: str
    escalation_level: int


class DeskItem(QueueItem):
    assigned_at: datetime | None


class NoteView(BaseModel):
    id: int
    agent_id: int
    text: str
    at: datetime


class HandoffDetail(DeskItem):
    assigned_agent_id: int | None
    first_agent_reply_at: datetime | None
    resolved_at: datetime | None
    summary: dict[str, Any]
    # True when clinical details were left out of this view (console/views.py says which).
    clinical_details_hidden: bool
    timeline: list[dict[str, Any]]
    notes: list[NoteView]
    # Oldest first, as the gateway keeps it; null when the gateway could not be asked.
    transcript: list[dict[str, Any]] | None
    # WhatsApp's 24-hour window: false means only a template reaches the member. Null when
    # unknown (the gateway could not be asked).
    within_window: bool | None
    # The handoff is resolved but the gateway has not yet taken the conversation back.
    handback_pending: bool


class ReplyRequest(BaseModel):
    """One of: free text, a canned response (its variables filled in), or a WhatsApp template
    (for a member whose 24-hour window closed). `variables` holds what the agent typed."""

    text: str | None = Field(default=None, min_length=1, max_length=MAX_REPLY_CHARS)
    canned: str | None = Field(default=None, min_length=1, max_length=40)
    template: str | None = Field(default=None, min_length=1, max_length=64)
    variables: dict[str, str] = Field(default_factory=dict, max_length=20)

    @model_validator(mode="after")
    def one_kind(self) -> "ReplyRequest":
        given = [kind for kind in (self.text, self.canned, self.template) if kind is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, canned or template")
        if self.text is not None and not self.text.strip():
            raise ValueError("the text is empty")
        return self

    @property
    def kind(self) -> Literal["text", "canned", "template"]:
        if self.text is not None:
            return "text"
        return "canned" if self.canned is not None else "template"


class ReplySent(BaseModel):
    message_ids: list[int]
    # True when this was the first agent reply: the first-response SLA stopped.
    first_reply: bool


class NoteRequest(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_NOTE_CHARS)


class TransferRequest(BaseModel):
    agent_id: int | None = None
    skill: str | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def one_target(self) -> "TransferRequest":
        if (self.agent_id is None) == (self.skill is None):
            raise ValueError("give either agent_id or skill")
        return self


class ResolveRequest(BaseModel):
    # A short code for the KPIs ("solved", "not_solved", "duplicate", ...), never free text: it
    # is published to the consoles and kept in the timeline.
    resolution: str | None = Field(default=None, pattern=r"^[a-z][a-z_]{0,39}$")


class Resolved(BaseModel):
    handoff: DeskItem
    # False: the gateway could not be told yet; the service keeps trying (handback_pending).
    gateway_told: bool


class PresenceRequest(BaseModel):
    # "away" takes no new conversations, as "offline" (the queue knows online and offline).
    status: Literal["online", "away", "offline"]


class PresenceView(BaseModel):
    status: Literal["online", "away", "offline"]
    taking_conversations: bool


class CannedView(BaseModel):
    key: str
    title: str
    text: str
    variables: list[str]


class TemplateView(BaseModel):
    name: str
    title: str
    variables: list[str]


class CannedList(BaseModel):
    language: str
    responses: list[CannedView]
    # For members outside WhatsApp's 24-hour window.
    templates: list[TemplateView]


class AgentView(BaseModel):
    id: int
    display_name: str
    role: str
    skills: list[str]
    capacity: int
    presence: str
    load: int


class FollowUpView(BaseModel):
    id: int
    handoff_id: int
    protocol: str | None
    skill: str
    language: str
    channel: str
    score: int
    comment: str
    agent_name: str | None
    created_at: datetime
    status: str

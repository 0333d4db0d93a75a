"""Requests (docs/insurer-api.md, "Requests: authorizations, reimbursements, claims")."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from sandbox.requests.enums import (
    Beneficiary,
    MissingDocument,
    NextStep,
    RequestKind,
    RequestStatus,
    Urgency,
)
from sandbox.requests.models import TITLE_MAX
from sandbox.text import CleanText

MAX_ATTACHMENTS = 20

AttachmentId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,128}$")]


class HistoryEntry(BaseModel):
    status: RequestStatus
    at: datetime
    note: str = Field(description="Plain words in the member's language.")


class RequestView(BaseModel):
    number: str = Field(examples=["AUT-2026-000123"])
    kind: RequestKind
    title: str = Field(description="Plain words, never a diagnosis.")
    beneficiary: Beneficiary
    beneficiary_name: str | None
    status: RequestStatus
    urgency: Urgency | None = Field(description="Authorizations only; null otherwise.")
    opened_at: datetime
    promised_date: date | None = Field(description="The date the insurer committed to.")
    ans_category: str | None = Field(description="Authorizations: the ANS deadline that applies.")
    ans_max_business_days: int | None
    authorization_number: str | None = Field(description="Set when approved.")
    amount_cents: int | None = Field(description="Reimbursements and claims.")
    currency: str = Field(examples=["BRL"])
    provider_name: str | None
    scheduled_for: date | None
    next_step: NextStep
    missing_documents: list[MissingDocument]
    history: list[HistoryEntry] = Field(description="Oldest first.")


class RequestList(BaseModel):
    requests: list[RequestView] = Field(description="Most recent first.")


class AuthorizationRequest(BaseModel):
    procedure: CleanText = Field(
        min_length=2,
        max_length=TITLE_MAX,
        description="What the member needs, in their words; classified by rules.yml keywords.",
        examples=["ressonância do joelho"],
    )
    beneficiary: Beneficiary = Beneficiary.SELF
    beneficiary_name: CleanText | None = Field(default=None, max_length=60)
    urgency: Urgency
    provider_name: CleanText | None = Field(default=None, max_length=120)
    scheduled_for: date | None = None
    attachments: list[AttachmentId] = Field(
        default_factory=list,
        max_length=MAX_ATTACHMENTS,
        description="Ids of files the gateway keeps.",
    )
    contact_protocol: Annotated[str, StringConstraints(pattern=r"^\d{20,24}$")] | None = None


class FollowUpReason(StrEnum):
    LATE = "late"  # past its promised date


class FollowUpRequest(BaseModel):
    contact_protocol: Annotated[str, StringConstraints(pattern=r"^\d{20,24}$")] | None = Field(
        default=None, description="The protocol of the contact in which the member asked."
    )
    reason: FollowUpReason = FollowUpReason.LATE

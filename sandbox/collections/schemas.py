"""Collections (docs/insurer-api.md, "Collections: agreements, disputes, payments")."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from sandbox.collections.enums import (
    AgreementStatus,
    Channel,
    DisputeKind,
    DisputeStatus,
    InstallmentStatus,
    PaymentMethod,
    ReminderOutcome,
)
from sandbox.markets import Language, Market
from sandbox.text import CleanText, VerbatimText

MAX_INSTALLMENTS = 60
# Bounds what is read at all; more than MAX_INSTALLMENTS is `invalid_terms`.
_READ_INSTALLMENTS = 240

Cents = Annotated[int, Field(ge=0, le=10**12)]
InvoiceId = Annotated[str, StringConstraints(pattern=r"^INV-\d{6,9}$")]
Protocol = Annotated[str, StringConstraints(pattern=r"^\d{20,24}$")]
Token = Annotated[VerbatimText, Field(min_length=1, max_length=128)]


class InstallmentTerms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1, le=999)
    due_date: date
    amount_cents: Cents


class Terms(BaseModel):
    """What the member accepted; both sides hash it the same way (terms.py)."""

    model_config = ConfigDict(extra="forbid")

    member_id: str = Field(max_length=8, examples=["M0002"])
    invoice_ids: list[InvoiceId] = Field(min_length=1, max_length=50, description="Sorted.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["BRL"])
    tier: Annotated[VerbatimText, Field(min_length=1, max_length=32)]
    principal_cents: Cents
    charges_cents: Cents
    discount_cents: Cents
    interest_cents: Cents
    total_cents: Cents
    installments: list[InstallmentTerms] = Field(max_length=_READ_INSTALLMENTS)
    text: Annotated[VerbatimText, Field(min_length=1, max_length=4000)] = Field(
        description="The summary the member read and accepted, verbatim."
    )


class MessageIds(BaseModel):
    """The channel's ids of the member's messages: the one the summary answered and the yes.
    Either may be unknown (a client that numbers nothing): the acceptance time still stands."""

    model_config = ConfigDict(extra="forbid")

    summary: Token | None = None
    acceptance: Token | None = None


class Acceptance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    conversation_id: Token | None = None
    protocol: Protocol | None = None
    accepted_at: AwareDatetime
    message_ids: MessageIds


class AgreementRequest(BaseModel):
    terms: Terms
    terms_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    acceptance: Acceptance


class AcceptanceView(Acceptance):
    recorded_at: datetime


class RemindersView(BaseModel):
    consent: bool | None
    updated_at: datetime | None


class PixPayment(BaseModel):
    copy_paste: str
    txid: str
    qr_url: str = Field(description="A public PNG of the copy-and-paste code.")


class BoletoPayment(BaseModel):
    digitable_line: str
    barcode: str


class Payment(BaseModel):
    pix: PixPayment | None = Field(description="Brazil only.")
    boleto: BoletoPayment | None = Field(description="Brazil only.")
    payment_link: str = Field(description="The public card checkout, every market.")


class InstallmentView(BaseModel):
    id: str = Field(examples=["AGR-2026-000001-01"])
    number: int
    due_date: date
    amount_cents: int
    currency: str
    status: InstallmentStatus
    paid_at: datetime | None
    payment: Payment | None = Field(description="How to pay it; null once paid.")


class AgreementView(BaseModel):
    id: str = Field(examples=["AGR-2026-000001"])
    member_id: str
    status: AgreementStatus
    created_at: datetime
    terms: Terms
    terms_hash: str
    acceptance: AcceptanceView
    reminders: RemindersView
    installments: list[InstallmentView]


class AgreementList(BaseModel):
    agreements: list[AgreementView] = Field(description="Newest first.")


class RemindersConsent(BaseModel):
    consent: bool
    channel: Channel
    message_id: Token | None = None


class DisputeRequest(BaseModel):
    kind: DisputeKind
    invoice_ids: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=20)
    channel: Channel
    conversation_id: Token | None = None
    protocol: Protocol | None = None
    message_id: Token | None = None


class DisputeView(BaseModel):
    id: str = Field(examples=["DSP-2026-000001"])
    kind: DisputeKind
    status: DisputeStatus
    invoice_ids: list[str]
    opened_at: datetime
    answer_by: date = Field(description="The business day the insurer answers by.")


class DisputeList(BaseModel):
    disputes: list[DisputeView] = Field(description="Newest first.")


class PaymentRequest(BaseModel):
    reference: str = Field(max_length=40, examples=["AGR-2026-000001-01", "INV-000321"])
    method: PaymentMethod


class PaymentConfirmation(BaseModel):
    reference: str
    amount_cents: int
    currency: str
    paid_at: datetime
    event_id: str = Field(examples=["EVT-000001"])


class PaymentEventView(BaseModel):
    """What is pushed to SANDBOX_EVENTS_URL, and listed by GET /v1/events."""

    event_id: str = Field(examples=["EVT-000001"])
    type: Literal["payment.confirmed"]
    occurred_at: datetime
    member_id: str
    conversation_id: str | None = Field(description="The agreement's; null for plain bills.")
    reference: str
    agreement_id: str | None
    installment_number: int | None
    installments_total: int | None
    agreement_status: AgreementStatus | None
    amount_cents: int
    currency: str
    method: PaymentMethod


class EventList(BaseModel):
    events: list[PaymentEventView] = Field(description="In id order.")


class ReminderView(BaseModel):
    offset_days: int
    outcome: ReminderOutcome


class ReminderTarget(BaseModel):
    installment_id: str
    agreement_id: str
    member_id: str
    market: Market
    language: Language
    due_date: date
    amount_cents: int
    currency: str
    status: InstallmentStatus
    consent: bool = Field(description="True only when the member said yes to reminders.")
    channel: Channel
    conversation_id: str | None
    reminders: list[ReminderView]


class ReminderTargetList(BaseModel):
    installments: list[ReminderTarget] = Field(description="By due date.")


class ReminderClaim(BaseModel):
    offset_days: int = Field(ge=-60, le=60, description="Days from the due date; -3: before it.")


class ReminderResult(BaseModel):
    outcome: Literal[ReminderOutcome.SENT, ReminderOutcome.REFUSED]
    message_id: int | None = Field(default=None, ge=0, le=2**62)
    detail: CleanText | None = Field(default=None, max_length=200)


class ReminderRecord(BaseModel):
    installment_id: str
    offset_days: int
    outcome: ReminderOutcome
    message_id: int | None
    detail: str | None
    updated_at: datetime

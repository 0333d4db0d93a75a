"""The insurer API's resources (docs/insurer-api.md), as immutable typed values.

Parsing is strict where a wrong type would mislead a member (money is integer cents, flags are
booleans, statuses are the contract's words) and lenient where the contract may grow (unknown
fields are ignored). An answer that does not fit becomes `InsurerUnavailable("malformed")` in the
client, never a half-read object.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Extra, StrictBool, StrictInt, StrictStr, validator

Market = Literal["BR", "CL", "ES"]
Currency = Literal["BRL", "CLP", "EUR"]
Channel = Literal["whatsapp", "webchat", "rest"]
RequestKind = Literal["authorization", "reimbursement", "claim"]
RequestStatus = Literal[
    "received", "in_review", "pending_documents", "approved", "denied", "paid", "cancelled"
]
Beneficiary = Literal["self", "child", "spouse", "parent", "other"]
Urgency = Literal["elective", "urgent", "emergency"]
NextStep = Literal["await_review", "send_documents", "schedule", "payment_scheduled", "none"]
InvoiceStatus = Literal["open", "overdue", "paid"]
InvoiceKind = Literal["monthly_fee", "copayment", "other"]
ProviderKind = Literal["hospital", "clinic", "lab", "doctor"]
ServiceKind = Literal["consultation", "exam", "therapy", "emergency_visit", "other"]
InstallmentStatus = Literal["pending", "late", "paid"]
AgreementStatus = Literal["active", "broken", "paid"]
DisputeKind = Literal["not_recognised", "already_paid", "wrong_amount"]

# Statuses after which nothing more happens to a request.
FINAL_STATUSES: frozenset[str] = frozenset({"approved", "denied", "paid", "cancelled"})


class _Resource(BaseModel):
    class Config:
        frozen = True
        extra = Extra.ignore


class Plan(_Resource):
    code: StrictStr
    name: StrictStr
    tier: Literal["bronze", "prata", "ouro"]
    contract: Literal["individual", "company"]
    copayment: StrictBool


class Member(_Resource):
    id: StrictStr
    first_name: StrictStr
    full_name: StrictStr
    market: Market
    language: StrictStr
    document_type: StrictStr
    document_masked: StrictStr
    birth_date: date
    phone_masked: StrictStr | None = None
    card_number: StrictStr
    plan: Plan


class Contact(_Resource):
    """A service contact: the protocol number the member is given at its start."""

    protocol: StrictStr
    opened_at: datetime


class HistoryEntry(_Resource):
    status: RequestStatus
    at: datetime
    note: StrictStr | None = None


class Request(_Resource):
    """An authorization, reimbursement or claim, as the member quotes it by `number`."""

    number: StrictStr
    kind: RequestKind
    title: StrictStr
    beneficiary: Beneficiary
    beneficiary_name: StrictStr | None = None
    status: RequestStatus
    urgency: Urgency | None = None
    opened_at: datetime
    promised_date: date | None = None
    ans_category: StrictStr | None = None
    ans_max_business_days: StrictInt | None = None
    authorization_number: StrictStr | None = None
    amount_cents: StrictInt | None = None
    currency: Currency | None = None
    provider_name: StrictStr | None = None
    scheduled_for: date | None = None
    next_step: NextStep
    missing_documents: tuple[StrictStr, ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class CoverageItem(_Resource):
    name: StrictStr
    category: StrictStr
    covered: StrictBool
    requires_authorization: StrictBool
    waiting_period_ends: date | None = None
    copayment_percent: StrictInt | None = None


class Provider(_Resource):
    id: StrictStr
    name: StrictStr
    kind: ProviderKind
    specialties: tuple[StrictStr, ...] = ()
    city: StrictStr
    address: StrictStr
    phone: StrictStr | None = None
    emergency: StrictBool


class Invoice(_Resource):
    id: StrictStr
    kind: InvoiceKind
    reference_month: StrictStr | None = None
    due_date: date
    amount_cents: StrictInt
    currency: Currency
    status: InvoiceStatus
    # A moment by the contract's conventions; a plain date is accepted too.
    paid_at: datetime | date | None = None


class Boleto(_Resource):
    digitable_line: StrictStr
    barcode: StrictStr


class Pix(_Resource):
    copy_paste: StrictStr
    txid: StrictStr | None = None
    # A public PNG of the QR code (agreements' instalments), sent to the member as an image.
    qr_url: StrictStr | None = None


class Duplicate(_Resource):
    """A duplicate bill (segunda via): boleto and PIX in Brazil, a payment link elsewhere."""

    invoice: Invoice
    amount_cents: StrictInt
    due_date: date
    boleto: Boleto | None = None
    pix: Pix | None = None
    payment_link: StrictStr | None = None

    @property
    def currency(self) -> Currency:
        return self.invoice.currency


class Copayment(_Resource):
    """What a co-payment was for, by kind of service only (never a diagnosis or procedure)."""

    id: StrictStr
    invoice_id: StrictStr | None = None
    service_date: date
    service_kind: ServiceKind
    provider_name: StrictStr | None = None
    amount_cents: StrictInt
    currency: Currency


class DebtInvoice(Invoice):
    """An overdue bill with its late fees today; a disputed one is left out of the sums."""

    charges_cents: StrictInt = 0
    disputed: StrictBool = False


class Payment(_Resource):
    """How to pay one instalment: PIX and boleto in Brazil; a card payment link everywhere."""

    pix: Pix | None = None
    boleto: Boleto | None = None
    payment_link: StrictStr | None = None


class Installment(_Resource):
    id: StrictStr
    number: StrictInt
    due_date: date
    amount_cents: StrictInt
    currency: Currency
    status: InstallmentStatus
    paid_at: datetime | None = None
    payment: Payment | None = None


class Agreement(_Resource):
    """A payment agreement the member accepted, with the terms' hash the insurer recorded."""

    id: StrictStr
    status: AgreementStatus
    created_at: datetime
    terms_hash: StrictStr
    installments: tuple[Installment, ...]

    @property
    def unpaid(self) -> tuple[Installment, ...]:
        return tuple(i for i in self.installments if i.status != "paid")


class Debts(_Resource):
    """What is overdue: `total_cents` (bills plus late fees) is 0 when the member owes nothing.
    Disputed bills are listed but left out of the sums."""

    principal_cents: StrictInt = 0
    charges_cents: StrictInt = 0
    total_cents: StrictInt
    currency: Currency
    oldest_due_date: date | None = None
    days_overdue: StrictInt = 0
    contract: Literal["individual", "company"] = "individual"
    invoices: tuple[DebtInvoice, ...] = ()
    agreements: tuple[Agreement, ...] = ()

    @validator("days_overdue", pre=True)
    def _none_is_zero(cls, value: Any) -> Any:
        return 0 if value is None else value

    @property
    def owes(self) -> bool:
        return self.total_cents > 0

    @property
    def negotiable(self) -> tuple[DebtInvoice, ...]:
        return tuple(invoice for invoice in self.invoices if not invoice.disputed)


class Dispute(_Resource):
    """A member's contestation of bills: collections on them stop until it is answered."""

    id: StrictStr
    kind: DisputeKind
    status: StrictStr
    invoice_ids: tuple[StrictStr, ...]
    answer_by: date


class AuthorizationDraft(_Resource):
    """What the member asked for, as the journey collected it; the body of the create call."""

    procedure: StrictStr
    beneficiary: Beneficiary = "self"
    beneficiary_name: StrictStr | None = None
    urgency: Urgency = "elective"
    provider_name: StrictStr | None = None
    scheduled_for: date | None = None
    attachments: tuple[StrictStr, ...] = ()
    contact_protocol: StrictStr | None = None

    def body(self) -> dict[str, Any]:
        """The JSON body, dates as ISO text."""
        return {
            "procedure": self.procedure,
            "beneficiary": self.beneficiary,
            "beneficiary_name": self.beneficiary_name,
            "urgency": self.urgency,
            "provider_name": self.provider_name,
            "scheduled_for": self.scheduled_for.isoformat() if self.scheduled_for else None,
            "attachments": list(self.attachments),
            "contact_protocol": self.contact_protocol,
        }

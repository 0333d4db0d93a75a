"""Bills (docs/insurer-api.md, "Bills")."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from sandbox.billing.enums import InvoiceKind, InvoiceStatus, ServiceKind
from sandbox.collections.schemas import AgreementView
from sandbox.coverage.enums import Contract


class InvoiceView(BaseModel):
    id: str = Field(examples=["INV-000321"])
    kind: InvoiceKind
    reference_month: str = Field(examples=["2026-10"])
    due_date: date
    amount_cents: int
    currency: str = Field(examples=["BRL"])
    status: InvoiceStatus
    paid_at: datetime | None


class InvoiceList(BaseModel):
    invoices: list[InvoiceView] = Field(description="Most recent due date first.")


class BoletoView(BaseModel):
    digitable_line: str = Field(description="47 digits, FEBRABAN check digits.")
    barcode: str = Field(description="44 digits.")


class PixView(BaseModel):
    copy_paste: str = Field(description="BR Code (EMV) with its CRC16.")
    txid: str


class Duplicate(BaseModel):
    invoice: InvoiceView
    amount_cents: int = Field(description="With the late fees of an overdue bill.")
    due_date: date
    boleto: BoletoView | None = Field(description="Brazil only.")
    pix: PixView | None = Field(description="Brazil only.")
    payment_link: str | None = Field(description="Chile and Spain only.")


class CopaymentView(BaseModel):
    """What a co-payment was for, by kind of service only: never a procedure or a diagnosis."""

    id: str = Field(examples=["COP-000123"])
    invoice_id: str | None
    service_date: date
    service_kind: ServiceKind
    provider_name: str
    amount_cents: int
    currency: str


class CopaymentList(BaseModel):
    copayments: list[CopaymentView]


class DebtInvoice(InvoiceView):
    charges_cents: int = Field(description="Its late fees today (fine + interest).")
    disputed: bool = Field(description="Under an open dispute: left out of the debt's sums.")


class Debts(BaseModel):
    principal_cents: int = Field(description="The overdue, undisputed bills no agreement settles.")
    charges_cents: int = Field(description="Their late fees today.")
    total_cents: int = Field(description="principal_cents + charges_cents.")
    currency: str
    oldest_due_date: date | None
    days_overdue: int = Field(description="Days since the oldest overdue due date; 0 when none.")
    contract: Contract = Field(description="The member's plan contract.")
    invoices: list[DebtInvoice] = Field(
        description="Overdue bills no agreement settles, disputed ones too, most recent first."
    )
    agreements: list[AgreementView] = Field(
        description="The member's agreements not yet paid (active or broken), newest first."
    )

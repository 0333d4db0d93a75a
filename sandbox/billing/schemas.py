"""Bills (docs/insurer-api.md, "Bills")."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from sandbox.billing.enums import InvoiceKind, InvoiceStatus, ServiceKind


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


class Debts(BaseModel):
    total_cents: int
    currency: str
    oldest_due_date: date | None
    days_overdue: int = Field(description="Days since the oldest overdue due date; 0 when none.")
    invoices: list[InvoiceView] = Field(description="Overdue bills, most recent due date first.")

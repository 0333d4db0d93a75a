"""An invoice's status, derived rather than stored so that it stays true as days pass: paid once
`paid_at` is set; otherwise open until its due date, overdue from the day after (in the member's
market)."""

from datetime import date

from sqlalchemy import ColumnElement, and_

from sandbox.billing.enums import InvoiceStatus
from sandbox.billing.models import Invoice


def invoice_status(invoice: Invoice, today: date) -> InvoiceStatus:
    if invoice.paid_at is not None:
        return InvoiceStatus.PAID
    return InvoiceStatus.OVERDUE if invoice.due_date < today else InvoiceStatus.OPEN


def having_status(status: InvoiceStatus, today: date) -> ColumnElement[bool]:
    """The same rule in SQL."""
    if status is InvoiceStatus.PAID:
        return Invoice.paid_at.is_not(None)
    if status is InvoiceStatus.OVERDUE:
        return and_(Invoice.paid_at.is_(None), Invoice.due_date < today)
    return and_(Invoice.paid_at.is_(None), Invoice.due_date >= today)

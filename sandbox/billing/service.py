"""Reading a member's bills: invoices by status, overdue debt with its late fees, co-payments."""

import re
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.billing.enums import InvoiceKind, InvoiceStatus, ServiceKind
from sandbox.billing.late_fees import late_charges
from sandbox.billing.models import Copayment, Invoice
from sandbox.billing.schemas import CopaymentView, DebtInvoice, Debts, InvoiceView
from sandbox.billing.status import having_status, invoice_status
from sandbox.collections.schemas import AgreementView
from sandbox.coverage.enums import Contract
from sandbox.errors import UnknownInvoice
from sandbox.markets import Market
from sandbox.members.models import Member
from sandbox.rules import Billing

# Ids have this shape; anything else is unknown without asking the database.
INVOICE_ID = re.compile(r"INV-\d{6,9}")


async def member_invoice(session: AsyncSession, *, member: Member, invoice_id: str) -> Invoice:
    """The member's bill with that id (any case, spaces around). Another member's bill is
    unknown too: raises UnknownInvoice."""
    wanted = invoice_id.strip().upper()
    invoice = await session.get(Invoice, wanted) if INVOICE_ID.fullmatch(wanted) else None
    if invoice is None or invoice.member_id != member.id:
        raise UnknownInvoice(invoice_id)
    return invoice


def invoice_view(invoice: Invoice, member: Member, today: date) -> InvoiceView:
    return InvoiceView(
        id=invoice.id,
        kind=InvoiceKind(invoice.kind),
        reference_month=invoice.reference_month,
        due_date=invoice.due_date,
        amount_cents=invoice.amount_cents,
        currency=invoice.currency,
        status=invoice_status(invoice, today),
        paid_at=markets.local_moment(member.market, invoice.paid_at) if invoice.paid_at else None,
    )


async def list_invoices(
    session: AsyncSession,
    *,
    member: Member,
    statuses: set[InvoiceStatus],
    limit: int,
    today: date,
) -> list[InvoiceView]:
    """Most recent due date first; every status when `statuses` is empty."""
    statement = select(Invoice).where(Invoice.member_id == member.id)
    if statuses:
        statement = statement.where(or_(*(having_status(status, today) for status in statuses)))
    statement = statement.order_by(Invoice.due_date.desc(), Invoice.id.desc()).limit(limit)
    return [invoice_view(invoice, member, today) for invoice in await session.scalars(statement)]


def charges_today(invoice: Invoice, *, member: Member, billing: Billing, today: date) -> int:
    """The late fees an overdue bill has added by today (fine + interest, rules.yml)."""
    return late_charges(
        invoice.amount_cents,
        days_late=(today - invoice.due_date).days,
        fees=billing.late_fees[Market(member.market)],
        minor_units=markets.info(member.market).minor_units,
    ).total_cents


async def overdue_bills(session: AsyncSession, *, member: Member, today: date) -> list[Invoice]:
    """Most recent due date first."""
    statement = (
        select(Invoice)
        .where(Invoice.member_id == member.id, having_status(InvoiceStatus.OVERDUE, today))
        .order_by(Invoice.due_date.desc(), Invoice.id.desc())
    )
    return list(await session.scalars(statement))


async def debts(
    session: AsyncSession,
    *,
    member: Member,
    billing: Billing,
    today: date,
    disputed: set[str],
    in_agreements: set[str],
    agreements: list[AgreementView],
) -> Debts:
    """The overdue bills no agreement settles. Disputed ones (`disputed`: under an open dispute)
    are listed but left out of the sums while the insurer looks at them; `in_agreements` are
    the bills of the member's unpaid agreements, shown in `agreements` instead."""
    listed = [
        DebtInvoice(
            **invoice_view(invoice, member, today).model_dump(),
            charges_cents=charges_today(invoice, member=member, billing=billing, today=today),
            disputed=invoice.id in disputed,
        )
        for invoice in await overdue_bills(session, member=member, today=today)
        if invoice.id not in in_agreements
    ]
    owed = [invoice for invoice in listed if not invoice.disputed]
    principal = sum(invoice.amount_cents for invoice in owed)
    charges = sum(invoice.charges_cents for invoice in owed)
    oldest = min((invoice.due_date for invoice in owed), default=None)
    return Debts(
        principal_cents=principal,
        charges_cents=charges,
        total_cents=principal + charges,
        currency=markets.info(member.market).currency,
        oldest_due_date=oldest,
        days_overdue=(today - oldest).days if oldest else 0,
        contract=Contract(member.plan.contract),
        invoices=listed,
        agreements=agreements,
    )


async def list_copayments(
    session: AsyncSession, *, member: Member, limit: int
) -> list[CopaymentView]:
    statement = (
        select(Copayment)
        .where(Copayment.member_id == member.id)
        .order_by(Copayment.service_date.desc(), Copayment.id.desc())
        .limit(limit)
    )
    return [
        CopaymentView(
            id=copayment.id,
            invoice_id=copayment.invoice_id,
            service_date=copayment.service_date,
            service_kind=ServiceKind(copayment.service_kind),
            provider_name=copayment.provider_name,
            amount_cents=copayment.amount_cents,
            currency=copayment.currency,
        )
        for copayment in await session.scalars(statement)
    ]

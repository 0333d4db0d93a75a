"""Reading a member's bills: invoices by status, overdue debt, co-payments."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.billing.enums import InvoiceKind, InvoiceStatus, ServiceKind
from sandbox.billing.models import Copayment, Invoice
from sandbox.billing.schemas import CopaymentView, Debts, InvoiceView
from sandbox.billing.status import having_status, invoice_status
from sandbox.members.models import Member


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


async def debts(session: AsyncSession, *, member: Member, today: date) -> Debts:
    overdue = await list_invoices(
        session, member=member, statuses={InvoiceStatus.OVERDUE}, limit=1000, today=today
    )
    oldest = min((invoice.due_date for invoice in overdue), default=None)
    return Debts(
        total_cents=sum(invoice.amount_cents for invoice in overdue),
        currency=markets.info(member.market).currency,
        oldest_due_date=oldest,
        days_overdue=(today - oldest).days if oldest else 0,
        invoices=overdue,
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

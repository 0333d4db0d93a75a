"""Disputed bills: a member says a bill is not theirs, already paid, or of the wrong amount. The
bills leave the debt's sums while the dispute is open, and the insurer promises an answer within
`billing.dispute_answer_business_days` business days of the member's market.

Opening one is safe to repeat: a bill already under an open dispute returns that dispute."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.audit import audit
from sandbox.billing.service import member_invoice
from sandbox.collections.enums import DisputeKind, DisputeStatus
from sandbox.collections.models import Dispute, DisputeInvoice
from sandbox.collections.schemas import DisputeRequest, DisputeView
from sandbox.counters import next_yearly_id
from sandbox.members.models import Member
from sandbox.members.service import load_member
from sandbox.rules import Billing
from sandbox.sql import Sessions, as_utc


class AllPaid(Exception):
    """Every disputed bill is paid: nothing left to contest here."""


@dataclass(frozen=True)
class OpenedDispute:
    dispute: DisputeView
    # False when the bills were already under this open dispute.
    created: bool


async def disputed_invoice_ids(session: AsyncSession, member_id: str) -> set[str]:
    """The member's bills under an open dispute."""
    statement = (
        select(DisputeInvoice.invoice_id)
        .join(Dispute, Dispute.id == DisputeInvoice.dispute_id)
        .where(Dispute.member_id == member_id, Dispute.status == DisputeStatus.OPEN)
    )
    return set(await session.scalars(statement))


def dispute_view(dispute: Dispute, member: Member) -> DisputeView:
    return DisputeView(
        id=dispute.id,
        kind=DisputeKind(dispute.kind),
        status=DisputeStatus(dispute.status),
        invoice_ids=sorted(link.invoice_id for link in dispute.invoices),
        opened_at=markets.local_moment(member.market, dispute.opened_at),
        answer_by=dispute.answer_by,
    )


async def list_disputes(session: AsyncSession, *, member_id: str) -> list[DisputeView]:
    """Newest first. Raises UnknownMember."""
    member = await load_member(session, member_id)
    statement = (
        select(Dispute)
        .where(Dispute.member_id == member.id)
        .order_by(Dispute.opened_at.desc(), Dispute.id.desc())
    )
    return [dispute_view(dispute, member) for dispute in await session.scalars(statement)]


async def open_dispute(
    sessions: Sessions, *, member_id: str, body: DisputeRequest, billing: Billing, now: datetime
) -> OpenedDispute:
    """Raises UnknownMember, UnknownInvoice or AllPaid."""
    opened_at = as_utc(now).replace(microsecond=0)
    async with sessions() as session, session.begin():
        member = await load_member(session, member_id)
        wanted = sorted({invoice_id.strip().upper() for invoice_id in body.invoice_ids})
        invoices = [
            await member_invoice(session, member=member, invoice_id=invoice_id)
            for invoice_id in wanted
        ]
        earlier = await session.scalar(
            select(Dispute)
            .join(DisputeInvoice, DisputeInvoice.dispute_id == Dispute.id)
            .where(
                Dispute.member_id == member.id,
                Dispute.status == DisputeStatus.OPEN,
                DisputeInvoice.invoice_id.in_(wanted),
            )
            .order_by(Dispute.opened_at)
            .limit(1)
        )
        if earlier is not None:
            return OpenedDispute(dispute_view(earlier, member), created=False)
        if all(invoice.paid_at is not None for invoice in invoices):
            raise AllPaid()
        today = markets.local_today(member.market, now)
        dispute = Dispute(
            id=await next_yearly_id(session, prefix="DSP", year=today.year),
            member_id=member.id,
            kind=body.kind,
            status=DisputeStatus.OPEN,
            opened_at=opened_at,
            answer_by=markets.add_business_days(
                member.market, today, billing.dispute_answer_business_days
            ),
            channel=body.channel,
            conversation_id=body.conversation_id,
            protocol=body.protocol,
            message_id=body.message_id,
            invoices=[DisputeInvoice(invoice_id=invoice_id) for invoice_id in wanted],
        )
        session.add(dispute)
        audit(
            session,
            event="dispute.opened",
            subject_id=dispute.id,
            member_id=member.id,
            detail={
                "kind": body.kind,
                "invoice_ids": wanted,
                "channel": body.channel,
                "conversation_id": body.conversation_id,
                "protocol": body.protocol,
                "message_id": body.message_id,
            },
            at=opened_at,
        )
        await session.flush()
        return OpenedDispute(dispute_view(dispute, member), created=True)

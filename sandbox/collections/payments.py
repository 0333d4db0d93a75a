"""Confirming a payment, as the bank or payment provider would tell the insurer: an installment
of an agreement (AGR-2026-000001-01) or a plain bill (INV-000321). The installment's last
payment pays the agreement and its bills. Each confirmation writes an audit record and a payment
event in the same transaction; pushing the event comes after the commit (delivery.py)."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from sandbox import markets
from sandbox.audit import audit
from sandbox.billing.enums import InvoiceStatus
from sandbox.billing.models import Invoice
from sandbox.billing.service import INVOICE_ID, charges_today
from sandbox.billing.status import invoice_status
from sandbox.collections.enums import PAYMENT_CONFIRMED, AgreementStatus, PaymentMethod
from sandbox.collections.events import event_id, record_event
from sandbox.collections.models import Agreement, Installment
from sandbox.collections.schemas import PaymentConfirmation
from sandbox.collections.status import agreement_status
from sandbox.members.models import Member
from sandbox.members.service import load_member
from sandbox.rules import Billing
from sandbox.sql import Sessions, as_utc

_INSTALLMENT_ID = re.compile(r"AGR-\d{4}-\d{6}-\d{2}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class UnknownReference(LookupError):
    """No installment or bill with that reference (or checkout token)."""


class AlreadyPaid(Exception):
    """It was paid before."""


@dataclass(frozen=True)
class ConfirmedPayment:
    confirmation: PaymentConfirmation
    # The event to push once committed.
    event_number: int


async def installment_for_token(session: AsyncSession, token: str) -> tuple[Installment, Member]:
    """The installment a checkout link leads to. Raises UnknownReference."""
    installment = None
    if _TOKEN.fullmatch(token):
        installment = await session.scalar(
            select(Installment).where(Installment.pay_token == token)
        )
    if installment is None:
        raise UnknownReference(token)
    return installment, await load_member(session, installment.agreement.member_id)


async def confirm_payment(
    sessions: Sessions, *, reference: str, method: PaymentMethod, billing: Billing, now: datetime
) -> ConfirmedPayment:
    """Raises UnknownReference or AlreadyPaid (nothing stored)."""
    wanted = reference.strip().upper()
    async with sessions() as session, session.begin():
        if _INSTALLMENT_ID.fullmatch(wanted):
            installment = await session.get(Installment, wanted)
            if installment is not None:
                return await _pay_installment(
                    session, installment, method=method, billing=billing, now=now
                )
        elif INVOICE_ID.fullmatch(wanted):
            invoice = await session.get(Invoice, wanted)
            if invoice is not None:
                return await _pay_invoice(session, invoice, method=method, billing=billing, now=now)
    raise UnknownReference(reference)


async def _mark_paid(
    session: AsyncSession, model: Any, reference: str, values: dict[str, Any]
) -> None:
    """Only if still unpaid: of two confirmations racing, one wins and the other is AlreadyPaid."""
    result = await session.execute(
        update(model).where(model.id == reference, model.paid_at.is_(None)).values(**values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyPaid(reference)


async def _pay_installment(
    session: AsyncSession,
    installment: Installment,
    *,
    method: PaymentMethod,
    billing: Billing,
    now: datetime,
) -> ConfirmedPayment:
    paid_at = as_utc(now).replace(microsecond=0)
    await _mark_paid(session, Installment, installment.id, {"paid_at": paid_at, "paid_by": method})
    # Read again, this payment included.
    agreement = await session.scalar(
        select(Agreement)
        .where(Agreement.id == installment.agreement_id)
        .options(selectinload(Agreement.installments), selectinload(Agreement.invoices))
        .execution_options(populate_existing=True)
    )
    assert agreement is not None
    member = await load_member(session, agreement.member_id)
    if all(item.paid_at is not None for item in agreement.installments):
        agreement.paid_at = paid_at
        await session.execute(
            update(Invoice)
            .where(
                Invoice.id.in_([link.invoice_id for link in agreement.invoices]),
                Invoice.paid_at.is_(None),
            )
            .values(paid_at=paid_at)
        )
    status = agreement_status(
        agreement,
        today=markets.local_today(member.market, now),
        broken_after_days=billing.agreement_broken_after_days,
    )
    return await _confirmed(
        session,
        member=member,
        reference=installment.id,
        amount_cents=installment.amount_cents,
        currency=installment.currency,
        method=method,
        paid_at=paid_at,
        agreement={
            "conversation_id": agreement.acceptance.get("conversation_id"),
            "agreement_id": agreement.id,
            "installment_number": installment.number,
            "installments_total": len(agreement.installments),
            "agreement_status": status,
        },
    )


async def _pay_invoice(
    session: AsyncSession,
    invoice: Invoice,
    *,
    method: PaymentMethod,
    billing: Billing,
    now: datetime,
) -> ConfirmedPayment:
    member = await load_member(session, invoice.member_id)
    today = markets.local_today(member.market, now)
    amount = invoice.amount_cents
    if invoice_status(invoice, today) is InvoiceStatus.OVERDUE:
        amount += charges_today(invoice, member=member, billing=billing, today=today)
    paid_at = as_utc(now).replace(microsecond=0)
    await _mark_paid(session, Invoice, invoice.id, {"paid_at": paid_at})
    return await _confirmed(
        session,
        member=member,
        reference=invoice.id,
        amount_cents=amount,
        currency=invoice.currency,
        method=method,
        paid_at=paid_at,
        agreement={
            "conversation_id": None,
            "agreement_id": None,
            "installment_number": None,
            "installments_total": None,
            "agreement_status": None,
        },
    )


async def _confirmed(
    session: AsyncSession,
    *,
    member: Member,
    reference: str,
    amount_cents: int,
    currency: str,
    method: PaymentMethod,
    paid_at: datetime,
    agreement: dict[str, str | int | AgreementStatus | None],
) -> ConfirmedPayment:
    local_paid_at = markets.local_moment(member.market, paid_at)
    event = await record_event(
        session,
        kind=PAYMENT_CONFIRMED,
        member_id=member.id,
        payload={
            "occurred_at": local_paid_at.isoformat(),
            "member_id": member.id,
            **agreement,
            "reference": reference,
            "amount_cents": amount_cents,
            "currency": currency,
            "method": method,
        },
        at=paid_at,
    )
    audit(
        session,
        event=PAYMENT_CONFIRMED,
        subject_id=reference,
        member_id=member.id,
        detail={"method": method, "amount_cents": amount_cents, "event_id": event_id(event.id)},
        at=paid_at,
    )
    return ConfirmedPayment(
        confirmation=PaymentConfirmation(
            reference=reference,
            amount_cents=amount_cents,
            currency=currency,
            paid_at=local_paid_at,
            event_id=event_id(event.id),
        ),
        event_number=event.id,
    )

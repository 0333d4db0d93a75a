"""Payment agreements: creating one from terms the member accepted (checked against the debt of
today, idempotently by `Idempotency-Key`), listing them, and the member's reminders consent.

Refusals, in the order they are checked: unknown member; terms that do not add up
(`InvalidTerms`); a hash that is not the terms' (`TermsHashMismatch`); terms that no longer
match the member's overdue, undisputed, unsettled bills and today's late fees (`DebtChanged`).
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import idempotency, markets
from sandbox.audit import audit
from sandbox.billing.service import charges_today, overdue_bills
from sandbox.collections.disputes import disputed_invoice_ids
from sandbox.collections.models import Agreement, AgreementInvoice, AgreementKey, Installment
from sandbox.collections.schemas import AgreementRequest, RemindersConsent
from sandbox.collections.terms import terms_document, terms_hash, terms_problem
from sandbox.counters import next_yearly_id
from sandbox.members.models import Member
from sandbox.members.service import load_member
from sandbox.rules import Billing
from sandbox.sql import Sessions, as_utc


class InvalidTerms(ValueError):
    """The terms contradict themselves or the request (the message says how)."""


class TermsHashMismatch(ValueError):
    """terms_hash is not the hash of the terms sent."""


class DebtChanged(Exception):
    """The terms are not the member's debt of today (the message says how)."""


class UnknownAgreement(LookupError):
    """No agreement with that id for this member."""


@dataclass(frozen=True)
class CreatedAgreement:
    member: Member
    agreement: Agreement
    # False when an earlier call with the same Idempotency-Key created it.
    created: bool


async def invoices_in_unpaid_agreements(session: AsyncSession, member_id: str) -> set[str]:
    statement = (
        select(AgreementInvoice.invoice_id)
        .join(Agreement, Agreement.id == AgreementInvoice.agreement_id)
        .where(Agreement.member_id == member_id, Agreement.paid_at.is_(None))
    )
    return set(await session.scalars(statement))


async def member_agreements(
    session: AsyncSession, member_id: str, *, unpaid_only: bool = False
) -> list[Agreement]:
    """Newest first."""
    statement = select(Agreement).where(Agreement.member_id == member_id)
    if unpaid_only:
        statement = statement.where(Agreement.paid_at.is_(None))
    statement = statement.order_by(Agreement.created_at.desc(), Agreement.id.desc())
    return list(await session.scalars(statement))


async def find_agreement(session: AsyncSession, *, member: Member, agreement_id: str) -> Agreement:
    agreement = await session.get(Agreement, agreement_id.strip().upper()[:20])
    if agreement is None or agreement.member_id != member.id:
        raise UnknownAgreement(agreement_id)
    return agreement


async def create_agreement(
    sessions: Sessions,
    *,
    member_id: str,
    body: AgreementRequest,
    idempotency_key: str,
    billing: Billing,
    now: datetime,
) -> CreatedAgreement:
    """Raises UnknownMember, InvalidTerms, TermsHashMismatch or DebtChanged (nothing stored)."""

    async def create() -> CreatedAgreement:
        return await _create_once(
            sessions,
            member_id=member_id,
            body=body,
            idempotency_key=idempotency_key,
            billing=billing,
            now=now,
        )

    async def earlier() -> CreatedAgreement | None:
        async with sessions() as session:
            member = await load_member(session, member_id)
            found = await _agreement_for_key(session, member, idempotency_key, now)
        return None if found is None else CreatedAgreement(member, found, created=False)

    return await idempotency.once(create, earlier)


async def _create_once(
    sessions: Sessions,
    *,
    member_id: str,
    body: AgreementRequest,
    idempotency_key: str,
    billing: Billing,
    now: datetime,
) -> CreatedAgreement:
    async with sessions() as session, session.begin():
        member = await load_member(session, member_id)
        earlier = await _agreement_for_key(session, member, idempotency_key, now)
        if earlier is not None:
            return CreatedAgreement(member, earlier, created=False)
        await session.execute(
            delete(AgreementKey).where(
                AgreementKey.member_id == member.id,
                AgreementKey.key == idempotency_key,
                idempotency.expired(AgreementKey.created_at, now),
            )
        )
        today = markets.local_today(member.market, now)
        terms = body.terms
        problem = terms_problem(
            terms,
            member_id=member.id,
            currency=markets.info(member.market).currency,
            today=today,
        )
        if problem:
            raise InvalidTerms(problem)
        document = terms_document(terms)
        if terms_hash(document) != body.terms_hash:
            raise TermsHashMismatch()
        await _check_debt(session, member=member, body=body, billing=billing, today=today)

        created_at = as_utc(now).replace(microsecond=0)
        agreement_id = await next_yearly_id(session, prefix="AGR", year=today.year)
        agreement = Agreement(
            id=agreement_id,
            member_id=member.id,
            created_at=created_at,
            terms=document,
            terms_hash=body.terms_hash,
            acceptance=body.acceptance.model_dump(mode="json")
            | {"recorded_at": markets.local_moment(member.market, created_at).isoformat()},
            reminders_consent=None,
            installments=[
                Installment(
                    id=f"{agreement_id}-{item.number:02d}",
                    number=item.number,
                    due_date=item.due_date,
                    amount_cents=item.amount_cents,
                    currency=terms.currency,
                    pay_token=secrets.token_urlsafe(24),
                )
                for item in terms.installments
            ],
            invoices=[AgreementInvoice(invoice_id=invoice_id) for invoice_id in terms.invoice_ids],
        )
        session.add(agreement)
        await session.flush()
        session.add(
            AgreementKey(
                member_id=member.id,
                key=idempotency_key,
                agreement_id=agreement.id,
                created_at=created_at,
            )
        )
        acceptance = body.acceptance
        audit(
            session,
            event="agreement.accepted",
            subject_id=agreement.id,
            member_id=member.id,
            detail={
                "terms_hash": body.terms_hash,
                "channel": acceptance.channel,
                "conversation_id": acceptance.conversation_id,
                "protocol": acceptance.protocol,
                "message_ids": acceptance.message_ids.model_dump(),
                "accepted_at": acceptance.accepted_at.isoformat(),
            },
            at=created_at,
        )
        await session.flush()
    return CreatedAgreement(member, agreement, created=True)


async def _check_debt(
    session: AsyncSession, *, member: Member, body: AgreementRequest, billing: Billing, today: date
) -> None:
    terms = body.terms
    overdue = {bill.id: bill for bill in await overdue_bills(session, member=member, today=today)}
    unavailable = await disputed_invoice_ids(session, member.id) | (
        await invoices_in_unpaid_agreements(session, member.id)
    )
    if any(i not in overdue or i in unavailable for i in terms.invoice_ids):
        raise DebtChanged("an invoice is not an overdue, undisputed bill free of agreements")
    chosen = [overdue[i] for i in terms.invoice_ids]
    principal = sum(bill.amount_cents for bill in chosen)
    charges = sum(
        charges_today(bill, member=member, billing=billing, today=today) for bill in chosen
    )
    if (principal, charges) != (terms.principal_cents, terms.charges_cents):
        raise DebtChanged("principal or charges differ from today's")


async def _agreement_for_key(
    session: AsyncSession, member: Member, key: str, now: datetime
) -> Agreement | None:
    return await session.scalar(
        select(Agreement)
        .join(AgreementKey, AgreementKey.agreement_id == Agreement.id)
        .where(
            AgreementKey.member_id == member.id,
            AgreementKey.key == key,
            idempotency.fresh(AgreementKey.created_at, now),
        )
    )


async def set_reminders_consent(
    sessions: Sessions, *, member_id: str, agreement_id: str, body: RemindersConsent, now: datetime
) -> tuple[Member, Agreement]:
    """Raises UnknownMember or UnknownAgreement."""
    at = as_utc(now).replace(microsecond=0)
    async with sessions() as session, session.begin():
        member = await load_member(session, member_id)
        agreement = await find_agreement(session, member=member, agreement_id=agreement_id)
        agreement.reminders_consent = body.consent
        agreement.reminders_updated_at = at
        audit(
            session,
            event="agreement.reminders_consent",
            subject_id=agreement.id,
            member_id=member.id,
            detail={
                "consent": body.consent,
                "channel": body.channel,
                "message_id": body.message_id,
            },
            at=at,
        )
    return member, agreement

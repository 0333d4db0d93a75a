"""The worker's side of installment reminders: which unpaid installments fall due in a range,
with the member's consent and channel; claiming a reminder (once per installment and offset, so
two workers never both send it) and recording what came of it."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.collections.enums import Channel, ReminderOutcome
from sandbox.collections.models import Agreement, Installment, Reminder
from sandbox.collections.schemas import (
    ReminderRecord,
    ReminderResult,
    ReminderTarget,
    ReminderView,
)
from sandbox.collections.status import installment_status
from sandbox.markets import Language, Market
from sandbox.members.models import Member
from sandbox.sql import Sessions, as_utc

MAX_TARGETS = 500


class UnknownInstallment(LookupError):
    """No installment with that id."""


class AlreadyClaimed(Exception):
    """This reminder was claimed before."""


class NotClaimed(LookupError):
    """No claimed reminder for that installment and offset."""


async def reminder_targets(
    session: AsyncSession, *, due_from: date, due_to: date, now: datetime
) -> list[ReminderTarget]:
    """Unpaid installments of unpaid agreements due in [due_from, due_to], by due date."""
    statement = (
        select(Installment, Member)
        .join(Agreement, Agreement.id == Installment.agreement_id)
        .join(Member, Member.id == Agreement.member_id)
        .where(
            Installment.paid_at.is_(None),
            Agreement.paid_at.is_(None),
            Installment.due_date >= due_from,
            Installment.due_date <= due_to,
        )
        .order_by(Installment.due_date, Installment.id)
        .limit(MAX_TARGETS)
    )
    rows = list((await session.execute(statement)).tuples())
    ids = [installment.id for installment, _ in rows]
    claimed: dict[str, list[ReminderView]] = {}
    for reminder in await session.scalars(
        select(Reminder).where(Reminder.installment_id.in_(ids)).order_by(Reminder.offset_days)
    ):
        claimed.setdefault(reminder.installment_id, []).append(
            ReminderView(
                offset_days=reminder.offset_days, outcome=ReminderOutcome(reminder.outcome)
            )
        )
    targets = []
    for installment, member in rows:
        agreement = installment.agreement
        acceptance = agreement.acceptance
        targets.append(
            ReminderTarget(
                installment_id=installment.id,
                agreement_id=agreement.id,
                member_id=member.id,
                market=Market(member.market),
                language=Language(markets.info(member.market).language),
                due_date=installment.due_date,
                amount_cents=installment.amount_cents,
                currency=installment.currency,
                status=installment_status(installment, markets.local_today(member.market, now)),
                consent=agreement.reminders_consent is True,
                channel=Channel(acceptance["channel"]),
                conversation_id=acceptance.get("conversation_id"),
                reminders=claimed.get(installment.id, []),
            )
        )
    return targets


def _record(reminder: Reminder) -> ReminderRecord:
    return ReminderRecord(
        installment_id=reminder.installment_id,
        offset_days=reminder.offset_days,
        outcome=ReminderOutcome(reminder.outcome),
        message_id=reminder.message_id,
        detail=reminder.detail,
        updated_at=as_utc(reminder.updated_at),
    )


async def claim_reminder(
    sessions: Sessions, *, installment_id: str, offset_days: int, now: datetime
) -> ReminderRecord:
    """Raises UnknownInstallment or AlreadyClaimed."""
    at = as_utc(now).replace(microsecond=0)
    try:
        async with sessions() as session, session.begin():
            if await session.get(Installment, installment_id.strip().upper()[:24]) is None:
                raise UnknownInstallment(installment_id)
            reminder = Reminder(
                installment_id=installment_id.strip().upper(),
                offset_days=offset_days,
                outcome=ReminderOutcome.PENDING,
                claimed_at=at,
                updated_at=at,
            )
            session.add(reminder)
            await session.flush()
    except IntegrityError as error:
        raise AlreadyClaimed(installment_id) from error
    return _record(reminder)


async def record_outcome(
    sessions: Sessions,
    *,
    installment_id: str,
    offset_days: int,
    result: ReminderResult,
    now: datetime,
) -> ReminderRecord:
    """Raises NotClaimed."""
    async with sessions() as session, session.begin():
        reminder = await session.scalar(
            select(Reminder).where(
                Reminder.installment_id == installment_id.strip().upper()[:24],
                Reminder.offset_days == offset_days,
            )
        )
        if reminder is None:
            raise NotClaimed(installment_id)
        reminder.outcome = result.outcome
        reminder.message_id = result.message_id
        reminder.detail = result.detail
        reminder.updated_at = as_utc(now).replace(microsecond=0)
    return _record(reminder)

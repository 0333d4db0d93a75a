"""Telling the gateway that a handoff ended, now and, failing that, later."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from handoff.agents.models import utc_now
from handoff.gateway_client import (
    ConversationNotFound,
    GatewayClient,
    GatewayError,
    GatewayRefused,
    NotTheOpenHandoff,
)
from handoff.handback.models import Handback, HandbackOutcome
from handoff.queue.enums import HandoffStatus
from handoff.queue.models import Handoff, as_utc
from handoff.queue.sql import Sessions, insert_for

logger = logging.getLogger(__name__)

# The delay before the n-th retry doubles from the first up to the cap.
FIRST_RETRY = timedelta(seconds=5)
RETRY_CAP = timedelta(minutes=5)
# How long a process holds a handback while it calls the gateway: longer than any call takes.
CALL_LEASE = timedelta(seconds=60)
BATCH = 50


async def hand_back(
    sessions: Sessions, gateway: GatewayClient, *, handoff: Handoff, now: datetime | None = None
) -> bool:
    """Tell the gateway this resolved handoff ended; True once the gateway has been told (or has
    nothing to take back). False leaves it to the background pass."""
    now = as_utc(now or utc_now())
    async with sessions() as session, session.begin():
        await session.execute(
            insert_for(session)(Handback)
            .values(handoff_id=handoff.id, attempts=0, next_attempt_at=None)
            .on_conflict_do_nothing(index_elements=[Handback.handoff_id])
        )
    return await _attempt(sessions, gateway, handoff=handoff, now=now)


async def retry_pending(
    sessions: Sessions,
    gateway: GatewayClient,
    *,
    retry_for: timedelta,
    now: datetime | None = None,
) -> int:
    """One retry pass over resolved handoffs the gateway has not been told about; returns how
    many were told now."""
    now = as_utc(now or utc_now())
    async with sessions() as session:
        rows = await session.execute(
            select(Handoff, Handback)
            .outerjoin(Handback, Handback.handoff_id == Handoff.id)
            .where(
                Handoff.status == HandoffStatus.RESOLVED.value,
                Handoff.resolved_at >= now - retry_for - timedelta(days=1),
                Handback.done_at.is_(None),
                or_(Handback.next_attempt_at.is_(None), Handback.next_attempt_at <= now),
            )
            .order_by(Handoff.resolved_at)
            .limit(BATCH)
        )
        due = [(handoff, handback) for handoff, handback in rows]
    told = 0
    for handoff, handback in due:
        resolved_at = as_utc(handoff.resolved_at or now)
        if handback is None:
            async with sessions() as session, session.begin():
                await session.execute(
                    insert_for(session)(Handback)
                    .values(handoff_id=handoff.id, attempts=0, next_attempt_at=None)
                    .on_conflict_do_nothing(index_elements=[Handback.handoff_id])
                )
        if now - resolved_at > retry_for:
            await _finish(sessions, handoff.id, HandbackOutcome.GIVEN_UP, now=now)
            logger.error(
                "gave up telling the gateway a handoff ended", extra={"handoff_id": handoff.id}
            )
            continue
        if await _attempt(sessions, gateway, handoff=handoff, now=now):
            told += 1
    return told


async def _attempt(
    sessions: Sessions, gateway: GatewayClient, *, handoff: Handoff, now: datetime
) -> bool:
    if not await _lease(sessions, handoff.id, now=now):
        return False  # told already, or another process is calling right now
    try:
        await gateway.end_handoff(handoff.conversation_id, handoff_id=handoff.id)
    except NotTheOpenHandoff:
        await _finish(sessions, handoff.id, HandbackOutcome.NOT_OPEN, now=now)
        return True
    except ConversationNotFound:
        await _finish(sessions, handoff.id, HandbackOutcome.NO_CONVERSATION, now=now)
        return True
    except GatewayError as error:
        if isinstance(error, GatewayRefused):
            # A refusal that is not about this handoff (a wrong token, a changed contract) is
            # fixed by an operator: keep trying, and say so loudly.
            logger.error(
                "the gateway refused to end a handoff",
                extra={"handoff_id": handoff.id, "status": error.status_code},
            )
        await _postpone(sessions, handoff.id, error=type(error).__name__, now=now)
        return False
    await _finish(sessions, handoff.id, HandbackOutcome.TOLD, now=now)
    return True


async def _lease(sessions: Sessions, handoff_id: int, *, now: datetime) -> bool:
    """Compare-and-set the next attempt into the future: of processes retrying the same handback
    at once, one calls the gateway."""
    async with sessions() as session, session.begin():
        leased = await session.execute(
            update(Handback)
            .where(
                Handback.handoff_id == handoff_id,
                Handback.done_at.is_(None),
                or_(Handback.next_attempt_at.is_(None), Handback.next_attempt_at <= now),
            )
            .values(next_attempt_at=now + CALL_LEASE, attempts=Handback.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(leased, "rowcount", 0) or 0) == 1


async def _postpone(sessions: Sessions, handoff_id: int, *, error: str, now: datetime) -> None:
    async with sessions() as session, session.begin():
        handback = await session.get(Handback, handoff_id)
        if handback is None or handback.done_at is not None:
            return
        delay = min(FIRST_RETRY * 2 ** max(handback.attempts - 1, 0), RETRY_CAP)
        handback.next_attempt_at = now + delay
        handback.last_error = error[:64]


async def _finish(
    sessions: Sessions, handoff_id: int, outcome: HandbackOutcome, *, now: datetime
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(Handback)
            .where(and_(Handback.handoff_id == handoff_id, Handback.done_at.is_(None)))
            .values(done_at=now, outcome=outcome.value, next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )

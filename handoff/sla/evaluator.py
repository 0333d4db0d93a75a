"""Finds SLA breaches, records each once, and escalates: run it every few seconds.

Any number of evaluators may run at once (every copy of the service runs one): the unique
(handoff, stage) row decides which of them records a breach, and only that one escalates and
alerts. A stage is a breach when its time has passed and its milestone has not come; a handoff
answered late but answered before an evaluation saw it shows in the first-response-time KPI,
not as an alert (there is no one left to alert).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from sqlalchemy import select, update

from handoff.agents.models import utc_now
from handoff.queue import notify, timeline
from handoff.queue.enums import EventName, HandoffStatus
from handoff.queue.hours import BusinessHours
from handoff.queue.models import Handoff, HandoffEvent, as_utc
from handoff.queue.sql import Sessions, insert_for
from handoff.sla.models import SlaBreach
from handoff.sla.policy import Clock, Milestone, Rung, SlaPolicy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Breach:
    handoff_id: int
    stage: str  # "<priority>.<stage>"
    level: int
    notify: str
    due_at: datetime


def stage_key(priority: str, stage: str) -> str:
    return f"{priority}.{stage}"


def due_at(handoff: Handoff, rung: Rung, *, policy: SlaPolicy, hours: BusinessHours) -> datetime:
    """When this rung of the handoff's ladder falls due (also for the console's countdowns)."""
    start = as_utc(handoff.priority_since)
    if policy.clock(handoff.priority) == Clock.ALWAYS:
        return start + rung.after
    return hours.add_business_time(language=handoff.language, start=start, duration=rung.after)


def milestone_reached(handoff: Handoff, milestone: Milestone) -> bool:
    if milestone == Milestone.FIRST_RESPONSE:
        return handoff.first_agent_reply_at is not None
    return handoff.status == HandoffStatus.RESOLVED


async def evaluate_sla(
    sessions: Sessions,
    redis: Redis,
    *,
    policy: SlaPolicy,
    hours: BusinessHours,
    now: datetime | None = None,
) -> list[Breach]:
    """Record and escalate every breach due by `now`; return the ones this call recorded."""
    now = as_utc(now or utc_now())
    async with sessions() as session:
        open_handoffs = list(
            await session.scalars(select(Handoff).where(Handoff.status != HandoffStatus.RESOLVED))
        )
        recorded = set(
            (
                await session.execute(
                    select(SlaBreach.handoff_id, SlaBreach.stage)
                    .join(Handoff, Handoff.id == SlaBreach.handoff_id)
                    .where(Handoff.status != HandoffStatus.RESOLVED)
                )
            ).all()
        )
    breaches = []
    for handoff in open_handoffs:
        for rung in policy.ladder(priority=handoff.priority, skill=handoff.skill):
            key = stage_key(handoff.priority, rung.stage)
            if (handoff.id, key) in recorded or milestone_reached(handoff, rung.until):
                continue
            deadline = due_at(handoff, rung, policy=policy, hours=hours)
            if deadline > now:
                break  # later rungs fall due later still
            breach = await _record(sessions, redis, handoff, rung, deadline=deadline, now=now)
            if breach is not None:
                breaches.append(breach)
    if breaches:
        logger.info("SLA breaches recorded", extra={"count": len(breaches)})
    return breaches


class _NoLongerDue(Exception):
    pass


async def _record(
    sessions: Sessions,
    redis: Redis,
    seen: Handoff,
    rung: Rung,
    *,
    deadline: datetime,
    now: datetime,
) -> Breach | None:
    key = stage_key(seen.priority, rung.stage)
    try:
        async with sessions() as session, session.begin():
            breach_id = await session.scalar(
                insert_for(session)(SlaBreach)
                .values(
                    handoff_id=seen.id,
                    stage=key,
                    level=rung.level,
                    notify=rung.notify.value,
                    due_at=deadline,
                    recorded_at=now,
                )
                .on_conflict_do_nothing(index_elements=[SlaBreach.handoff_id, SlaBreach.stage])
                .returning(SlaBreach.id)
            )
            if breach_id is None:
                return None  # another evaluator recorded it
            # Raise the level only upwards: rungs recorded out of order never lower it.
            await session.execute(
                update(Handoff)
                .where(Handoff.id == seen.id, Handoff.escalation_level < rung.level)
                .values(escalation_level=rung.level)
                .execution_options(synchronize_session=False)
            )
            handoff = await session.get(Handoff, seen.id, populate_existing=True)
            # Checked after the insert, inside the transaction: an agent's reply or a resolution
            # that landed since the read above cancels the breach.
            if (
                handoff is None
                or handoff.status == HandoffStatus.RESOLVED
                or handoff.priority != seen.priority
                or milestone_reached(handoff, rung.until)
            ):
                raise _NoLongerDue
            detail = {
                "stage": key,
                "level": rung.level,
                "notify": rung.notify.value,
                "due_at": deadline.isoformat(),
            }
            events: list[HandoffEvent] = [
                timeline.append(session, handoff, EventName.SLA_BREACHED, at=now, detail=detail)
            ]
            if handoff.escalation_level == rung.level:
                events.append(
                    timeline.append(
                        session,
                        handoff,
                        EventName.ESCALATED,
                        at=now,
                        detail={"level": rung.level, "notify": rung.notify.value},
                    )
                )
    except _NoLongerDue:
        return None
    await notify.publish(redis, [notify.handoff_message(handoff, event) for event in events])
    return Breach(
        handoff_id=handoff.id,
        stage=key,
        level=rung.level,
        notify=rung.notify.value,
        due_at=deadline,
    )

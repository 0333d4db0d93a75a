"""Where a waiting handoff stands in its queue, and a rough idea of how long it will wait.

The estimate, documented for whoever tells the member:
- nobody with the skill is online → None: say when people are back (hours.py), not a number;
- the handoff fits in the free places of the online agents → zero: the next assignment pass
  gives it to someone;
- otherwise the handoffs ahead of it beyond the free places are served as places free up. With
  `slots` places in all (the online agents' capacities) each turning over once per mean handling
  time, that is `(position - free) * handling time / slots`.
The handling time is the mean of the skill's last HISTORY_SAMPLE resolutions (assignment to
resolution) within HISTORY_WINDOW, or DEFAULT_HANDLING_TIME when there are none yet. It ignores
that an agent with several skills is shared between queues; it is meant for "about 10 minutes",
not for a promise.
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.agents.models import Agent
from handoff.queue.enums import HandoffStatus, PresenceStatus, Priority
from handoff.queue.models import AgentPresence, Handoff, as_utc
from handoff.queue.sql import PRIORITY_RANK

DEFAULT_HANDLING_TIME = timedelta(minutes=10)
HISTORY_WINDOW = timedelta(days=7)
HISTORY_SAMPLE = 50


async def queue_position(session: AsyncSession, handoff: Handoff) -> int | None:
    """1 for the next one its skill's agents will see; None once it is not waiting."""
    if handoff.status != HandoffStatus.WAITING:
        return None
    rank, own_rank = PRIORITY_RANK, Priority(handoff.priority).rank
    ahead = await session.scalar(
        select(func.count())
        .select_from(Handoff)
        .where(
            Handoff.status == HandoffStatus.WAITING,
            Handoff.skill == handoff.skill,
            or_(
                rank < own_rank,
                and_(rank == own_rank, Handoff.created_at < handoff.created_at),
                and_(
                    rank == own_rank,
                    Handoff.created_at == handoff.created_at,
                    Handoff.id < handoff.id,
                ),
            ),
        )
    )
    return int(ahead or 0) + 1


async def estimate_wait(
    session: AsyncSession, *, skill: str, position: int, now: datetime
) -> timedelta | None:
    slots, load = await _online_capacity(session, skill=skill)
    if slots == 0:
        return None
    free = max(0, slots - load)
    if position <= free:
        return timedelta(0)
    handling = await mean_handling_time(session, skill=skill, now=now)
    minutes = math.ceil(handling.total_seconds() * (position - free) / slots / 60)
    return timedelta(minutes=minutes)


async def mean_handling_time(session: AsyncSession, *, skill: str, now: datetime) -> timedelta:
    rows = await session.execute(
        select(Handoff.assigned_at, Handoff.resolved_at)
        .where(
            Handoff.skill == skill,
            Handoff.status == HandoffStatus.RESOLVED,
            Handoff.assigned_at.is_not(None),
            Handoff.resolved_at >= now - HISTORY_WINDOW,
        )
        .order_by(Handoff.resolved_at.desc())
        .limit(HISTORY_SAMPLE)
    )
    durations = [
        (as_utc(resolved) - as_utc(assigned)).total_seconds()
        for assigned, resolved in rows
        if assigned is not None and resolved is not None
    ]
    if not durations:
        return DEFAULT_HANDLING_TIME
    return timedelta(seconds=sum(durations) / len(durations))


async def _online_capacity(session: AsyncSession, *, skill: str) -> tuple[int, int]:
    """(places the online agents with the skill have in all, how many of them are taken)."""
    agents = await session.scalars(
        select(Agent)
        .join(AgentPresence, AgentPresence.agent_id == Agent.id)
        .where(AgentPresence.status == PresenceStatus.ONLINE, Agent.active.is_(True))
    )
    # Skills are a JSON list: filtered here rather than with each database's JSON operators.
    able = [agent for agent in agents if skill in agent.skills]
    if not able:
        return 0, 0
    load = await session.scalar(
        select(func.count())
        .select_from(Handoff)
        .where(
            Handoff.status == HandoffStatus.ASSIGNED,
            Handoff.assigned_agent_id.in_([agent.id for agent in able]),
        )
    )
    return sum(agent.capacity for agent in able), int(load or 0)

"""Which handoffs an agent sees, and who gets the next one.

Auto-assignment is round-robin: the longest-waiting handoff of the highest priority goes to the
online agent with its skill and a free place who got a conversation least recently. Each
assignment is its own small transaction (assignment.py), so several assigners (service copies,
the periodic pass, the pass after each opening) can run at once: the worst they do is try a
handoff someone else just took, and move on.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select

from handoff.agents.models import Agent, utc_now
from handoff.queue import notify, timeline
from handoff.queue.assignment import try_assign
from handoff.queue.eligibility import KNOWN_SKILLS, active_agent, visible_skills
from handoff.queue.enums import EventName, HandoffStatus, PresenceStatus, Priority
from handoff.queue.fast_path import FastPath, QueuedId, score
from handoff.queue.models import AgentPresence, Handoff, as_utc
from handoff.queue.sql import QUEUE_ORDER, Sessions

logger = logging.getLogger(__name__)

# How far down the queues one auto-assignment pass looks, per free place.
_LOOKAHEAD_PER_PLACE = 4
_NEVER = datetime.min.replace(tzinfo=UTC)


async def queue_for_agent(
    sessions: Sessions, redis: Redis, *, agent_id: int, limit: int = 50
) -> list[Handoff]:
    """The waiting handoffs an agent may take: their skills' queues (every queue for a
    supervisor), red → yellow → green, then longest waiting first."""
    async with sessions() as session:
        agent = await active_agent(session, agent_id)
    return await waiting_handoffs(sessions, redis, skills=visible_skills(agent), limit=limit)


async def waiting_handoffs(
    sessions: Sessions, redis: Redis, *, skills: list[str], limit: int
) -> list[Handoff]:
    """Read through the fast path, checked against SQL; from SQL alone when Redis is down."""
    try:
        fast = FastPath(redis)
        await fast.ensure_built(sessions)
        queued = await fast.ordered(skills, limit=limit)
        handoffs = await _confirmed(sessions, fast, queued)
    except (RedisError, OSError):
        logger.warning("fast path unavailable; reading the queue from SQL")
        handoffs = await _waiting_in_sql(sessions, skills=skills, limit=limit)
    return [handoff for handoff in handoffs if handoff.skill in skills]


async def auto_assign(
    sessions: Sessions, redis: Redis, *, now: datetime | None = None
) -> list[Handoff]:
    """One pass of round-robin assignment; returns the handoffs it assigned."""
    now = as_utc(now or utc_now())
    candidates = await _available_agents(sessions)
    places = sum(candidate.free for candidate in candidates)
    if places == 0:
        return []
    skills = sorted(
        {skill for c in candidates for skill in c.agent.skills if skill in KNOWN_SKILLS}
    )
    # Enough of every skill's queue that a long queue of one skill cannot hide another's.
    queue = await waiting_handoffs(
        sessions, redis, skills=skills, limit=places * _LOOKAHEAD_PER_PLACE * len(skills)
    )
    assigned: list[Handoff] = []
    for handoff in queue:
        for candidate in [c for c in candidates if c.free > 0 and handoff.skill in c.agent.skills]:
            # A microsecond apart, so that the next pass knows who of this pass came first
            # even when the clock (or a test) gives them all the same `now`.
            turn_at = now + timedelta(microseconds=len(assigned))
            outcome = await _assign_one(
                sessions, redis, handoff=handoff, agent=candidate.agent, now=now, turn_at=turn_at
            )
            if outcome is _Outcome.AGENT_FULL:
                candidate.free = 0  # filled by someone else meanwhile
                continue
            if isinstance(outcome, Handoff):
                assigned.append(outcome)
                candidate.free -= 1
                candidates.remove(candidate)  # to the back of the round
                candidates.append(candidate)
            break  # assigned, or gone from the queue
        if not any(candidate.free > 0 for candidate in candidates):
            break
    if assigned:
        logger.info("handoffs auto-assigned", extra={"count": len(assigned)})
    return assigned


async def queue_counts(sessions: Sessions) -> dict[str, dict[str, int]]:
    """Waiting handoffs per skill and priority, for the supervisors' overview."""
    async with sessions() as session:
        rows = await session.execute(
            select(Handoff.skill, Handoff.priority, func.count())
            .where(Handoff.status == HandoffStatus.WAITING)
            .group_by(Handoff.skill, Handoff.priority)
        )
        counts: dict[str, dict[str, int]] = {}
        for skill, priority, count in rows:
            counts.setdefault(skill, {})[priority] = int(count)
        return counts


class _NotAssigned(Exception):
    pass


class _Outcome:
    GONE = "gone"  # no longer waiting for this agent's skills: taken, moved or resolved
    AGENT_FULL = "agent_full"


@dataclass
class _Candidate:
    agent: Agent
    free: int
    last_assigned_at: datetime


async def _available_agents(sessions: Sessions) -> list[_Candidate]:
    """Online, active agents with a free place, least recently assigned first."""
    async with sessions() as session:
        rows = await session.execute(
            select(Agent, AgentPresence.last_assigned_at)
            .join(AgentPresence, AgentPresence.agent_id == Agent.id)
            .where(AgentPresence.status == PresenceStatus.ONLINE, Agent.active.is_(True))
        )
        agents = [(agent, last) for agent, last in rows]
        loads = dict(
            (
                await session.execute(
                    select(Handoff.assigned_agent_id, func.count())
                    .where(
                        Handoff.status == HandoffStatus.ASSIGNED,
                        Handoff.assigned_agent_id.in_([agent.id for agent, _ in agents]),
                    )
                    .group_by(Handoff.assigned_agent_id)
                )
            ).all()
        )
    candidates = [
        _Candidate(
            agent=agent,
            free=agent.capacity - int(loads.get(agent.id, 0)),
            last_assigned_at=as_utc(last) if last else _NEVER,
        )
        for agent, last in agents
    ]
    candidates = [candidate for candidate in candidates if candidate.free > 0]
    candidates.sort(key=lambda c: (c.last_assigned_at, c.agent.id))
    return candidates


async def _assign_one(
    sessions: Sessions,
    redis: Redis,
    *,
    handoff: Handoff,
    agent: Agent,
    now: datetime,
    turn_at: datetime,
) -> Handoff | str:
    """The handoff as assigned, or why not (an _Outcome)."""
    async with sessions() as session:
        try:
            async with session.begin():
                assigned = await try_assign(
                    session,
                    handoff_id=handoff.id,
                    agent=agent,
                    now=now,
                    from_statuses=(HandoffStatus.WAITING,),
                    skills=list(agent.skills),
                    turn_at=turn_at,
                )
                if assigned is None:
                    raise _NotAssigned  # rolls back the presence write too
                event = timeline.append(
                    session,
                    assigned,
                    EventName.ASSIGNED,
                    at=now,
                    detail={"agent_id": agent.id, "by": "round_robin"},
                )
        except _NotAssigned:
            # Find out which changed: the handoff (gone from this queue) or the agent (full).
            current = await session.get(Handoff, handoff.id)
            if current is None or current.status != HandoffStatus.WAITING:
                await _refresh_fast_path(redis, handoff.id, current)
                return _Outcome.GONE
            if current.skill not in agent.skills:
                await _refresh_fast_path(redis, handoff.id, current)
                return _Outcome.GONE
            return _Outcome.AGENT_FULL
    try:
        await FastPath(redis).remove(assigned.id)
    except (RedisError, OSError):
        logger.warning("fast path not updated; reconcile will", extra={"handoff_id": assigned.id})
    await notify.publish(redis, [notify.handoff_message(assigned, event)])
    return assigned


async def _confirmed(sessions: Sessions, fast: FastPath, queued: list[QueuedId]) -> list[Handoff]:
    """The handoffs Redis listed, as SQL has them: what SQL says is not waiting is dropped (and
    dropped from Redis), what moved is re-filed, and the order is SQL's."""
    if not queued:
        return []
    async with sessions() as session:
        rows = await session.scalars(
            select(Handoff).where(Handoff.id.in_([entry.handoff_id for entry in queued]))
        )
        by_id = {handoff.id: handoff for handoff in rows}
    confirmed = []
    for entry in queued:
        handoff = by_id.get(entry.handoff_id)
        if handoff is None or handoff.status != HandoffStatus.WAITING:
            await fast.remove(entry.handoff_id)
            continue
        if handoff.skill != entry.skill or entry.score != score(
            priority=handoff.priority, created_at=handoff.created_at
        ):
            await fast.put(handoff)
        confirmed.append(handoff)
    confirmed.sort(key=_queue_key)
    return confirmed


def _queue_key(handoff: Handoff) -> tuple[int, datetime, int]:
    return (Priority(handoff.priority).rank, as_utc(handoff.created_at), handoff.id)


async def _waiting_in_sql(sessions: Sessions, *, skills: list[str], limit: int) -> list[Handoff]:
    async with sessions() as session:
        handoffs = await session.scalars(
            select(Handoff)
            .where(Handoff.status == HandoffStatus.WAITING, Handoff.skill.in_(skills))
            .order_by(*QUEUE_ORDER)
            .limit(limit)
        )
        return list(handoffs)


async def _refresh_fast_path(redis: Redis, handoff_id: int, current: Handoff | None) -> None:
    try:
        if current is None:
            await FastPath(redis).remove(handoff_id)
        else:
            await FastPath(redis).sync(current)
    except (RedisError, OSError):
        logger.warning("fast path not updated; reconcile will", extra={"handoff_id": handoff_id})

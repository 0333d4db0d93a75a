"""The life of a handoff: opened by the bot, claimed or transferred by agents, replied, resolved.

Each function is one transaction. It commits in SQL first, then files the handoff in the Redis
fast path and publishes its timeline entries to the consoles (`_after_commit`); a Redis failure
there is logged and repaired later from SQL, never raised to the caller.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.ans_protocol import DEMO_ANS_REGISTRATION
from handoff.agents.models import Agent, Skill, utc_now
from handoff.queue import notify, timeline
from handoff.queue.assignment import held_by_condition, try_assign, why_not_assigned
from handoff.queue.eligibility import active_agent, can_take, sees_every_queue
from handoff.queue.enums import EventName, HandoffStatus, Language, Priority
from handoff.queue.errors import HandoffNotFound, HandoffTaken, NotAllowed
from handoff.queue.fast_path import FastPath
from handoff.queue.models import OPEN_PREDICATE, Handoff, HandoffEvent, as_utc
from handoff.queue.positions import estimate_wait, queue_position
from handoff.queue.protocol import next_protocol
from handoff.queue.sql import Sessions, insert_for

logger = logging.getLogger(__name__)

MAX_REASONS = 16
MAX_REASON_CHARS = 40
# A conversation's open handoff resolved between our insert and our read: try again, briefly.
_OPEN_ATTEMPTS = 3


@dataclass(frozen=True)
class OpenedHandoff:
    handoff: Handoff
    created: bool  # False: the conversation had one open already, now updated
    position: int | None  # 1 = next in its skill's queue; None once an agent holds it
    expected_wait: timedelta | None  # positions.py; None when nobody with the skill is online


async def open_handoff(
    sessions: Sessions,
    redis: Redis,
    *,
    conversation_id: str,
    channel: str,
    language: str,
    priority: str,
    skill: str,
    reasons: Sequence[str],
    summary: dict[str, Any],
    ans_registration: str = DEMO_ANS_REGISTRATION,
    now: datetime | None = None,
) -> OpenedHandoff:
    """Put a conversation in the queue, or, when it is there already, update the open handoff:
    the bot's newest summary replaces the old, new reasons are added, and a more urgent priority
    is taken (a less urgent one is ignored). Raises ValueError on an unknown language, priority
    or skill.
    """
    now = as_utc(now or utc_now())
    values = {
        "conversation_id": conversation_id,
        "channel": channel,
        "language": Language(language).value,
        "priority": Priority(priority).value,
        "skill": Skill(skill).value,
        "reasons": _clean_reasons(reasons),
        "summary": summary,
    }
    for _ in range(_OPEN_ATTEMPTS):
        async with sessions() as session, session.begin():
            opened = await _insert_new(session, values, ans_registration=ans_registration, now=now)
            if opened is None:
                opened = await _merge_into_open(session, values, now=now)
        if opened is not None:
            break
    else:
        raise RuntimeError("the conversation's open handoff kept changing; try again")
    handoff, event, created = opened
    await _after_commit(redis, handoff, [event])
    async with sessions() as session:
        position = await queue_position(session, handoff)
        wait = None
        if position is not None:
            wait = await estimate_wait(session, skill=handoff.skill, position=position, now=now)
    return OpenedHandoff(handoff=handoff, created=created, position=position, expected_wait=wait)


async def claim_handoff(
    sessions: Sessions, redis: Redis, *, handoff_id: int, agent_id: int, now: datetime | None = None
) -> Handoff:
    """An agent takes a waiting handoff of their skills from the queue; of agents claiming the
    same handoff at once, exactly one gets it and the others get HandoffTaken."""
    now = as_utc(now or utc_now())
    async with sessions() as session, session.begin():
        agent = await active_agent(session, agent_id)
        handoff = await _get(session, handoff_id)
        if not can_take(agent, handoff.skill):
            raise NotAllowed(f"agent {agent_id} does not work {handoff.skill}")
        if handoff.status != HandoffStatus.WAITING:
            raise HandoffTaken(f"handoff {handoff_id} is {handoff.status}")
        claimed = await try_assign(
            session,
            handoff_id=handoff_id,
            agent=agent,
            now=now,
            from_statuses=(HandoffStatus.WAITING,),
            skills=_skills_filter(agent),
        )
        if claimed is None:
            raise await why_not_assigned(session, handoff_id=handoff_id, agent=agent)
        event = timeline.append(
            session, claimed, EventName.CLAIMED, at=now, actor_agent_id=agent_id
        )
    await _after_commit(redis, claimed, [event])
    return claimed


async def transfer_to_agent(
    sessions: Sessions,
    redis: Redis,
    *,
    handoff_id: int,
    by_agent_id: int,
    to_agent_id: int,
    now: datetime | None = None,
) -> Handoff:
    """Hand an open handoff to a named agent who works its skill (within their capacity). The
    holder or a supervisor may do it."""
    now = as_utc(now or utc_now())
    async with sessions() as session, session.begin():
        by = await active_agent(session, by_agent_id)
        handoff = await _get_open(session, handoff_id)
        _check_may_move(by, handoff)
        target = await active_agent(session, to_agent_id)
        if not can_take(target, handoff.skill):
            raise NotAllowed(f"agent {to_agent_id} does not work {handoff.skill}")
        if handoff.assigned_agent_id == target.id:
            return handoff
        previous = handoff.assigned_agent_id
        moved = await try_assign(
            session,
            handoff_id=handoff_id,
            agent=target,
            now=now,
            from_statuses=(HandoffStatus.WAITING, HandoffStatus.ASSIGNED),
            skills=_skills_filter(target),
            held_by=previous,
        )
        if moved is None:
            raise await why_not_assigned(session, handoff_id=handoff_id, agent=target)
        event = timeline.append(
            session,
            moved,
            EventName.TRANSFERRED,
            at=now,
            actor_agent_id=by_agent_id,
            detail={"from_agent_id": previous, "to_agent_id": target.id},
        )
    await _after_commit(redis, moved, [event])
    return moved


async def transfer_to_skill(
    sessions: Sessions,
    redis: Redis,
    *,
    handoff_id: int,
    by_agent_id: int,
    skill: str,
    now: datetime | None = None,
) -> Handoff:
    """Send an open handoff back to the queue of another skill (or its own, to let it go). It
    keeps its place by age: the member has been waiting since it opened."""
    now = as_utc(now or utc_now())
    to_skill = Skill(skill).value
    async with sessions() as session, session.begin():
        by = await active_agent(session, by_agent_id)
        handoff = await _get_open(session, handoff_id)
        _check_may_move(by, handoff)
        previous_agent, previous_skill = handoff.assigned_agent_id, handoff.skill
        moved = await _update_returning(
            session,
            handoff_id,
            conditions=[
                Handoff.status.in_([HandoffStatus.WAITING.value, HandoffStatus.ASSIGNED.value]),
                held_by_condition(previous_agent),
                Handoff.skill == previous_skill,
            ],
            values={
                "status": HandoffStatus.WAITING.value,
                "skill": to_skill,
                "assigned_agent_id": None,
                "assigned_at": None,
            },
        )
        if moved is None:
            raise HandoffTaken(f"handoff {handoff_id} changed meanwhile")
        event = timeline.append(
            session,
            moved,
            EventName.TRANSFERRED,
            at=now,
            actor_agent_id=by_agent_id,
            detail={
                "from_agent_id": previous_agent,
                "from_skill": previous_skill,
                "to_skill": to_skill,
            },
        )
    await _after_commit(redis, moved, [event])
    return moved


async def record_agent_reply(
    sessions: Sessions, redis: Redis, *, handoff_id: int, agent_id: int, now: datetime | None = None
) -> bool:
    """Note that the agent answered the member; True for the first answer (what the first-response
    SLA measures), False for later ones, which change nothing here."""
    now = as_utc(now or utc_now())
    async with sessions() as session, session.begin():
        agent = await active_agent(session, agent_id)
        handoff = await _get_open(session, handoff_id)
        if handoff.assigned_agent_id != agent_id and not sees_every_queue(agent):
            raise NotAllowed(f"handoff {handoff_id} is not held by agent {agent_id}")
        replied = await _update_returning(
            session,
            handoff_id,
            conditions=[
                Handoff.first_agent_reply_at.is_(None),
                Handoff.status != HandoffStatus.RESOLVED.value,
            ],
            values={"first_agent_reply_at": now},
        )
        if replied is None:
            return False
        event = timeline.append(
            session, replied, EventName.AGENT_REPLIED, at=now, actor_agent_id=agent_id
        )
    await _after_commit(redis, replied, [event])
    return True


async def resolve_handoff(
    sessions: Sessions,
    redis: Redis,
    *,
    handoff_id: int,
    by_agent_id: int | None,
    resolution: str | None = None,
    now: datetime | None = None,
) -> Handoff:
    """Close a handoff; the conversation goes back to the bot. `by_agent_id` None is the system
    (the member left, the conversation expired). Resolving twice returns it unchanged."""
    now = as_utc(now or utc_now())
    async with sessions() as session, session.begin():
        handoff = await _get(session, handoff_id)
        if handoff.status == HandoffStatus.RESOLVED:
            return handoff
        if by_agent_id is not None:
            by = await active_agent(session, by_agent_id)
            _check_may_move(by, handoff)
        resolved = await _update_returning(
            session,
            handoff_id,
            conditions=[Handoff.status != HandoffStatus.RESOLVED.value],
            values={"status": HandoffStatus.RESOLVED.value, "resolved_at": now},
        )
        if resolved is None:  # resolved by someone else meanwhile
            return await _get(session, handoff_id)
        detail = {"resolution": resolution[:MAX_REASON_CHARS]} if resolution else {}
        event = timeline.append(
            session, resolved, EventName.RESOLVED, at=now, actor_agent_id=by_agent_id, detail=detail
        )
    await _after_commit(redis, resolved, [event])
    return resolved


async def get_handoff(sessions: Sessions, *, handoff_id: int) -> Handoff:
    async with sessions() as session:
        return await _get(session, handoff_id)


async def open_handoff_of(sessions: Sessions, *, conversation_id: str) -> Handoff | None:
    """The conversation's open handoff, if any: while there is one, the member talks to people."""
    async with sessions() as session:
        return await session.scalar(
            select(Handoff).where(
                Handoff.conversation_id == conversation_id,
                Handoff.status != HandoffStatus.RESOLVED.value,
            )
        )


async def agent_desk(sessions: Sessions, *, agent_id: int) -> list[Handoff]:
    """The handoffs an agent holds now, the earliest assigned first."""
    async with sessions() as session:
        handoffs = await session.scalars(
            select(Handoff)
            .where(
                Handoff.assigned_agent_id == agent_id,
                Handoff.status == HandoffStatus.ASSIGNED.value,
            )
            .order_by(Handoff.assigned_at, Handoff.id)
        )
        return list(handoffs)


async def _insert_new(
    session: AsyncSession, values: dict[str, Any], *, ans_registration: str, now: datetime
) -> tuple[Handoff, HandoffEvent, bool] | None:
    """Insert unless the conversation has an open handoff (the partial unique index decides,
    also against a concurrent insert); the protocol is drawn only once the row is in, so a
    conflict spends no number."""
    new_id = await session.scalar(
        insert_for(session)(Handoff)
        .values(
            **values,
            status=HandoffStatus.WAITING.value,
            created_at=now,
            priority_since=now,
            escalation_level=0,
        )
        .on_conflict_do_nothing(
            index_elements=[Handoff.conversation_id], index_where=text(OPEN_PREDICATE)
        )
        .returning(Handoff.id)
    )
    if new_id is None:
        return None
    protocol = await next_protocol(session, ans_registration=ans_registration, now=now)
    handoff = await _update_returning(session, new_id, conditions=[], values={"protocol": protocol})
    assert handoff is not None
    event = timeline.append(
        session,
        handoff,
        EventName.OPENED,
        at=now,
        detail={
            "priority": handoff.priority,
            "skill": handoff.skill,
            "reasons": handoff.reasons,
            "channel": handoff.channel,
            "language": handoff.language,
        },
    )
    return handoff, event, True


async def _merge_into_open(
    session: AsyncSession, values: dict[str, Any], *, now: datetime
) -> tuple[Handoff, HandoffEvent, bool] | None:
    handoff = await session.scalar(
        select(Handoff)
        .where(
            Handoff.conversation_id == values["conversation_id"],
            Handoff.status != HandoffStatus.RESOLVED.value,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if handoff is None:
        return None
    previous_priority = handoff.priority
    added = [reason for reason in values["reasons"] if reason not in handoff.reasons]
    handoff.reasons = (handoff.reasons + added)[:MAX_REASONS]
    handoff.summary = values["summary"]
    if Priority(values["priority"]).is_more_urgent_than(Priority(handoff.priority)):
        handoff.priority = values["priority"]
        handoff.priority_since = now
    event = timeline.append(
        session,
        handoff,
        EventName.REQUESTED_AGAIN,
        at=now,
        detail={
            "priority": handoff.priority,
            "previous_priority": previous_priority,
            "added_reasons": added,
        },
    )
    await session.flush()
    return handoff, event, False


async def _get(session: AsyncSession, handoff_id: int) -> Handoff:
    handoff = await session.get(Handoff, handoff_id, populate_existing=True)
    if handoff is None:
        raise HandoffNotFound(f"no handoff {handoff_id}")
    return handoff


async def _get_open(session: AsyncSession, handoff_id: int) -> Handoff:
    handoff = await _get(session, handoff_id)
    if handoff.status == HandoffStatus.RESOLVED:
        raise HandoffTaken(f"handoff {handoff_id} is resolved")
    return handoff


async def _update_returning(
    session: AsyncSession, handoff_id: int, *, conditions: list[Any], values: dict[str, Any]
) -> Handoff | None:
    """A compare-and-set UPDATE of one handoff: the row as it is now, or None if the conditions
    no longer held."""
    result = await session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, *conditions)
        .values(**values)
        .returning(Handoff)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return result.scalar_one_or_none()


def _check_may_move(agent: Agent, handoff: Handoff) -> None:
    if handoff.assigned_agent_id != agent.id and not sees_every_queue(agent):
        raise NotAllowed(f"handoff {handoff.id} is not held by agent {agent.id}")


def _skills_filter(agent: Agent) -> list[str] | None:
    return None if sees_every_queue(agent) else list(agent.skills)


def _clean_reasons(reasons: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for reason in reasons:
        reason = str(reason).strip().lower()[:MAX_REASON_CHARS]
        if reason and reason not in cleaned:
            cleaned.append(reason)
    return cleaned[:MAX_REASONS]


async def _after_commit(redis: Redis, handoff: Handoff, events: list[HandoffEvent]) -> None:
    try:
        await FastPath(redis).sync(handoff)
    except (RedisError, OSError):
        logger.warning("fast path not updated; reconcile will", extra={"handoff_id": handoff.id})
    await notify.publish(redis, [notify.handoff_message(handoff, event) for event in events])

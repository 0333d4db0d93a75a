"""Giving one handoff to one agent, safely under concurrency: the step claim, transfer and
auto-assignment share.

Two rules must hold however many assigners run at once, on PostgreSQL as on SQLite:
- a handoff goes to one agent: the UPDATE only matches while the handoff is still in the state
  the caller saw (compare-and-set), so of two racing assigners one matches and the other does not;
- an agent never holds more than their capacity: the agent's presence row is written first, which
  makes assignments to the same agent take turns (a row lock on PostgreSQL, the database's write
  lock on SQLite), and the UPDATE counts the agent's load in its own WHERE, after that turn came.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from handoff.agents.models import Agent
from handoff.queue.enums import HandoffStatus, PresenceStatus
from handoff.queue.errors import AgentAtCapacity, HandoffNotFound, HandoffTaken
from handoff.queue.models import AgentPresence, Handoff
from handoff.queue.sql import insert_for


async def try_assign(
    session: AsyncSession,
    *,
    handoff_id: int,
    agent: Agent,
    now: datetime,
    from_statuses: tuple[HandoffStatus, ...],
    skills: list[str] | None,
    held_by: int | None = None,
    turn_at: datetime | None = None,
) -> Handoff | None:
    """Assign in the caller's transaction; None when the handoff was no longer as expected or
    the agent is full (the caller rolls back: the presence write is part of the attempt).

    `skills`: the handoff's skill must be one of these (None: any). `held_by`: the agent who must
    still hold it (None: nobody, as for a waiting handoff). `turn_at`: what round-robin records
    as the agent's last assignment (default `now`).
    """
    await _take_agent_turn(session, agent_id=agent.id, at=turn_at or now)
    other = aliased(Handoff)
    load = (
        select(func.count())
        .select_from(other)
        .where(other.assigned_agent_id == agent.id, other.status == HandoffStatus.ASSIGNED)
        .scalar_subquery()
    )
    conditions = [
        Handoff.id == handoff_id,
        Handoff.status.in_([status.value for status in from_statuses]),
        load < agent.capacity,
    ]
    if skills is not None:
        conditions.append(Handoff.skill.in_(skills))
    conditions.append(held_by_condition(held_by))
    result = await session.execute(
        update(Handoff)
        .where(*conditions)
        .values(status=HandoffStatus.ASSIGNED.value, assigned_agent_id=agent.id, assigned_at=now)
        .returning(Handoff)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return result.scalar_one_or_none()


def held_by_condition(agent_id: int | None) -> ColumnElement[bool]:
    """The handoff is still held by this agent (None: by nobody)."""
    if agent_id is None:
        return Handoff.assigned_agent_id.is_(None)
    return Handoff.assigned_agent_id == agent_id


async def why_not_assigned(session: AsyncSession, *, handoff_id: int, agent: Agent) -> Exception:
    """The error to raise after `try_assign` returned None (read after the fact: good enough to
    tell the agent, not to decide anything)."""
    handoff = await session.get(Handoff, handoff_id, populate_existing=True)
    if handoff is None:
        return HandoffNotFound(f"no handoff {handoff_id}")
    if await agent_load(session, agent_id=agent.id) >= agent.capacity:
        return AgentAtCapacity(f"agent {agent.id} holds {agent.capacity} conversations already")
    return HandoffTaken(f"handoff {handoff_id} is {handoff.status}")


async def agent_load(session: AsyncSession, *, agent_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Handoff)
        .where(Handoff.assigned_agent_id == agent_id, Handoff.status == HandoffStatus.ASSIGNED)
    )
    return int(count or 0)


async def _take_agent_turn(session: AsyncSession, *, agent_id: int, at: datetime) -> None:
    # Writing the row is the lock; `last_assigned_at` is what round-robin reads, and is undone
    # with the rest if the assignment does not happen.
    await session.execute(
        insert_for(session)(AgentPresence)
        .values(
            agent_id=agent_id,
            status=PresenceStatus.OFFLINE.value,
            since=at,
            last_assigned_at=at,
        )
        .on_conflict_do_update(
            index_elements=[AgentPresence.agent_id], set_={"last_assigned_at": at}
        )
    )

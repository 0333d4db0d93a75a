"""Agents going on and off line: who auto-assignment may give conversations to."""

from datetime import datetime

from redis.asyncio import Redis
from sqlalchemy import select

from handoff.agents.models import utc_now
from handoff.queue import notify
from handoff.queue.eligibility import active_agent
from handoff.queue.enums import PresenceStatus
from handoff.queue.models import AgentPresence
from handoff.queue.sql import Sessions, insert_for


async def set_presence(
    sessions: Sessions,
    redis: Redis,
    *,
    agent_id: int,
    status: PresenceStatus,
    now: datetime | None = None,
) -> AgentPresence:
    """Put an agent on or off line. Going off line keeps the conversations they hold: a
    supervisor transfers them if the agent does not come back."""
    now = now or utc_now()
    async with sessions() as session, session.begin():
        await active_agent(session, agent_id)
        current = await session.get(AgentPresence, agent_id)
        if current is not None and current.status == status:
            return current  # `since` keeps the start of the spell
        await session.execute(
            insert_for(session)(AgentPresence)
            .values(agent_id=agent_id, status=status.value, since=now)
            .on_conflict_do_update(
                index_elements=[AgentPresence.agent_id],
                set_={"status": status.value, "since": now},
            )
        )
        presence = await session.scalar(
            select(AgentPresence)
            .where(AgentPresence.agent_id == agent_id)
            .execution_options(populate_existing=True)
        )
    assert presence is not None
    await notify.publish(
        redis, [notify.presence_message(agent_id=agent_id, status=status.value, at=now)]
    )
    return presence


async def presence_of(sessions: Sessions, *, agent_id: int) -> AgentPresence | None:
    async with sessions() as session:
        return await session.get(AgentPresence, agent_id)

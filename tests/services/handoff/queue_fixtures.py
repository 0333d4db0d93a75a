"""Helpers for the queue and SLA tests: agents, handoffs opened at a given time, a listener on
the consoles' channel. Plain functions, imported by the test modules."""

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import func, select

from handoff.agents.models import Agent, Role
from handoff.queue.enums import PresenceStatus
from handoff.queue.hours import load_business_hours
from handoff.queue.models import Handoff, HandoffEvent
from handoff.queue.notify import EVENTS_CHANNEL, scoped
from handoff.queue.presence import set_presence
from handoff.queue.service import OpenedHandoff, open_handoff
from handoff.sla.policy import load_sla_policy

# Tuesday 18 November 2025, 10:00 in São Paulo: a working day, people on.
T0 = datetime(2025, 11, 18, 13, 0, tzinfo=UTC)
HOURS = load_business_hours()
POLICY = load_sla_policy()

_numbers = itertools.count(1)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


async def add_agent(
    sessions: Any,
    *,
    skills: Sequence[str],
    capacity: int = 3,
    role: Role = Role.AGENT,
    active: bool = True,
) -> Agent:
    number = next(_numbers)
    async with sessions() as session, session.begin():
        agent = Agent(
            login=f"agent{number}@acolhe.test",
            display_name=f"Agent {number}",
            role=role,
            skills=list(skills),
            capacity=capacity,
            password_hash="not-a-real-hash",
            active=active,
        )
        session.add(agent)
    return agent


async def add_online_agent(
    sessions: Any, redis: Redis, *, skills: Sequence[str], capacity: int = 3, at: datetime = T0
) -> Agent:
    agent = await add_agent(sessions, skills=skills, capacity=capacity)
    await set_presence(sessions, redis, agent_id=agent.id, status=PresenceStatus.ONLINE, now=at)
    return agent


async def open_at(
    sessions: Any,
    redis: Redis,
    at: datetime,
    *,
    priority: str = "green",
    skill: str = "front_line",
    conversation_id: str | None = None,
    language: str = "pt",
    reasons: Sequence[str] = ("member_asked",),
) -> OpenedHandoff:
    return await open_handoff(
        sessions,
        redis,
        conversation_id=conversation_id or f"conversation-{next(_numbers)}",
        channel="whatsapp",
        language=language,
        priority=priority,
        skill=skill,
        reasons=reasons,
        summary={"journey": "authorization", "verified": True, "last_turns": ["quero falar"]},
        now=at,
    )


async def reload(sessions: Any, handoff_id: int) -> Handoff:
    async with sessions() as session:
        handoff = await session.get(Handoff, handoff_id)
        assert handoff is not None
        return handoff


async def event_names(sessions: Any, handoff_id: int) -> list[str]:
    async with sessions() as session:
        names = await session.scalars(
            select(HandoffEvent.name)
            .where(HandoffEvent.handoff_id == handoff_id)
            .order_by(HandoffEvent.id)
        )
        return list(names)


async def count_events(sessions: Any, name: str) -> int:
    async with sessions() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(HandoffEvent).where(HandoffEvent.name == name)
            )
            or 0
        )


@asynccontextmanager
async def published(
    redis: Redis, channel: str = EVENTS_CHANNEL
) -> AsyncIterator[list[dict[str, Any]]]:
    """Collects what is published on a consoles' channel while the block runs."""
    messages: list[dict[str, Any]] = []
    pubsub = redis.pubsub()
    await pubsub.subscribe(scoped(channel, redis))
    await pubsub.get_message(timeout=1.0)  # the subscription's confirmation
    try:
        yield messages
        await asyncio.sleep(0.05)
        while (message := await pubsub.get_message(timeout=0.2)) is not None:
            if message["type"] == "message":
                messages.append(json.loads(message["data"]))
    finally:
        await pubsub.unsubscribe(scoped(channel, redis))
        await pubsub.aclose()

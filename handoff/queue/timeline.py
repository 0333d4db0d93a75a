"""Appending to a handoff's timeline, and reading it back."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.queue.enums import EventName
from handoff.queue.models import Handoff, HandoffEvent
from handoff.queue.sql import Sessions


def append(
    session: AsyncSession,
    handoff: Handoff,
    name: EventName,
    *,
    at: datetime,
    actor_agent_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> HandoffEvent:
    """Add an entry in the caller's transaction; it is published after the commit."""
    event = HandoffEvent(
        handoff_id=handoff.id,
        name=name.value,
        actor_agent_id=actor_agent_id,
        detail=detail or {},
        at=at,
    )
    session.add(event)
    return event


async def handoff_timeline(sessions: Sessions, *, handoff_id: int) -> list[HandoffEvent]:
    async with sessions() as session:
        events = await session.scalars(
            select(HandoffEvent)
            .where(HandoffEvent.handoff_id == handoff_id)
            .order_by(HandoffEvent.at, HandoffEvent.id)
        )
        return list(events)

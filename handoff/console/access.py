"""What every console action starts and ends with: may this agent see this handoff, the queue's
refusals as the console's, and the audit entry.

Audit entries are written after the queue's own transaction commits (the queue's functions own
their transactions), in one of their own; views are audited before anything is returned, so a
view that cannot be audited is not shown.
"""

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from handoff.agents.models import Agent
from handoff.audit import agent_actor, record
from handoff.console.errors import not_allowed, not_found, refused_for
from handoff.console.views import may_view
from handoff.handback.models import Handback
from handoff.queue.enums import HandoffStatus
from handoff.queue.errors import HandoffNotFound, QueueError
from handoff.queue.models import Handoff
from handoff.queue.routing import auto_assign
from handoff.queue.service import get_handoff
from handoff.runtime import HandoffRuntime

logger = logging.getLogger(__name__)

T = TypeVar("T")


async def visible_handoff(runtime: HandoffRuntime, agent: Agent, handoff_id: int) -> Handoff:
    try:
        handoff = await get_handoff(runtime.sessions, handoff_id=handoff_id)
    except HandoffNotFound as error:
        raise not_found() from error
    if not may_view(agent, handoff):
        raise not_allowed("this handoff is outside your skills")
    return handoff


async def assign_quietly(runtime: HandoffRuntime) -> None:
    """An auto-assignment pass whose failure only waits for the background pass."""
    try:
        await auto_assign(runtime.sessions, runtime.redis, now=runtime.now())
    except Exception as error:  # any failure: the background pass assigns later
        logger.warning("auto-assignment failed", extra={"error": type(error).__name__})


async def handback_pending(runtime: HandoffRuntime, handoff: Handoff) -> bool:
    if handoff.status != HandoffStatus.RESOLVED:
        return False
    async with runtime.sessions() as session:
        handback = await session.get(Handback, handoff.id)
    return handback is None or handback.done_at is None


async def audit_handoff(
    runtime: HandoffRuntime, agent: Agent, action: str, handoff: Handoff, **detail: Any
) -> None:
    await record(
        runtime.sessions,
        actor=agent_actor(agent.id),
        action=action,
        subject=f"handoff:{handoff.id}",
        detail={"handoff_id": handoff.id, **detail},
        at=runtime.now(),
    )


async def queue_call(call: Awaitable[T]) -> T:
    """Await a queue function, turning its refusals into the console's."""
    try:
        return await call
    except QueueError as error:
        raise refused_for(error) from error

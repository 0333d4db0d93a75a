"""Every change to a handoff, published on one Redis channel for the consoles to follow live.

Messages carry ids, skills, priorities and statuses, never the summary or anything else a member
said: a console that needs more reads the handoff through the API. Publishing happens after the
SQL commit and a failure is only logged: a console that missed a message catches up on its next
read of the queue.
"""

import json
import logging
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff.queue.models import Handoff, HandoffEvent

logger = logging.getLogger(__name__)

EVENTS_CHANNEL = "acolhe:handoff:events"


def scoped(channel: str, redis: Redis) -> str:
    """The channel's name on this Redis database. Unlike keys, pub/sub channels are shared by
    every database of a server: the number keeps two deployments (or a test run and a benchmark)
    on one server from hearing each other."""
    return f"{channel}:db{redis.connection_pool.connection_kwargs.get('db', 0)}"


# Published when an agent goes on or off line (not a handoff event, so not on a timeline).
AGENT_PRESENCE = "agent.presence"


def handoff_message(handoff: Handoff, event: HandoffEvent) -> dict[str, Any]:
    return {
        "event": event.name,
        "at": _iso(event.at),
        "actor_agent_id": event.actor_agent_id,
        "detail": event.detail,
        "handoff": {
            "id": handoff.id,
            "protocol": handoff.protocol,
            "skill": handoff.skill,
            "priority": handoff.priority,
            "status": handoff.status,
            "assigned_agent_id": handoff.assigned_agent_id,
            "escalation_level": handoff.escalation_level,
        },
    }


def presence_message(*, agent_id: int, status: str, at: datetime) -> dict[str, Any]:
    return {"event": AGENT_PRESENCE, "at": _iso(at), "agent_id": agent_id, "status": status}


async def publish(redis: Redis, messages: list[dict[str, Any]]) -> None:
    if not messages:
        return
    try:
        async with redis.pipeline(transaction=False) as pipe:
            for message in messages:
                pipe.publish(
                    scoped(EVENTS_CHANNEL, redis), json.dumps(message, separators=(",", ":"))
                )
            await pipe.execute()
    except (RedisError, OSError):
        logger.warning("could not publish handoff events", extra={"count": len(messages)})


def _iso(moment: datetime) -> str:
    return moment.isoformat()

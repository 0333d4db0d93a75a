"""Events for the consoles that are not handoff timeline entries: a member wrote, a note was
added, a low score opened a follow-up task. Published on a channel of their own, next to the
queue's (handoff/queue/notify.py), with the same rule: ids, skills and statuses only, never what
anybody wrote. The consoles' websockets (websocket.py) listen to both channels.
"""

import json
import logging
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff.queue.models import Handoff
from handoff.queue.notify import scoped

logger = logging.getLogger(__name__)

CONSOLE_CHANNEL = "acolhe:handoff:console"

MEMBER_MESSAGE = "member.message"
NOTE_ADDED = "handoff.note_added"
FOLLOWUP_OPENED = "followup.opened"


def handoff_ref(handoff: Handoff) -> dict[str, Any]:
    """What the websockets need to decide who may hear about a handoff."""
    return {
        "id": handoff.id,
        "skill": handoff.skill,
        "status": handoff.status,
        "assigned_agent_id": handoff.assigned_agent_id,
    }


def member_message(handoff: Handoff, *, message_id: int) -> dict[str, Any]:
    return {"event": MEMBER_MESSAGE, "message_id": message_id, "handoff": handoff_ref(handoff)}


def note_added(handoff: Handoff, *, note_id: int, agent_id: int) -> dict[str, Any]:
    return {
        "event": NOTE_ADDED,
        "note_id": note_id,
        "actor_agent_id": agent_id,
        "handoff": handoff_ref(handoff),
    }


def followup_opened(handoff: Handoff, *, task_id: int) -> dict[str, Any]:
    return {"event": FOLLOWUP_OPENED, "task_id": task_id, "handoff": handoff_ref(handoff)}


async def publish(redis: Redis, message: dict[str, Any]) -> bool:
    """Publish after the commit; a failure is logged, not raised: consoles catch up on their
    next read."""
    try:
        await redis.publish(
            scoped(CONSOLE_CHANNEL, redis), json.dumps(message, separators=(",", ":"))
        )
    except (RedisError, OSError):
        logger.warning("could not publish a console event", extra={"event": message.get("event")})
        return False
    return True

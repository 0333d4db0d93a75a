"""Finds in SQL the work Redis does not know about, and puts it back on the queue.

A gateway that died between storing a message and queueing it, a Redis that was flushed or
restarted, a message put off while the bot was down, an outbound message waiting to be retried:
all are rows in SQL, and this loop brings their conversations back, every few seconds and at
start-up.
"""

import asyncio
import logging
from datetime import timedelta

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from channels import store
from channels.models import utc_now
from channels.store import Sessions
from channels.turn_queue import TurnQueue

logger = logging.getLogger(__name__)

# Messages younger than this were queued by their webhook and need no help.
FRESH = timedelta(seconds=10)
BATCH = 500


async def requeue_due_work(
    sessions: Sessions, queue: TurnQueue, *, fresh: timedelta = FRESH
) -> int:
    now = utc_now()
    conversation_ids = await store.conversations_with_due_work(
        sessions, now=now, created_before=now - fresh, limit=BATCH
    )
    for conversation_id in conversation_ids:
        await queue.notify(conversation_id)
    if conversation_ids:
        logger.info("conversations requeued", extra={"count": len(conversation_ids)})
    return len(conversation_ids)


async def keep_recovering(sessions: Sessions, queue: TurnQueue, *, interval_seconds: float) -> None:
    """Run until cancelled; the first pass, at start-up, takes every waiting message."""
    fresh = timedelta(0)
    while True:
        try:
            await requeue_due_work(sessions, queue, fresh=fresh)
        except (SQLAlchemyError, RedisError, OSError):
            logger.exception("recovery pass failed; trying again")
        fresh = FRESH
        await asyncio.sleep(interval_seconds)

"""Redis sorted sets mirroring the waiting handoffs of each skill, for fast queue reads.

One set per skill; the score sorts red before yellow before green, then the longest waiting first.
SQL stays the truth and this is only a copy:
- every write reaches SQL first and this copy after the commit (a crash in between leaves the copy
  stale, never SQL);
- a reader checks what it read against SQL, drops what is no longer waiting (`remove`) and re-files
  what moved (`put`);
- a marker key says the copy was built; when Redis loses it (FLUSHDB, a restart without
  persistence), the next reader rebuilds the copy from SQL (`ensure_built`);
- `reconcile` compares the whole copy with SQL and is run periodically, for the handoffs a crash
  between commit and `put` left out.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from sqlalchemy import select

from handoff.agents.models import Skill
from handoff.queue.enums import HandoffStatus, Priority
from handoff.queue.models import Handoff, as_utc
from handoff.queue.sql import QUEUE_ORDER, Sessions

logger = logging.getLogger(__name__)

QUEUE_KEY_PREFIX = "acolhe:handoff:queue:"
BUILT_MARKER_KEY = "acolhe:handoff:queue:built"

# Priority rank times this, plus milliseconds since the epoch: red's scores all sort before
# yellow's for the next 300 years, and every score is an integer a double holds exactly.
_RANK_WEIGHT = 10**13


def queue_key(skill: str) -> str:
    return QUEUE_KEY_PREFIX + skill


def score(*, priority: str, created_at: datetime) -> int:
    return Priority(priority).rank * _RANK_WEIGHT + int(as_utc(created_at).timestamp() * 1000)


def member(handoff_id: int) -> str:
    # Zero-padded so that equal scores (same millisecond) sort by id, as SQL does.
    return f"{handoff_id:012d}"


@dataclass(frozen=True)
class QueuedId:
    handoff_id: int
    skill: str
    score: int


class FastPath:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def put(self, handoff: Handoff) -> None:
        """File a waiting handoff under its skill (and under no other), with its current score."""
        async with self._redis.pipeline(transaction=True) as pipe:
            for skill in Skill:
                if skill != handoff.skill:
                    pipe.zrem(queue_key(skill), member(handoff.id))
            pipe.zadd(
                queue_key(handoff.skill),
                {
                    member(handoff.id): score(
                        priority=handoff.priority, created_at=handoff.created_at
                    )
                },
            )
            await pipe.execute()

    async def remove(self, handoff_id: int) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for skill in Skill:
                pipe.zrem(queue_key(skill), member(handoff_id))
            await pipe.execute()

    async def sync(self, handoff: Handoff) -> None:
        """Make the copy agree with this handoff as SQL has it now."""
        if handoff.status == HandoffStatus.WAITING:
            await self.put(handoff)
        else:
            await self.remove(handoff.id)

    async def ordered(self, skills: list[str], *, limit: int) -> list[QueuedId]:
        """The first `limit` waiting handoffs of these skills, in queue order."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for skill in skills:
                pipe.zrange(queue_key(skill), 0, limit - 1, withscores=True)
            replies = await pipe.execute()
        queued = [
            QueuedId(handoff_id=int(raw_member), skill=skill, score=int(raw_score))
            for skill, reply in zip(skills, replies, strict=True)
            for raw_member, raw_score in reply
        ]
        queued.sort(key=lambda entry: (entry.score, entry.handoff_id))
        return queued[:limit]

    async def ensure_built(self, sessions: Sessions) -> bool:
        """Rebuild from SQL when the marker is gone; True when it did."""
        if await self._redis.exists(BUILT_MARKER_KEY):
            return False
        count = await self.rebuild(sessions)
        logger.warning("handoff queue rebuilt from SQL", extra={"count": count})
        return True

    async def rebuild(self, sessions: Sessions) -> int:
        """Add every waiting handoff SQL has; return how many.

        Only adds: deleting first could drop a handoff opened between the SQL read and the
        delete. Entries SQL no longer has waiting are dropped by readers and by `reconcile`.
        """
        waiting = await _waiting_in_sql(sessions)
        async with self._redis.pipeline(transaction=True) as pipe:
            for handoff in waiting:
                pipe.zadd(
                    queue_key(handoff.skill),
                    {
                        member(handoff.id): score(
                            priority=handoff.priority, created_at=handoff.created_at
                        )
                    },
                )
            pipe.set(BUILT_MARKER_KEY, "1")
            await pipe.execute()
        return len(waiting)

    async def reconcile(self, sessions: Sessions) -> tuple[int, int]:
        """Make the whole copy agree with SQL; return (handoffs re-filed, entries dropped)."""
        waiting = {handoff.id: handoff for handoff in await _waiting_in_sql(sessions)}
        in_redis: dict[int, tuple[str, int]] = {}
        for skill in Skill:
            for raw_member, raw_score in await self._redis.zrange(
                queue_key(skill), 0, -1, withscores=True
            ):
                in_redis[int(raw_member)] = (skill, int(raw_score))
        refiled = 0
        for handoff in waiting.values():
            expected = (
                handoff.skill,
                score(priority=handoff.priority, created_at=handoff.created_at),
            )
            if in_redis.get(handoff.id) != expected:
                await self.put(handoff)
                refiled += 1
        # Entries absent from the SQL snapshot may belong to handoffs opened since it was taken:
        # look at each again before dropping it.
        dropped = 0
        extra = [handoff_id for handoff_id in in_redis if handoff_id not in waiting]
        if extra:
            async with sessions() as session:
                still_waiting = await session.scalars(
                    select(Handoff).where(
                        Handoff.id.in_(extra), Handoff.status == HandoffStatus.WAITING
                    )
                )
                fresh = {handoff.id: handoff for handoff in still_waiting}
            for handoff_id in extra:
                if handoff_id in fresh:
                    await self.put(fresh[handoff_id])
                else:
                    await self.remove(handoff_id)
                    dropped += 1
        await self._redis.set(BUILT_MARKER_KEY, "1")
        return refiled, dropped


async def _waiting_in_sql(sessions: Sessions) -> list[Handoff]:
    async with sessions() as session:
        handoffs = await session.scalars(
            select(Handoff).where(Handoff.status == HandoffStatus.WAITING).order_by(*QUEUE_ORDER)
        )
        return list(handoffs)

"""Redis, the fast path of the durable queue: which conversations have work, and who holds each.

SQL is the source of truth (a `queued` inbound or `pending` outbound row is work to do); Redis only
says "look at this conversation now" and keeps two processes from answering the same conversation
at once. Whatever Redis loses, channels/recovery.py finds again in SQL.
"""

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

QUEUE_KEY = "acolhe:gateway:conversations-to-process"
LOCK_PREFIX = "acolhe:gateway:conversation-lock:"

# Deletes the lock only if it is still ours: after a stall longer than the lock's life another
# process may hold it, and must keep it.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class TurnQueue:
    def __init__(self, redis: Redis, *, lock_seconds: float) -> None:
        self._redis = redis
        self._lock_ms = int(lock_seconds * 1000)
        self._release = redis.register_script(_RELEASE)

    async def notify(self, conversation_id: str) -> None:
        await self._redis.lpush(QUEUE_KEY, conversation_id)  # type: ignore[misc]

    async def next(self, timeout_seconds: float) -> str | None:
        """The next conversation to look at, or None when none came within the timeout."""
        item = await self._redis.brpop([QUEUE_KEY], timeout=timeout_seconds)  # type: ignore[misc, arg-type]
        if item is None:
            return None
        return item[1].decode() if isinstance(item[1], bytes) else str(item[1])

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[bool]:
        """Yield True while this process alone works on the conversation, False if another does."""
        key = LOCK_PREFIX + conversation_id
        token = secrets.token_hex(16)
        held = bool(await self._redis.set(key, token, nx=True, px=self._lock_ms))
        try:
            yield held
        finally:
            if held:
                await self._release(keys=[key], args=[token])

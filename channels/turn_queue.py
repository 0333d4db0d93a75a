"""Redis, the fast path of the durable queue: which conversations have work, and who holds each.

SQL is the source of truth (a `queued` inbound or `pending` outbound row is work to do); Redis only
says "look at this conversation now" and keeps two processes from working on the same conversation
at once. Whatever Redis loses, channels/recovery.py finds again in SQL.
"""

import secrets
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

QUEUE_KEY = "acolhe:gateway:conversations-to-process"
LOCK_PREFIX = "acolhe:gateway:conversation-lock:"
# Set by whoever finds the conversation held: its holder goes round once more before letting go.
KNOCK_PREFIX = "acolhe:gateway:conversation-knock:"


# Takes the lock, or knocks when another holds it; atomic, so a knock can never fall between
# the holder's last look and its release unnoticed.
_TAKE_OR_KNOCK = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
redis.call('set', KEYS[2], '1', 'PX', ARGV[2])
return 0
"""

# Lets go unless someone knocked, in which case the lock is kept (and its life renewed) for
# another round. -1: the lock had expired and is someone else's now.
_RELEASE_UNLESS_KNOCKED = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('del', KEYS[2]) == 1 then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
redis.call('del', KEYS[1])
return 0
"""

# Lets go whatever happened; only if the lock is still ours.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""

GO_AGAIN = 1


class TurnQueue:
    def __init__(self, redis: Redis, *, lock_seconds: float) -> None:
        self._redis = redis
        self._lock_ms = int(lock_seconds * 1000)
        self._take_or_knock = redis.register_script(_TAKE_OR_KNOCK)
        self._release_unless_knocked = redis.register_script(_RELEASE_UNLESS_KNOCKED)
        self._release = redis.register_script(_RELEASE)

    async def notify(self, conversation_id: str) -> None:
        await self._redis.lpush(QUEUE_KEY, conversation_id)  # type: ignore[misc]

    async def next(self, timeout_seconds: float) -> str | None:
        """The next conversation to look at, or None when none came within the timeout."""
        item = await self._redis.brpop([QUEUE_KEY], timeout=timeout_seconds)  # type: ignore[misc, arg-type]
        if item is None:
            return None
        return item[1].decode() if isinstance(item[1], bytes) else str(item[1])

    async def work_on(self, conversation_id: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` while this process alone holds the conversation, and again for as long as
        others asked for it meanwhile. If another process holds it, ask that one to go round once
        more instead: `work` must look at everything waiting in SQL each time it runs."""
        keys = [LOCK_PREFIX + conversation_id, KNOCK_PREFIX + conversation_id]
        token = secrets.token_hex(16)
        if not await self._take_or_knock(keys=keys, args=[token, self._lock_ms]):
            return
        try:
            while True:
                await work()
                released = await self._release_unless_knocked(
                    keys=keys, args=[token, self._lock_ms]
                )
                if released != GO_AGAIN:
                    return
        except BaseException:
            # What the failed round left, and any knock, waits in SQL for recovery.
            await self._release(keys=keys[:1], args=[token])
            raise

"""One Redis subscription per process, fanned out to that process's console websockets.

Every copy of the service subscribes to the queue's channel and the console's own, so an event
published by any copy reaches every agent, wherever their websocket landed. Each socket gets an
inbox of page events already filtered for its agent (fanout.py). When the subscription breaks, it
is made again and every socket is told to refetch (`queue.changed`), since events may have been
missed meanwhile.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from handoff.agents.models import Agent
from handoff.console.events import CONSOLE_CHANNEL
from handoff.console.fanout import QUEUE_CHANGED, page_events
from handoff.queue.notify import EVENTS_CHANNEL, scoped

logger = logging.getLogger(__name__)

CHANNELS = (EVENTS_CHANNEL, CONSOLE_CHANNEL)  # as scoped() names them on this Redis database
# A page that cannot keep up loses its oldest events: it refetches on the next one anyway.
INBOX_SIZE = 100
_RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)


class Listener:
    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=INBOX_SIZE)

    def offer(self, event: dict[str, Any]) -> None:
        if self.inbox.full():
            self.inbox.get_nowait()
        self.inbox.put_nowait(event)


class ConsoleHub:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._listeners: set[Listener] = set()
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self._failures = 0

    async def start(self, *, timeout_seconds: float = 5.0) -> None:
        """Subscribe, and return once the subscription is live (or after the timeout, when Redis
        is down: the hub keeps trying in the background)."""
        self._task = asyncio.create_task(self._run(), name="console-hub")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @contextlib.contextmanager
    def listen(self, agent: Agent) -> Iterator[Listener]:
        listener = Listener(agent)
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def dispatch(self, message: dict[str, Any]) -> None:
        for listener in list(self._listeners):
            for event in page_events(listener.agent, message):
                listener.offer(event)

    async def _run(self) -> None:
        while True:
            try:
                await self._follow()
            except (RedisError, OSError):
                self._subscribed.clear()
                delay = _RETRY_SECONDS[min(self._failures, len(_RETRY_SECONDS) - 1)]
                self._failures += 1
                logger.warning("console event subscription lost; retrying", extra={"in": delay})
                await asyncio.sleep(delay)

    async def _follow(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(*(scoped(channel, self._redis) for channel in CHANNELS))
            await _confirmed(pubsub, len(CHANNELS))
            self._subscribed.set()
            self._failures = 0
            # Whatever was published while the subscription was down is lost: refetch.
            for listener in list(self._listeners):
                listener.offer({"event": QUEUE_CHANGED})
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30.0)
                if message is None or message.get("type") != "message":
                    continue
                try:
                    decoded = json.loads(message["data"])
                except (TypeError, ValueError):
                    continue
                if isinstance(decoded, dict):
                    self.dispatch(decoded)
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()


async def _confirmed(pubsub: Any, count: int) -> None:
    """Wait for Redis to confirm each subscription: only then is a publish sure to reach us."""
    confirmed = 0
    while confirmed < count:
        message = await pubsub.get_message(timeout=5.0)
        if message is None:
            raise RedisError("no subscription confirmation from Redis")
        if message.get("type") == "subscribe":
            confirmed += 1

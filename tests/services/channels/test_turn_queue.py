"""The conversation lock on real Redis: one holder at a time, and no knock ever lost."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from channels.turn_queue import TurnQueue
from tests.services.channels.conftest import REDIS_URL


@pytest.fixture
async def queue() -> AsyncIterator[TurnQueue]:
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    yield TurnQueue(redis, lock_seconds=30)
    await redis.flushdb()
    await redis.aclose()


async def test_a_knock_while_held_makes_the_holder_go_round_again(queue: TurnQueue) -> None:
    rounds: list[str] = []
    holder_inside = asyncio.Event()
    knocked = asyncio.Event()

    async def holder_work() -> None:
        rounds.append("holder")
        if len(rounds) == 1:
            holder_inside.set()
            await knocked.wait()

    async def knocker_work() -> None:
        rounds.append("knocker")

    holder = asyncio.create_task(queue.work_on("c1", holder_work))
    await holder_inside.wait()
    await queue.work_on("c1", knocker_work)  # finds it held: knocks and returns at once
    knocked.set()
    await holder

    assert rounds == ["holder", "holder"]


async def test_without_a_knock_the_holder_goes_once_and_lets_go(queue: TurnQueue) -> None:
    rounds: list[str] = []

    async def work() -> None:
        rounds.append("round")

    await queue.work_on("c1", work)
    await queue.work_on("c1", work)

    assert rounds == ["round", "round"]  # one each: released in between, no stale knock


async def test_many_knockers_never_run_at_once_and_none_is_lost(queue: TurnQueue) -> None:
    running = 0
    most_at_once = 0
    waiting = 0  # knocks not yet looked at, as a holder would find rows in SQL

    async def work() -> None:
        nonlocal running, most_at_once, waiting
        running += 1
        most_at_once = max(most_at_once, running)
        waiting = 0
        await asyncio.sleep(0.001)
        running -= 1

    async def arrive() -> None:
        nonlocal waiting
        waiting += 1
        await queue.work_on("c1", work)

    await asyncio.gather(*(arrive() for _ in range(200)))

    assert most_at_once == 1
    assert waiting == 0


async def test_a_failed_round_lets_go(queue: TurnQueue) -> None:
    async def broken() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await queue.work_on("c1", broken)
    rounds: list[str] = []

    async def work() -> None:
        rounds.append("round")

    await queue.work_on("c1", work)
    assert rounds == ["round"]

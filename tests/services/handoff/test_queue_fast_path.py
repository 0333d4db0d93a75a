"""The Redis fast path: rebuilt from SQL when lost, SQL wins every disagreement, and the
consoles hear of every change."""

from typing import Any

from redis.asyncio import Redis

from handoff.agents.models import Role
from handoff.queue.enums import EventName, HandoffStatus
from handoff.queue.fast_path import BUILT_MARKER_KEY, FastPath, member, queue_key, score
from handoff.queue.routing import auto_assign, queue_for_agent
from handoff.queue.service import claim_handoff, open_handoff_of, resolve_handoff
from tests.services.handoff.queue_fixtures import (
    T0,
    add_agent,
    add_online_agent,
    minutes,
    open_at,
    published,
    reload,
)

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


async def mixed_queue(sessions: Any, redis: Redis) -> list[int]:
    """Ten handoffs of several skills and priorities, two of them no longer waiting."""
    ids = []
    for i, (priority, skill) in enumerate(
        [
            ("green", "front_line"),
            ("red", "clinical"),
            ("yellow", "front_line"),
            ("green", "collections"),
            ("yellow", "technical"),
            ("red", "clinical"),
            ("green", "front_line"),
            ("yellow", "collections"),
            ("green", "technical"),
            ("yellow", "front_line"),
        ]
    ):
        opened = await open_at(sessions, redis, T0 + minutes(i), priority=priority, skill=skill)
        ids.append(opened.handoff.id)
    agent = await add_agent(sessions, skills=["front_line"])
    await claim_handoff(sessions, redis, handoff_id=ids[2], agent_id=agent.id)
    await resolve_handoff(sessions, redis, handoff_id=ids[3], by_agent_id=None)
    return ids


async def everything_seen(sessions: Any, redis: Redis, supervisor_id: int) -> list[int]:
    return [h.id for h in await queue_for_agent(sessions, redis, agent_id=supervisor_id)]


async def test_after_flushdb_the_queue_is_rebuilt_from_sql_whole_and_in_order(
    sessions: Any, redis: Redis
) -> None:
    ids = await mixed_queue(sessions, redis)
    supervisor = await add_agent(sessions, skills=[], role=Role.SUPERVISOR)
    before = await everything_seen(sessions, redis, supervisor.id)

    await redis.flushdb()
    after = await everything_seen(sessions, redis, supervisor.id)

    assert before == after
    assert after == [ids[1], ids[5], ids[4], ids[7], ids[9], ids[0], ids[6], ids[8]]
    assert await redis.exists(BUILT_MARKER_KEY)
    assert [int(m) for m in await redis.zrange(queue_key("front_line"), 0, -1)] == [
        ids[9],
        ids[0],
        ids[6],
    ]


async def test_auto_assignment_after_flushdb_loses_no_handoff(sessions: Any, redis: Redis) -> None:
    ids = await mixed_queue(sessions, redis)
    await redis.flushdb()
    await add_online_agent(sessions, redis, skills=["front_line"], capacity=5)

    assigned = await auto_assign(sessions, redis, now=T0 + minutes(30))

    assert [h.id for h in assigned] == [ids[9], ids[0], ids[6]]


async def test_a_flush_between_changes_leaves_no_handoff_behind(
    sessions: Any, redis: Redis
) -> None:
    ids = await mixed_queue(sessions, redis)
    supervisor = await add_agent(sessions, skills=[], role=Role.SUPERVISOR)
    await redis.flushdb()
    # A change lands in the emptied Redis before anyone reads: the marker is still missing.
    late = await open_at(sessions, redis, T0 + minutes(20), priority="red", skill="technical")

    seen = await everything_seen(sessions, redis, supervisor.id)

    assert seen == [ids[1], ids[5], late.handoff.id, ids[4], ids[7], ids[9], ids[0], ids[6], ids[8]]


async def test_when_redis_and_sql_disagree_sql_wins(sessions: Any, redis: Redis) -> None:
    ids = await mixed_queue(sessions, redis)
    supervisor = await add_agent(sessions, skills=[], role=Role.SUPERVISOR)
    front_agent = await add_agent(sessions, skills=["front_line"])
    await everything_seen(sessions, redis, supervisor.id)  # built
    assigned, resolved, waiting_front = ids[2], ids[3], ids[0]
    # A stale copy: a taken and a resolved handoff still listed, one filed under the wrong
    # skill with the wrong score, one missing altogether.
    await redis.zadd(queue_key("front_line"), {member(assigned): 1, member(resolved): 2})
    await redis.zrem(queue_key("front_line"), member(waiting_front))
    await redis.zadd(queue_key("clinical"), {member(waiting_front): 0})
    await redis.zrem(queue_key("technical"), member(ids[8]))

    seen_by_front = [h.id for h in await queue_for_agent(sessions, redis, agent_id=front_agent.id)]

    # What is not waiting is neither shown nor kept; the misfiled one is missing from the
    # front-line set until the reconcile below files it back.
    assert seen_by_front == [ids[9], ids[6]]
    assert await redis.zscore(queue_key("front_line"), member(assigned)) is None
    assert await redis.zscore(queue_key("front_line"), member(resolved)) is None

    refiled, dropped = await FastPath(redis).reconcile(sessions)

    assert (refiled, dropped) == (2, 0)
    assert [h.id for h in await queue_for_agent(sessions, redis, agent_id=front_agent.id)] == [
        ids[9],
        ids[0],
        ids[6],
    ]
    assert await redis.zscore(queue_key("clinical"), member(waiting_front)) is None
    handoff = await reload(sessions, ids[8])
    assert await redis.zscore(queue_key("technical"), member(ids[8])) == score(
        priority=handoff.priority, created_at=handoff.created_at
    )


async def test_reconcile_drops_entries_sql_no_longer_has_waiting(
    sessions: Any, redis: Redis
) -> None:
    ids = await mixed_queue(sessions, redis)
    await redis.zadd(queue_key("technical"), {member(ids[2]): 5, member(987_654): 6})

    refiled, dropped = await FastPath(redis).reconcile(sessions)

    assert (refiled, dropped) == (0, 2)
    assert await redis.zscore(queue_key("technical"), member(ids[2])) is None


async def test_without_redis_the_queue_still_works_from_sql(sessions: Any, redis: Redis) -> None:
    ids = await mixed_queue(sessions, redis)
    supervisor = await add_agent(sessions, skills=[], role=Role.SUPERVISOR)
    expected = await everything_seen(sessions, redis, supervisor.id)
    broken = Redis.from_url(UNREACHABLE_REDIS, socket_connect_timeout=0.2)
    try:
        seen = await everything_seen(sessions, broken, supervisor.id)
        opened = await open_at(sessions, broken, T0 + minutes(30), conversation_id="no-redis")
    finally:
        await broken.aclose()

    assert seen == expected
    # Behind front line's yellow ids[9] and greens ids[0] and ids[6].
    assert opened.created and opened.position == 4
    assert await open_handoff_of(sessions, conversation_id="no-redis") is not None
    # The healthy Redis learns of it at the next reconcile.
    await FastPath(redis).reconcile(sessions)
    assert [int(m) for m in await redis.zrange(queue_key("front_line"), 0, -1)] == [
        ids[9],
        ids[0],
        ids[6],
        opened.handoff.id,
    ]


async def test_every_change_is_published_without_the_members_data(
    sessions: Any, redis: Redis
) -> None:
    async with published(redis) as messages:
        agent = await add_online_agent(sessions, redis, skills=["front_line"])
        opened = await open_at(sessions, redis, T0)
        await claim_handoff(sessions, redis, handoff_id=opened.handoff.id, agent_id=agent.id)
        await resolve_handoff(sessions, redis, handoff_id=opened.handoff.id, by_agent_id=agent.id)

    assert [m["event"] for m in messages] == [
        "agent.presence",
        EventName.OPENED,
        EventName.CLAIMED,
        EventName.RESOLVED,
    ]
    assert messages[0]["agent_id"] == agent.id and messages[0]["status"] == "online"
    assert messages[2]["handoff"]["status"] == HandoffStatus.ASSIGNED
    assert messages[2]["actor_agent_id"] == agent.id
    text = str(messages)
    assert "summary" not in text and "quero falar" not in text and "conversation" not in text

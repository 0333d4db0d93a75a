"""Auto-assignment and claims: capacity, round-robin, and exactly-once under concurrency."""

import asyncio
from collections import Counter
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from handoff.queue.enums import EventName, HandoffStatus, PresenceStatus
from handoff.queue.errors import AgentAtCapacity, HandoffTaken
from handoff.queue.models import Handoff
from handoff.queue.presence import set_presence
from handoff.queue.routing import auto_assign
from handoff.queue.service import claim_handoff, resolve_handoff
from tests.services.handoff.queue_fixtures import (
    T0,
    add_agent,
    add_online_agent,
    count_events,
    minutes,
    open_at,
    reload,
)


async def holders(sessions: Any) -> Counter[int | None]:
    async with sessions() as session:
        rows = await session.scalars(
            select(Handoff.assigned_agent_id).where(Handoff.status == HandoffStatus.ASSIGNED)
        )
        return Counter(rows)


async def test_auto_assignment_fills_capacity_and_no_more(sessions: Any, redis: Redis) -> None:
    opened = [await open_at(sessions, redis, T0 + minutes(i)) for i in range(5)]
    agent = await add_online_agent(sessions, redis, skills=["front_line"], capacity=2)

    first_pass = await auto_assign(sessions, redis, now=T0 + minutes(10))
    second_pass = await auto_assign(sessions, redis, now=T0 + minutes(11))

    assert [h.id for h in first_pass] == [opened[0].handoff.id, opened[1].handoff.id]
    assert second_pass == []
    assert await holders(sessions) == {agent.id: 2}

    await resolve_handoff(
        sessions, redis, handoff_id=opened[0].handoff.id, by_agent_id=agent.id, now=T0
    )
    third_pass = await auto_assign(sessions, redis, now=T0 + minutes(12))

    assert [h.id for h in third_pass] == [opened[2].handoff.id]
    assert await holders(sessions) == {agent.id: 2}


async def test_the_most_urgent_goes_first_when_places_are_few(sessions: Any, redis: Redis) -> None:
    await open_at(sessions, redis, T0, priority="green")
    red = await open_at(sessions, redis, T0 + minutes(9), priority="red")
    await add_online_agent(sessions, redis, skills=["front_line"], capacity=1)

    assigned = await auto_assign(sessions, redis, now=T0 + minutes(10))

    assert [h.id for h in assigned] == [red.handoff.id]


async def test_only_online_agents_with_the_skill_get_handoffs(sessions: Any, redis: Redis) -> None:
    clinical = await open_at(sessions, redis, T0, skill="clinical", priority="red")
    front = await open_at(sessions, redis, T0, skill="front_line")
    await add_online_agent(sessions, redis, skills=["collections"])
    offline_nurse = await add_agent(sessions, skills=["clinical"])
    nurse = await add_online_agent(sessions, redis, skills=["clinical"])
    await set_presence(
        sessions, redis, agent_id=nurse.id, status=PresenceStatus.OFFLINE, now=T0 + minutes(1)
    )

    assert await auto_assign(sessions, redis, now=T0 + minutes(2)) == []

    await set_presence(sessions, redis, agent_id=offline_nurse.id, status=PresenceStatus.ONLINE)
    assigned = await auto_assign(sessions, redis, now=T0 + minutes(3))

    assert [h.id for h in assigned] == [clinical.handoff.id]
    assert (await reload(sessions, clinical.handoff.id)).assigned_agent_id == offline_nurse.id
    assert (await reload(sessions, front.handoff.id)).status == HandoffStatus.WAITING


async def test_round_robin_gives_the_next_one_to_the_least_recently_assigned(
    sessions: Any, redis: Redis
) -> None:
    agents = [
        await add_online_agent(sessions, redis, skills=["front_line"], capacity=10)
        for _ in range(3)
    ]
    a, b, c = (agent.id for agent in agents)
    order: list[int | None] = []
    # Handoffs trickle in, a pass after each pair: the turn carries over between passes.
    for step in range(6):
        await open_at(sessions, redis, T0 + minutes(2 * step))
        await open_at(sessions, redis, T0 + minutes(2 * step + 1))
        assigned = await auto_assign(sessions, redis, now=T0 + minutes(2 * step + 1.5))
        order += [handoff.assigned_agent_id for handoff in assigned]

    assert order == [a, b, c, a, b, c, a, b, c, a, b, c]
    assert await holders(sessions) == {a: 4, b: 4, c: 4}


async def test_round_robin_skips_agents_without_the_skill(sessions: Any, redis: Redis) -> None:
    front = await add_online_agent(sessions, redis, skills=["front_line"], capacity=5)
    nurse = await add_online_agent(sessions, redis, skills=["clinical"], capacity=5)
    both = await add_online_agent(sessions, redis, skills=["front_line", "clinical"], capacity=5)
    for i in range(3):
        await open_at(sessions, redis, T0 + minutes(i), skill="clinical", priority="red")
        await open_at(sessions, redis, T0 + minutes(i), skill="front_line")

    await auto_assign(sessions, redis, now=T0 + minutes(5))

    assert await holders(sessions) == {front.id: 2, nurse.id: 2, both.id: 2}


async def test_a_long_queue_of_one_skill_does_not_hide_another_skills_handoffs(
    sessions: Any, redis: Redis
) -> None:
    for i in range(12):
        await open_at(sessions, redis, T0 + minutes(i), priority="red")
    technical = await open_at(sessions, redis, T0 + minutes(30), skill="technical")
    front = await add_online_agent(sessions, redis, skills=["front_line"], capacity=1)
    engineer = await add_online_agent(sessions, redis, skills=["technical"], capacity=1)

    await auto_assign(sessions, redis, now=T0 + minutes(31))

    assert await holders(sessions) == {front.id: 1, engineer.id: 1}
    assert (await reload(sessions, technical.handoff.id)).assigned_agent_id == engineer.id


async def test_concurrent_auto_assigners_never_double_assign_nor_overfill(
    sessions: Any, redis: Redis
) -> None:
    opened = [await open_at(sessions, redis, T0 + minutes(i)) for i in range(12)]
    agents = [
        await add_online_agent(sessions, redis, skills=["front_line"], capacity=2) for _ in range(4)
    ]

    passes = await asyncio.gather(
        *(auto_assign(sessions, redis, now=T0 + minutes(20)) for _ in range(6))
    )

    assigned_ids = [handoff.id for result in passes for handoff in result]
    assert len(assigned_ids) == len(set(assigned_ids)) == 8
    # The eight longest waiting, each held by one agent, nobody over capacity.
    assert set(assigned_ids) == {o.handoff.id for o in opened[:8]}
    assert await holders(sessions) == {agent.id: 2 for agent in agents}
    assert await count_events(sessions, EventName.ASSIGNED) == 8


async def test_concurrent_claims_of_one_handoff_have_exactly_one_winner(
    sessions: Any, redis: Redis
) -> None:
    opened = await open_at(sessions, redis, T0)
    agents = [await add_agent(sessions, skills=["front_line"]) for _ in range(6)]

    results = await asyncio.gather(
        *(
            claim_handoff(sessions, redis, handoff_id=opened.handoff.id, agent_id=agent.id)
            for agent in agents
        ),
        return_exceptions=True,
    )

    winners = [result for result in results if isinstance(result, Handoff)]
    assert len(winners) == 1
    assert all(isinstance(r, HandoffTaken) for r in results if not isinstance(r, Handoff))
    assert (await reload(sessions, opened.handoff.id)).assigned_agent_id == (
        winners[0].assigned_agent_id
    )
    assert await count_events(sessions, EventName.CLAIMED) == 1


async def test_concurrent_claims_by_one_agent_stop_at_capacity(sessions: Any, redis: Redis) -> None:
    opened = [await open_at(sessions, redis, T0 + minutes(i)) for i in range(6)]
    agent = await add_agent(sessions, skills=["front_line"], capacity=2)

    results = await asyncio.gather(
        *(
            claim_handoff(sessions, redis, handoff_id=o.handoff.id, agent_id=agent.id)
            for o in opened
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(result, Handoff) for result in results) == 2
    assert sum(isinstance(result, AgentAtCapacity) for result in results) == 4
    assert await holders(sessions) == {agent.id: 2}


async def test_claim_respects_capacity(sessions: Any, redis: Redis) -> None:
    first = await open_at(sessions, redis, T0)
    second = await open_at(sessions, redis, T0 + minutes(1))
    agent = await add_agent(sessions, skills=["front_line"], capacity=1)

    await claim_handoff(sessions, redis, handoff_id=first.handoff.id, agent_id=agent.id)
    with pytest.raises(AgentAtCapacity):
        await claim_handoff(sessions, redis, handoff_id=second.handoff.id, agent_id=agent.id)
    assert (await reload(sessions, second.handoff.id)).status == HandoffStatus.WAITING

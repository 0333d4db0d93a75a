"""What each agent sees in the queue: their skills only, red → yellow → green, oldest first."""

from typing import Any

import pytest
from redis.asyncio import Redis

from handoff.agents.models import Role
from handoff.queue.errors import HandoffTaken, NotAllowed
from handoff.queue.routing import queue_counts, queue_for_agent
from handoff.queue.service import claim_handoff
from tests.services.handoff.queue_fixtures import T0, add_agent, minutes, open_at


async def test_red_then_yellow_then_green_then_longest_waiting(sessions: Any, redis: Redis) -> None:
    green_old = await open_at(sessions, redis, T0, priority="green")
    yellow_old = await open_at(sessions, redis, T0 + minutes(1), priority="yellow")
    red_new = await open_at(sessions, redis, T0 + minutes(5), priority="red")
    yellow_new = await open_at(sessions, redis, T0 + minutes(2), priority="yellow")
    green_new = await open_at(sessions, redis, T0 + minutes(3), priority="green")
    red_old = await open_at(sessions, redis, T0 + minutes(4), priority="red")
    agent = await add_agent(sessions, skills=["front_line"])

    queue = await queue_for_agent(sessions, redis, agent_id=agent.id)

    assert [handoff.id for handoff in queue] == [
        red_old.handoff.id,
        red_new.handoff.id,
        yellow_old.handoff.id,
        yellow_new.handoff.id,
        green_old.handoff.id,
        green_new.handoff.id,
    ]
    assert [red_old.position, red_new.position] == [1, 1]  # each was first when it came


async def test_agents_see_only_their_skills_and_supervisors_see_all(
    sessions: Any, redis: Redis
) -> None:
    front = await open_at(sessions, redis, T0, skill="front_line")
    clinical = await open_at(sessions, redis, T0 + minutes(1), skill="clinical", priority="red")
    collections = await open_at(sessions, redis, T0 + minutes(2), skill="collections")
    front_agent = await add_agent(sessions, skills=["front_line"])
    nurse = await add_agent(sessions, skills=["clinical"])
    both = await add_agent(sessions, skills=["front_line", "collections"])
    supervisor = await add_agent(sessions, skills=[], role=Role.SUPERVISOR)

    async def seen_by(agent_id: int) -> list[int]:
        return [h.id for h in await queue_for_agent(sessions, redis, agent_id=agent_id)]

    assert await seen_by(front_agent.id) == [front.handoff.id]
    assert await seen_by(nurse.id) == [clinical.handoff.id]
    assert await seen_by(both.id) == [front.handoff.id, collections.handoff.id]
    assert await seen_by(supervisor.id) == [
        clinical.handoff.id,
        front.handoff.id,
        collections.handoff.id,
    ]


async def test_an_agent_cannot_claim_outside_their_skills(sessions: Any, redis: Redis) -> None:
    clinical = await open_at(sessions, redis, T0, skill="clinical", priority="red")
    front_agent = await add_agent(sessions, skills=["front_line"])
    supervisor = await add_agent(sessions, skills=["supervisor"])

    with pytest.raises(NotAllowed):
        await claim_handoff(
            sessions, redis, handoff_id=clinical.handoff.id, agent_id=front_agent.id
        )
    claimed = await claim_handoff(
        sessions, redis, handoff_id=clinical.handoff.id, agent_id=supervisor.id
    )

    assert claimed.assigned_agent_id == supervisor.id
    assert await queue_for_agent(sessions, redis, agent_id=supervisor.id) == []


async def test_a_claimed_handoff_leaves_the_queue_and_cannot_be_claimed_again(
    sessions: Any, redis: Redis
) -> None:
    first = await open_at(sessions, redis, T0)
    second = await open_at(sessions, redis, T0 + minutes(1))
    alice = await add_agent(sessions, skills=["front_line"])
    bob = await add_agent(sessions, skills=["front_line"])

    await claim_handoff(sessions, redis, handoff_id=first.handoff.id, agent_id=alice.id)

    assert [h.id for h in await queue_for_agent(sessions, redis, agent_id=bob.id)] == [
        second.handoff.id
    ]
    with pytest.raises(HandoffTaken):
        await claim_handoff(sessions, redis, handoff_id=first.handoff.id, agent_id=bob.id)


async def test_counts_per_skill_and_priority(sessions: Any, redis: Redis) -> None:
    await open_at(sessions, redis, T0, priority="red", skill="clinical")
    await open_at(sessions, redis, T0, priority="green")
    await open_at(sessions, redis, T0, priority="green")

    assert await queue_counts(sessions) == {"clinical": {"red": 1}, "front_line": {"green": 2}}

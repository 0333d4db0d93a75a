"""Transfers, the first reply, resolution, and the timeline they leave."""

from typing import Any

import pytest
from redis.asyncio import Redis

from handoff.agents.models import Role
from handoff.queue.enums import EventName, HandoffStatus
from handoff.queue.errors import AgentAtCapacity, HandoffNotFound, HandoffTaken, NotAllowed
from handoff.queue.routing import queue_for_agent
from handoff.queue.service import (
    agent_desk,
    claim_handoff,
    open_handoff_of,
    record_agent_reply,
    resolve_handoff,
    transfer_to_agent,
    transfer_to_skill,
)
from handoff.queue.timeline import handoff_timeline
from tests.services.handoff.queue_fixtures import T0, add_agent, minutes, open_at, reload


async def test_a_handoffs_whole_life_is_on_its_timeline(sessions: Any, redis: Redis) -> None:
    opened = await open_at(sessions, redis, T0, conversation_id="c1")
    alice = await add_agent(sessions, skills=["front_line"])
    nurse = await add_agent(sessions, skills=["clinical"])
    handoff_id = opened.handoff.id

    await claim_handoff(sessions, redis, handoff_id=handoff_id, agent_id=alice.id, now=T0)
    first = await record_agent_reply(
        sessions, redis, handoff_id=handoff_id, agent_id=alice.id, now=T0 + minutes(1)
    )
    later = await record_agent_reply(
        sessions, redis, handoff_id=handoff_id, agent_id=alice.id, now=T0 + minutes(2)
    )
    await transfer_to_skill(
        sessions, redis, handoff_id=handoff_id, by_agent_id=alice.id, skill="clinical"
    )
    await claim_handoff(sessions, redis, handoff_id=handoff_id, agent_id=nurse.id)
    resolved = await resolve_handoff(
        sessions, redis, handoff_id=handoff_id, by_agent_id=nurse.id, resolution="solved"
    )

    assert (first, later) == (True, False)
    assert resolved.status == HandoffStatus.RESOLVED
    assert await open_handoff_of(sessions, conversation_id="c1") is None
    stored = await reload(sessions, handoff_id)
    assert stored.first_agent_reply_at is not None
    assert stored.first_agent_reply_at.replace(tzinfo=None) == (T0 + minutes(1)).replace(
        tzinfo=None
    )
    events = await handoff_timeline(sessions, handoff_id=handoff_id)
    assert [(event.name, event.actor_agent_id) for event in events] == [
        (EventName.OPENED, None),
        (EventName.CLAIMED, alice.id),
        (EventName.AGENT_REPLIED, alice.id),
        (EventName.TRANSFERRED, alice.id),
        (EventName.CLAIMED, nurse.id),
        (EventName.RESOLVED, nurse.id),
    ]
    assert events[3].detail == {
        "from_agent_id": alice.id,
        "from_skill": "front_line",
        "to_skill": "clinical",
    }


async def test_a_handoff_sent_to_another_skill_keeps_its_place_by_age(
    sessions: Any, redis: Redis
) -> None:
    older = await open_at(sessions, redis, T0, skill="front_line")
    clinical = await open_at(sessions, redis, T0 + minutes(5), skill="clinical")
    alice = await add_agent(sessions, skills=["front_line"])
    nurse = await add_agent(sessions, skills=["clinical"])
    await claim_handoff(sessions, redis, handoff_id=older.handoff.id, agent_id=alice.id)

    moved = await transfer_to_skill(
        sessions, redis, handoff_id=older.handoff.id, by_agent_id=alice.id, skill="clinical"
    )

    assert moved.status == HandoffStatus.WAITING and moved.assigned_agent_id is None
    assert await agent_desk(sessions, agent_id=alice.id) == []
    assert await queue_for_agent(sessions, redis, agent_id=alice.id) == []
    assert [h.id for h in await queue_for_agent(sessions, redis, agent_id=nurse.id)] == [
        older.handoff.id,
        clinical.handoff.id,
    ]


async def test_transfer_to_an_agent_checks_who_asks_and_who_receives(
    sessions: Any, redis: Redis
) -> None:
    opened = await open_at(sessions, redis, T0)
    alice = await add_agent(sessions, skills=["front_line"])
    bob = await add_agent(sessions, skills=["front_line"], capacity=1)
    carol = await add_agent(sessions, skills=["front_line"])
    nurse = await add_agent(sessions, skills=["clinical"])
    supervisor = await add_agent(sessions, skills=[], role=Role.SUPERVISOR)
    handoff_id = opened.handoff.id
    await claim_handoff(sessions, redis, handoff_id=handoff_id, agent_id=alice.id)

    with pytest.raises(NotAllowed):  # not the holder, not a supervisor
        await transfer_to_agent(
            sessions, redis, handoff_id=handoff_id, by_agent_id=carol.id, to_agent_id=carol.id
        )
    with pytest.raises(NotAllowed):  # the receiver does not work the skill
        await transfer_to_agent(
            sessions, redis, handoff_id=handoff_id, by_agent_id=alice.id, to_agent_id=nurse.id
        )
    moved = await transfer_to_agent(
        sessions, redis, handoff_id=handoff_id, by_agent_id=alice.id, to_agent_id=bob.id
    )
    assert moved.assigned_agent_id == bob.id

    other = await open_at(sessions, redis, T0 + minutes(1))
    await claim_handoff(sessions, redis, handoff_id=other.handoff.id, agent_id=carol.id)
    with pytest.raises(AgentAtCapacity):  # bob holds one, his capacity
        await transfer_to_agent(
            sessions,
            redis,
            handoff_id=other.handoff.id,
            by_agent_id=supervisor.id,
            to_agent_id=bob.id,
        )
    assert (await reload(sessions, other.handoff.id)).assigned_agent_id == carol.id


async def test_only_the_holder_or_a_supervisor_replies_or_resolves(
    sessions: Any, redis: Redis
) -> None:
    opened = await open_at(sessions, redis, T0)
    alice = await add_agent(sessions, skills=["front_line"])
    bob = await add_agent(sessions, skills=["front_line"])
    await claim_handoff(sessions, redis, handoff_id=opened.handoff.id, agent_id=alice.id)

    with pytest.raises(NotAllowed):
        await record_agent_reply(sessions, redis, handoff_id=opened.handoff.id, agent_id=bob.id)
    with pytest.raises(NotAllowed):
        await resolve_handoff(sessions, redis, handoff_id=opened.handoff.id, by_agent_id=bob.id)

    await resolve_handoff(sessions, redis, handoff_id=opened.handoff.id, by_agent_id=alice.id)
    again = await resolve_handoff(sessions, redis, handoff_id=opened.handoff.id, by_agent_id=None)
    assert again.status == HandoffStatus.RESOLVED
    with pytest.raises(HandoffTaken):
        await record_agent_reply(sessions, redis, handoff_id=opened.handoff.id, agent_id=alice.id)
    with pytest.raises(HandoffNotFound):
        await claim_handoff(sessions, redis, handoff_id=999_999, agent_id=alice.id)

"""Opening a handoff: protocol, one open handoff per conversation, position and expected wait."""

import asyncio
import re
from datetime import timedelta
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from handoff.queue.enums import EventName, HandoffStatus
from handoff.queue.models import Handoff
from handoff.queue.positions import DEFAULT_HANDLING_TIME
from handoff.queue.service import claim_handoff, resolve_handoff
from tests.services.handoff.queue_fixtures import (
    T0,
    add_online_agent,
    event_names,
    minutes,
    open_at,
    reload,
)


async def test_a_handoff_gets_the_days_next_protocol_and_its_place(
    sessions: Any, redis: Redis
) -> None:
    first = await open_at(sessions, redis, T0)
    second = await open_at(sessions, redis, T0 + minutes(1))

    assert first.created and second.created
    assert first.handoff.protocol == "000000" + "20251118" + "000001"
    assert second.handoff.protocol == "000000" + "20251118" + "000002"
    assert re.fullmatch(r"\d{20}", str(first.handoff.protocol))
    assert (first.position, second.position) == (1, 2)
    assert first.handoff.status == HandoffStatus.WAITING
    assert await event_names(sessions, first.handoff.id) == [EventName.OPENED]


async def test_the_protocol_date_is_the_operators_calendar_day(sessions: Any, redis: Redis) -> None:
    # 01:30 UTC on the 19th is still 22:30 on the 18th in São Paulo.
    late = await open_at(sessions, redis, T0.replace(day=19, hour=1, minute=30))
    next_day = await open_at(sessions, redis, T0.replace(day=19, hour=3, minute=30))

    assert str(late.handoff.protocol)[6:] == "20251118" + "000001"
    assert str(next_day.handoff.protocol)[6:] == "20251119" + "000001"


async def test_asking_again_updates_the_open_handoff_and_only_raises_its_priority(
    sessions: Any, redis: Redis
) -> None:
    first = await open_at(sessions, redis, T0, conversation_id="c1", reasons=["member_asked"])
    again = await open_at(
        sessions,
        redis,
        T0 + minutes(3),
        conversation_id="c1",
        priority="red",
        reasons=["red_urgency", "member_asked"],
    )
    calmer = await open_at(sessions, redis, T0 + minutes(4), conversation_id="c1", priority="green")

    assert not again.created and not calmer.created
    assert again.handoff.id == calmer.handoff.id == first.handoff.id
    stored = await reload(sessions, first.handoff.id)
    assert stored.priority == "red"
    assert stored.reasons == ["member_asked", "red_urgency"]
    assert stored.priority_since.replace(tzinfo=None) == (T0 + minutes(3)).replace(tzinfo=None)
    assert stored.protocol == first.handoff.protocol
    assert await event_names(sessions, first.handoff.id) == [
        EventName.OPENED,
        EventName.REQUESTED_AGAIN,
        EventName.REQUESTED_AGAIN,
    ]


async def test_after_resolution_the_conversation_can_be_handed_off_again(
    sessions: Any, redis: Redis
) -> None:
    first = await open_at(sessions, redis, T0, conversation_id="c1")
    await resolve_handoff(sessions, redis, handoff_id=first.handoff.id, by_agent_id=None, now=T0)
    second = await open_at(sessions, redis, T0 + minutes(10), conversation_id="c1")

    assert second.created
    assert second.handoff.id != first.handoff.id
    assert second.handoff.protocol != first.handoff.protocol


async def test_the_database_itself_refuses_a_second_open_handoff(
    sessions: Any, redis: Redis
) -> None:
    opened = await open_at(sessions, redis, T0, conversation_id="c1")
    duplicate = {
        "conversation_id": "c1",
        "channel": "whatsapp",
        "language": "pt",
        "priority": "green",
        "skill": "front_line",
        "reasons": [],
        "summary": {},
        "created_at": T0,
        "priority_since": T0,
        "escalation_level": 0,
    }
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            session.add(Handoff(status=HandoffStatus.ASSIGNED, **duplicate))
    # Resolved ones do not count.
    async with sessions() as session, session.begin():
        session.add(Handoff(status=HandoffStatus.RESOLVED, **duplicate))
    assert (await reload(sessions, opened.handoff.id)).status == HandoffStatus.WAITING


async def test_concurrent_requests_for_one_conversation_open_one_handoff(
    sessions: Any, redis: Redis
) -> None:
    results = await asyncio.gather(
        *(
            open_at(sessions, redis, T0, conversation_id="c1", priority=priority)
            for priority in ["green", "yellow", "green", "red", "green", "yellow"]
        )
    )

    assert len({result.handoff.id for result in results}) == 1
    assert sum(result.created for result in results) == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Handoff)) == 1
    stored = await reload(sessions, results[0].handoff.id)
    assert stored.priority == "red"
    assert stored.protocol is not None and stored.protocol.endswith("000001")
    names = await event_names(sessions, stored.id)
    assert names.count(EventName.OPENED) == 1
    assert names.count(EventName.REQUESTED_AGAIN) == 5


async def test_unknown_priority_skill_or_language_is_refused(sessions: Any, redis: Redis) -> None:
    with pytest.raises(ValueError):
        await open_at(sessions, redis, T0, skill="astrology")
    with pytest.raises(ValueError):
        await open_at(sessions, redis, T0, priority="purple")
    with pytest.raises(ValueError):
        await open_at(sessions, redis, T0, language="fr")


async def test_no_wait_estimate_while_nobody_with_the_skill_is_online(
    sessions: Any, redis: Redis
) -> None:
    await add_online_agent(sessions, redis, skills=["clinical"])

    opened = await open_at(sessions, redis, T0, skill="front_line")

    assert opened.position == 1
    assert opened.expected_wait is None


async def test_wait_estimate_counts_free_places_then_the_default_handling_time(
    sessions: Any, redis: Redis
) -> None:
    await add_online_agent(sessions, redis, skills=["front_line"], capacity=1)
    await add_online_agent(sessions, redis, skills=["front_line"], capacity=1)

    waits = [(await open_at(sessions, redis, T0 + minutes(i))).expected_wait for i in range(4)]

    # Two free places: the first two are next; then one handling time per two places.
    assert waits == [
        timedelta(0),
        timedelta(0),
        DEFAULT_HANDLING_TIME / 2,
        DEFAULT_HANDLING_TIME,
    ]


async def test_wait_estimate_learns_the_recent_handling_time(sessions: Any, redis: Redis) -> None:
    agent = await add_online_agent(sessions, redis, skills=["technical"], capacity=1)
    past = await open_at(sessions, redis, T0 - timedelta(hours=2), skill="technical")
    await claim_handoff(
        sessions, redis, handoff_id=past.handoff.id, agent_id=agent.id, now=T0 - timedelta(hours=2)
    )
    await resolve_handoff(
        sessions,
        redis,
        handoff_id=past.handoff.id,
        by_agent_id=agent.id,
        now=T0 - timedelta(hours=2) + minutes(30),
    )

    first = await open_at(sessions, redis, T0, skill="technical")
    second = await open_at(sessions, redis, T0 + minutes(1), skill="technical")

    assert first.expected_wait == timedelta(0)
    assert second.expected_wait == minutes(30)

"""The SLA evaluator: each breach recorded once, however often and however many evaluate."""

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from handoff.queue.enums import EventName
from handoff.queue.service import claim_handoff, record_agent_reply, resolve_handoff
from handoff.sla.evaluator import evaluate_sla
from handoff.sla.models import SlaBreach
from tests.services.handoff.queue_fixtures import (
    HOURS,
    POLICY,
    T0,
    add_agent,
    count_events,
    event_names,
    minutes,
    open_at,
    published,
    reload,
)

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


async def evaluate(sessions: Any, redis: Redis, at: datetime) -> list[tuple[int, str]]:
    breaches = await evaluate_sla(sessions, redis, policy=POLICY, hours=HOURS, now=at)
    return [(breach.handoff_id, breach.stage) for breach in breaches]


async def breach_rows(sessions: Any) -> list[tuple[int, str, int]]:
    async with sessions() as session:
        rows = await session.execute(
            select(SlaBreach.handoff_id, SlaBreach.stage, SlaBreach.level).order_by(SlaBreach.id)
        )
        return [(handoff_id, stage, level) for handoff_id, stage, level in rows]


async def test_red_breaches_at_five_minutes_once_then_climbs_the_ladder(
    sessions: Any, redis: Redis
) -> None:
    red = (await open_at(sessions, redis, T0, priority="red", skill="clinical")).handoff

    assert await evaluate(sessions, redis, T0 + minutes(4.9)) == []
    assert await evaluate(sessions, redis, T0 + minutes(5)) == [(red.id, "red.first_response")]
    assert await evaluate(sessions, redis, T0 + minutes(6)) == []
    assert await evaluate(sessions, redis, T0 + minutes(15)) == [(red.id, "red.manager")]
    assert await evaluate(sessions, redis, T0 + minutes(60)) == []

    assert await breach_rows(sessions) == [
        (red.id, "red.first_response", 1),
        (red.id, "red.manager", 2),
    ]
    assert (await reload(sessions, red.id)).escalation_level == 2
    assert await event_names(sessions, red.id) == [
        EventName.OPENED,
        EventName.SLA_BREACHED,
        EventName.ESCALATED,
        EventName.SLA_BREACHED,
        EventName.ESCALATED,
    ]


async def test_concurrent_evaluators_record_each_breach_once(sessions: Any, redis: Redis) -> None:
    opened = [
        (await open_at(sessions, redis, T0, priority="red", skill="clinical")).handoff
        for _ in range(5)
    ]

    async with published(redis) as messages:
        results = await asyncio.gather(
            *(evaluate(sessions, redis, T0 + minutes(20)) for _ in range(4))
        )

    recorded = sorted(breach for result in results for breach in result)
    expected = sorted(
        (handoff.id, stage) for handoff in opened for stage in ("red.first_response", "red.manager")
    )
    assert recorded == expected
    assert sorted((h, s) for h, s, _ in await breach_rows(sessions)) == expected
    assert await count_events(sessions, EventName.SLA_BREACHED) == 10
    alerts = [m for m in messages if m["event"] == EventName.SLA_BREACHED]
    assert len(alerts) == 10
    assert {alert["detail"]["notify"] for alert in alerts} == {"supervisors", "managers"}
    assert await evaluate(sessions, redis, T0 + minutes(21)) == []


async def test_an_answered_handoff_does_not_breach_first_response_but_can_breach_resolution(
    sessions: Any, redis: Redis
) -> None:
    handoff = (await open_at(sessions, redis, T0, priority="yellow")).handoff
    agent = await add_agent(sessions, skills=["front_line"])
    await claim_handoff(sessions, redis, handoff_id=handoff.id, agent_id=agent.id, now=T0)
    await record_agent_reply(
        sessions, redis, handoff_id=handoff.id, agent_id=agent.id, now=T0 + minutes(10)
    )

    # T0 is 10:00 on a Tuesday; 240 business minutes later is 14:00 the same day.
    assert await evaluate(sessions, redis, T0 + minutes(239)) == []
    assert await evaluate(sessions, redis, T0 + minutes(240)) == [(handoff.id, "yellow.manager")]
    # The manager rung is level 3 even though levels 1 and 2 never happened.
    assert (await reload(sessions, handoff.id)).escalation_level == 3


async def test_resolved_handoffs_never_breach(sessions: Any, redis: Redis) -> None:
    handoff = (await open_at(sessions, redis, T0, priority="red", skill="clinical")).handoff
    await resolve_handoff(sessions, redis, handoff_id=handoff.id, by_agent_id=None, now=T0)

    assert await evaluate(sessions, redis, T0 + timedelta(days=3)) == []


async def test_business_hours_clocks_stop_when_people_are_off(sessions: Any, redis: Redis) -> None:
    # Friday 14 November, 19:00 in São Paulo; Saturday the 15th is a national holiday.
    friday_evening = datetime(2025, 11, 14, 19, 0, tzinfo=SAO_PAULO)
    green = (await open_at(sessions, redis, friday_evening, priority="green")).handoff
    red = (await open_at(sessions, redis, friday_evening, priority="red", skill="clinical")).handoff

    saturday = datetime(2025, 11, 15, 12, 0, tzinfo=SAO_PAULO)
    assert await evaluate(sessions, redis, saturday) == [
        (red.id, "red.first_response"),
        (red.id, "red.manager"),
    ]
    # One business hour on Friday, then three on Monday morning.
    assert await evaluate(sessions, redis, datetime(2025, 11, 17, 10, 59, tzinfo=SAO_PAULO)) == []
    assert await evaluate(sessions, redis, datetime(2025, 11, 17, 11, 0, tzinfo=SAO_PAULO)) == [
        (green.id, "green.first_response")
    ]


async def test_a_raised_priority_runs_its_own_ladder_from_the_raise(
    sessions: Any, redis: Redis
) -> None:
    first = await open_at(sessions, redis, T0, conversation_id="c1", priority="green")
    await open_at(sessions, redis, T0 + minutes(30), conversation_id="c1", priority="red")

    assert await evaluate(sessions, redis, T0 + minutes(34)) == []
    assert await evaluate(sessions, redis, T0 + minutes(35)) == [
        (first.handoff.id, "red.first_response")
    ]


async def test_repeated_concurrent_evaluations_never_record_a_stage_twice(
    sessions: Any, redis: Redis
) -> None:
    red = (await open_at(sessions, redis, T0, priority="red", skill="clinical")).handoff
    for _ in range(3):
        await asyncio.gather(*(evaluate(sessions, redis, T0 + minutes(6)) for _ in range(3)))

    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(SlaBreach))
    assert count == 1
    assert (await event_names(sessions, red.id)).count(EventName.SLA_BREACHED) == 1
    # The database holds the line by itself too.
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            session.add(
                SlaBreach(
                    handoff_id=red.id,
                    stage="red.first_response",
                    level=1,
                    notify="supervisors",
                    due_at=T0,
                    recorded_at=T0,
                )
            )

"""The periodic pass: started with the service, it finds SLA breaches and alerts the consoles,
assigns waiting handoffs, and keeps trying to tell the gateway about resolutions."""

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from handoff.agents.models import Role
from handoff.background import run_pass
from handoff.handback.models import Handback
from handoff.queue.enums import PresenceStatus
from handoff.queue.presence import set_presence
from handoff.runtime import HandoffRuntime
from tests.services.handoff.auth_helpers import FakeClock
from tests.services.handoff.queue_fixtures import event_names
from tests.services.handoff.service_helpers import api_client, open_body

pytest_plugins = ["tests.services.handoff.service_fixtures"]


async def test_the_running_service_alerts_the_consoles_of_a_breach(
    start_service: Any, login: Any, clock: FakeClock, sessions: Any
) -> None:
    async with start_service(handoff_background_interval_seconds=0.05) as app:
        supervisor = await login(role=Role.SUPERVISOR, skills=())
        collections = await login(skills=("collections",))
        async with api_client(app) as api:
            opened = await api.post(
                "/api/handoffs", json=open_body(priority="red", skill="clinical")
            )
        handoff_id = opened.json()["id"]
        async with supervisor.socket(app) as overseer, collections.socket(app) as other:
            clock.advance(minutes=6)  # red: an agent's first reply was due in 5
            alert = await overseer.until("sla.breached", timeout=5)
            unrelated = await other.everything(within=0.3)

    assert alert == {"event": "sla.breached", "handoff_id": handoff_id, "notify": "supervisors"}
    assert unrelated == []
    names = await event_names(sessions, handoff_id)
    assert names.count("handoff.sla_breached") == 1  # recorded once, however many passes ran


async def test_a_pass_assigns_what_waits_and_retries_the_gateway(
    service: FastAPI,
    api: httpx.AsyncClient,
    login: Any,
    sessions: Any,
    redis: Redis,
    clock: FakeClock,
) -> None:
    runtime: HandoffRuntime = service.state.runtime
    agent = await login(skills=("front_line",))
    first = (await api.post("/api/handoffs", json=open_body(conversation_id="a"))).json()["id"]
    await agent.post(f"/console/api/handoffs/{first}/claim")
    await agent.post(f"/console/api/handoffs/{first}/resolve")  # the gateway is down
    second = (await api.post("/api/handoffs", json=open_body(conversation_id="b"))).json()["id"]
    # On line behind the console's back: only the periodic pass can notice.
    await set_presence(
        sessions, redis, agent_id=agent.agent.id, status=PresenceStatus.ONLINE, now=clock()
    )

    clock.advance(seconds=10)  # past the first retry's delay
    report = await run_pass(runtime)

    assert report.failed_steps == []
    assert report.assigned == 1
    assert report.handed_back == 0  # still down: tried again, kept for later
    async with sessions() as session:
        handback = await session.get(Handback, first)
    assert handback is not None
    assert (handback.attempts, handback.done_at) == (2, None)
    assert handback.last_error == "GatewayUnavailable"
    assert (await agent.get(f"/console/api/handoffs/{second}")).json()["status"] == "assigned"


async def test_the_pass_stops_with_the_service(start_service: Any) -> None:
    async with start_service(handoff_background_interval_seconds=0.01):
        await asyncio.sleep(0.05)
        tasks = [t for t in asyncio.all_tasks() if t.get_name() == "handoff-background"]
        assert len(tasks) == 1
        assert not tasks[0].done()  # still going after several passes
    assert tasks[0].cancelled()

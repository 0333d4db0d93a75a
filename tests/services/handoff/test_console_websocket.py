"""The consoles' websocket: who may open one, and each agent hearing only about handoffs they may
see, through Redis (the fan-out every copy of the service shares)."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from handoff.agents.models import Role
from tests.services.handoff.auth_helpers import COOKIE, ORIGIN
from tests.services.handoff.service_helpers import AsgiWebSocket, SocketRefused, open_body

pytest_plugins = ["tests.services.handoff.service_fixtures"]


async def open_one(api: httpx.AsyncClient, **changes: Any) -> int:
    response = await api.post("/api/handoffs", json=open_body(**changes))
    assert response.status_code in (200, 201), response.text
    handoff_id: int = response.json()["id"]
    return handoff_id


async def test_the_socket_needs_a_full_session_from_the_consoles_origin(
    service: FastAPI, login: Any
) -> None:
    agent = await login()
    token = agent.http.cookies[COOKIE]

    for headers in (
        {"origin": ORIGIN},  # no session
        {"origin": "https://evil.example", "cookie": f"{COOKIE}={token}"},
        {"origin": ORIGIN, "cookie": f"{COOKIE}=forged"},
    ):
        with pytest.raises(SocketRefused) as refused:
            async with AsgiWebSocket(service, path="/console/ws", headers=headers):
                pass
        assert refused.value.code == 1008
    async with agent.socket(service):
        pass


async def test_an_agent_hears_of_handoffs_in_their_skills_and_of_no_others(
    service: FastAPI, api: httpx.AsyncClient, login: Any
) -> None:
    front_line = await login(skills=("front_line",))
    technical = await login(skills=("technical",))
    supervisor = await login(role=Role.SUPERVISOR, skills=())

    async with (
        front_line.socket(service) as mine,
        technical.socket(service) as theirs,
        supervisor.socket(service) as overseer,
    ):
        handoff_id = await open_one(api)
        heard, overheard, overseen = await asyncio.gather(
            mine.everything(), theirs.everything(), overseer.everything()
        )

    assert heard == [
        {"event": "queue.changed"},
        {"event": "handoff.updated", "handoff_id": handoff_id},
    ]
    assert overheard == []
    assert overseen == heard


async def test_a_member_message_reaches_the_agent_holding_the_handoff(
    service: FastAPI, api: httpx.AsyncClient, login: Any
) -> None:
    handoff_id = await open_one(api)
    holder = await login(skills=("front_line",))
    colleague = await login(skills=("front_line",))
    elsewhere = await login(skills=("collections",))
    await holder.post(f"/console/api/handoffs/{handoff_id}/claim")
    message = {"message_id": 7, "text": "alô?", "at": "2025-03-10T12:05:00+00:00"}

    async with (
        holder.socket(service) as own,
        colleague.socket(service) as other,
        elsewhere.socket(service) as far,
    ):
        await api.post(f"/api/handoffs/{handoff_id}/member-messages", json=message)
        heard, for_colleague, for_far = await asyncio.gather(
            own.until("member.message"), other.everything(), far.everything()
        )

    assert heard == {"event": "member.message", "handoff_id": handoff_id}
    # A colleague with the skill may open the handoff, so hears of it too; another skill does not.
    assert for_colleague == [{"event": "member.message", "handoff_id": handoff_id}]
    assert for_far == []


async def test_the_socket_closes_when_the_session_ends(start_service: Any, login: Any) -> None:
    async with start_service(handoff_ws_session_check_seconds=0.05) as app:
        agent = await login(skills=("front_line",))
        async with agent.socket(app) as socket:
            await agent.post("/console/api/logout")
            with pytest.raises(SocketRefused):
                await asyncio.wait_for(socket.everything(within=1.0), 2)
        assert socket.close_code == 1008


async def test_events_reach_sockets_held_by_another_copy_of_the_service(
    start_service: Any, api: httpx.AsyncClient, login: Any
) -> None:
    agent = await login(skills=("front_line",))

    async with start_service() as other_copy, agent.socket(other_copy) as socket:
        handoff_id = await open_one(api)  # through the first copy
        heard = await socket.until("handoff.updated")

    assert heard == {"event": "handoff.updated", "handoff_id": handoff_id}

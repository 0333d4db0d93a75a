"""CSRF checks on state-changing requests, role checks, skills and the websocket handshake."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, WebSocket, WebSocketException

from handoff.agents.models import Agent, Role
from handoff.console.auth.dependencies import can_work_skill, websocket_agent
from handoff.console.auth.runtime import auth_services
from tests.services.handoff.auth_helpers import (
    COOKIE,
    ORIGIN,
    FakeClock,
    log_in,
    password_step,
    post,
)

pytest_plugins = ["tests.services.handoff.auth_fixtures"]

NOTES = "/console/api/test/notes"


async def test_a_state_changing_request_needs_the_session_csrf_token(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    csrf = await log_in(client, agent, clock)

    missing = await post(client, NOTES, csrf=None)
    assert missing.status_code == 403
    assert missing.json()["detail"] == {
        "reason": "csrf_failed",
        "message": "the X-CSRF-Token header is missing",
    }
    wrong = await post(client, NOTES, csrf="0" * 64)
    assert wrong.status_code == 403
    assert "does not match" in wrong.json()["detail"]["message"]
    assert (await post(client, NOTES, csrf=csrf)).status_code == 200
    # Reading needs no token.
    assert (await client.get("/console/api/test/whoami")).status_code == 200


async def test_another_sessions_csrf_token_does_not_fit(
    new_client: Callable[..., httpx.AsyncClient], make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    async with new_client() as mine, new_client() as theirs:
        await log_in(mine, agent, clock)
        clock.advance(seconds=30)
        their_csrf = await log_in(theirs, agent, clock)
        assert (await post(mine, NOTES, csrf=their_csrf)).status_code == 403


async def test_a_request_from_another_origin_is_refused(
    new_client: Callable[..., httpx.AsyncClient], make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    async with new_client() as browser:
        csrf = await log_in(browser, agent, clock)
        forged = await browser.post(
            NOTES, headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
        )
        assert forged.status_code == 403
        assert "another origin" in forged.json()["detail"]["message"]

        del browser.headers["Origin"]
        nameless = await browser.post(NOTES, headers={"X-CSRF-Token": csrf})
        assert nameless.status_code == 403
        assert "no Origin or Referer" in nameless.json()["detail"]["message"]
        # Without Origin, the Referer stands in for it.
        foreign_referer = await browser.post(
            NOTES, headers={"X-CSRF-Token": csrf, "Referer": "https://evil.example/console"}
        )
        assert foreign_referer.status_code == 403
        own_referer = await browser.post(
            NOTES, headers={"X-CSRF-Token": csrf, "Referer": f"{ORIGIN}/console/queue"}
        )
        assert own_referer.status_code == 200


async def test_logout_and_login_are_protected_too(
    new_client: Callable[..., httpx.AsyncClient], make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    async with new_client() as browser:
        await log_in(browser, agent, clock)
        assert (await post(browser, "/console/api/logout", csrf=None)).status_code == 403
        assert (await browser.get("/console/api/test/whoami")).status_code == 200

    async with new_client(origin="https://evil.example") as elsewhere:
        login = await elsewhere.post(
            "/console/api/login", json={"login": agent.login, "password": agent.password}
        )
        assert login.status_code == 403
        assert login.json()["detail"]["reason"] == "forbidden_origin"
        assert COOKIE not in elsewhere.cookies


async def test_the_totp_step_needs_the_csrf_token_of_the_password_step(
    client: httpx.AsyncClient, make_agent: Any
) -> None:
    agent = await make_agent(enrolled=True)
    await password_step(client, agent)
    assert (
        await post(client, "/console/api/totp", {"code": "123456"}, csrf=None)
    ).status_code == 403


@pytest.mark.parametrize(
    ("role", "supervision", "agents_admin"),
    [(Role.AGENT, 403, 403), (Role.SUPERVISOR, 200, 403), (Role.ADMIN, 200, 200)],
)
async def test_routes_check_the_agents_role(
    client: httpx.AsyncClient,
    make_agent: Any,
    clock: FakeClock,
    role: Role,
    supervision: int,
    agents_admin: int,
) -> None:
    agent = await make_agent(enrolled=True, role=role)
    await log_in(client, agent, clock)
    supervised = await client.get("/console/api/test/supervision")
    assert supervised.status_code == supervision
    if supervision == 403:
        assert supervised.json()["detail"]["reason"] == "role_required"
    assert (await client.get("/console/api/test/agents")).status_code == agents_admin


def test_agents_work_their_skills_and_supervisors_every_skill() -> None:
    agent = Agent(role=Role.AGENT, skills=["front_line", "clinical"], active=True)
    supervisor = Agent(role=Role.SUPERVISOR, skills=[], active=True)
    admin = Agent(role=Role.ADMIN, skills=[], active=True)
    assert can_work_skill(agent, "clinical")
    assert not can_work_skill(agent, "collections")
    assert can_work_skill(supervisor, "collections")
    assert can_work_skill(admin, "technical")
    assert not can_work_skill(Agent(role=Role.SUPERVISOR, skills=[], active=False), "technical")


def _handshake(app: FastAPI, *, origin: str, cookie: str | None) -> WebSocket:
    headers = [(b"origin", origin.encode())]
    if cookie:
        headers.append((b"cookie", f"{COOKIE}={cookie}".encode()))
    scope = {"type": "websocket", "path": "/console/ws", "headers": headers, "app": app}

    async def never() -> Any:
        raise AssertionError("the dependency must not read from the socket")

    return WebSocket(scope, receive=never, send=never)


async def test_the_console_websocket_needs_a_full_session_and_the_console_origin(
    client: httpx.AsyncClient, auth_app: FastAPI, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    await log_in(client, agent, clock)
    token = client.cookies[COOKIE]

    socket = _handshake(auth_app, origin=ORIGIN, cookie=token)
    assert (await websocket_agent(socket, auth_services(socket))).id == agent.id

    for origin, cookie in (("https://evil.example", token), (ORIGIN, None), (ORIGIN, "forged")):
        refused = _handshake(auth_app, origin=origin, cookie=cookie)
        with pytest.raises(WebSocketException):
            await websocket_agent(refused, auth_services(refused))

"""Fixtures for the tests of the whole handoff service: the real app (create_app) started with its
lifespan on the test database and Redis, the internal API's client, logged-in agents' browsers,
and the real gateway when a test needs it.

Test modules load them (and the console security's, auth_fixtures.py, which they build on) with
`pytest_plugins = ["tests.services.handoff.service_fixtures"]`.
By default the gateway is down (its URL is a closed port); a module that needs the real one
overrides `service_gateway_url` with `gateway_url`.
"""

import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

import channels.models  # noqa: F401  (the gateway's tables, made fresh with the handoff's)
from handoff.agents.models import Role
from handoff.console.auth.settings import ConsoleAuthSettings
from handoff.main import create_app
from handoff.settings import HandoffSettings
from tests.services.channels.conftest import lifespan_of
from tests.services.handoff.auth_helpers import FakeClock
from tests.services.handoff.service_helpers import (
    API_TOKEN,
    GATEWAY_TOKEN,
    REDIS_URL,
    Browser,
    api_client,
    browser_for,
    gateway_settings,
    real_gateway,
)

pytest_plugins = ["tests.services.handoff.auth_fixtures"]

StartService = Callable[..., Any]


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port that refuses connections: the gateway is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def handoff_settings(database_url: str, closed_port: int) -> HandoffSettings:
    return HandoffSettings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        redis_url=REDIS_URL,
        handoff_api_token=API_TOKEN,
        gateway_api_token=GATEWAY_TOKEN,
        gateway_url=f"http://127.0.0.1:{closed_port}",
        gateway_timeout_seconds=2,
        # The periodic pass only where a test asks for it.
        handoff_background_interval_seconds=3600,
    )


@pytest.fixture
def start_service(
    handoff_settings: HandoffSettings,
    auth_settings: ConsoleAuthSettings,
    clock: FakeClock,
    engine: AsyncEngine,
    redis: Redis,
) -> StartService:
    """`async with start_service(**setting_changes) as app:` the service, running."""

    @asynccontextmanager
    async def start(**changes: Any) -> AsyncIterator[FastAPI]:
        settings = handoff_settings.model_copy(update=changes)
        app = create_app(settings, auth_settings=auth_settings, clock=clock)
        async with lifespan_of(app):
            yield app

    return start


@pytest.fixture
def service_gateway_url(closed_port: int) -> str:
    """Where the service finds the gateway: nowhere (down). A module that needs the real gateway
    overrides this fixture with `gateway_url`."""
    return f"http://127.0.0.1:{closed_port}"


@pytest.fixture
async def service(start_service: StartService, service_gateway_url: str) -> AsyncIterator[FastAPI]:
    async with start_service(gateway_url=service_gateway_url) as app:
        yield app


@pytest.fixture
async def api(service: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway's side: the internal API with the bearer token."""
    async with api_client(service) as http:
        yield http


Login = Callable[..., Awaitable[Browser]]


@pytest.fixture
async def login(service: FastAPI, make_agent: Any, clock: FakeClock) -> AsyncIterator[Login]:
    """`await login(skills=(...), role=...)`: a new enrolled agent, logged in with both factors."""
    browsers: list[Browser] = []

    async def log_in_new_agent(
        *, skills: tuple[str, ...] = ("front_line",), role: str = Role.AGENT
    ) -> Browser:
        agent = await make_agent(enrolled=True, skills=skills, role=role)
        browser = await browser_for(service, agent, clock)
        browsers.append(browser)
        return browser

    yield log_in_new_agent
    for browser in browsers:
        await browser.http.aclose()


@pytest.fixture
async def gateway_url(database_url: str, closed_port: int) -> AsyncIterator[str]:
    """The real gateway (channels.main) under uvicorn, on the same database and Redis."""
    settings = gateway_settings(database_url, REDIS_URL, closed_port)
    async with real_gateway(settings) as url:
        yield url

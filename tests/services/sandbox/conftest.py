"""Fixtures for the insurer sandbox: the real app (create_app) started with its lifespan, which
loads the demo data, on SQLite and on PostgreSQL, with a clock the tests set.

The clock stands on Wednesday 2026-11-18, noon in São Paulo: Friday 2026-11-20 is a national
holiday in Brazil (Zumbi and Black Awareness Day), so promised dates show it being skipped.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from common.db import Base, create_engine
from sandbox.main import create_app
from sandbox.models import SANDBOX_TABLES
from sandbox.settings import SandboxSettings
from sandbox.sql import Sessions
from tests.databases import fresh_postgres_database
from tests.services.channels.conftest import lifespan_of

POSTGRES_TEST_DB = "acolhe_sandbox_test"
API_KEY = "test-sandbox-api-key-0123456789abcdef"
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # 12:00 in São Paulo


class Clock:
    """The sandbox's time, moved by tests."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return fresh_postgres_database(POSTGRES_TEST_DB)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/sandbox.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def empty_database(database_url: str) -> str:
    """No sandbox tables left from an earlier test (the SQLite file is new anyway)."""
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all, tables=list(SANDBOX_TABLES))
    await engine.dispose()
    return database_url


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def sandbox_settings(database_url: str, **changes: Any) -> SandboxSettings:
    values: dict[str, Any] = {"database_url": database_url, "sandbox_api_key": API_KEY}
    return SandboxSettings(_env_file=None, **(values | changes))  # type: ignore[call-arg]


StartSandbox = Callable[..., AbstractAsyncContextManager[FastAPI]]


@pytest.fixture
def start_sandbox(empty_database: str, clock: Clock) -> StartSandbox:
    """`async with start_sandbox(**setting_changes) as app:` the sandbox, running."""

    @asynccontextmanager
    async def start(**changes: Any) -> AsyncIterator[FastAPI]:
        app = create_app(sandbox_settings(empty_database, **changes), clock=clock)
        async with lifespan_of(app):
            yield app

    return start


@pytest.fixture
async def sandbox(start_sandbox: StartSandbox) -> AsyncIterator[FastAPI]:
    async with start_sandbox() as app:
        yield app


def client_for(app: FastAPI, headers: dict[str, Any] | None = None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://sandbox.test", headers=headers)


@pytest.fixture
async def api(sandbox: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The action server's side: every request with the API key."""
    async with client_for(sandbox, {"X-API-Key": API_KEY}) as http:
        yield http


@pytest.fixture
def sessions(sandbox: FastAPI) -> Sessions:
    """The running sandbox's database, for tests that set a scene the API cannot."""
    sessions: Sessions = sandbox.state.runtime.sessions
    return sessions

"""Fixtures for the handoff service: a real database (SQLite and PostgreSQL) and real Redis.

Every test gets empty tables and an empty Redis database of its own (db 14; the gateway's tests
use 15, the end-to-end tests 1).
"""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

import handoff.models  # noqa: F401  (registers every handoff table)
from common.db import Base, create_engine, session_factory
from common.settings import ServiceSettings
from tests.databases import fresh_postgres_database

REDIS_URL = "redis://localhost:6379/14"
POSTGRES_TEST_DB = "acolhe_handoff_test"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return fresh_postgres_database(POSTGRES_TEST_DB)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/handoff.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on freshly made handoff tables."""
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> Any:
    return session_factory(engine)


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture
def service_settings(database_url: str) -> ServiceSettings:
    return ServiceSettings(_env_file=None, database_url=database_url, redis_url=REDIS_URL)

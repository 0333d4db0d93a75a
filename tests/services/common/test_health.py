"""`/health` tells an operator which dependency is down, on the real SQLite/PostgreSQL and Redis."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from common.db import create_engine
from common.health import database_check, health_router, redis_check
from tests.databases import fresh_postgres_database

REDIS_URL = "redis://localhost:6379/0"
CLOSED_PORT_REDIS_URL = "redis://localhost:1/0"


def service_app(service: str, database_url: str, redis_url: str) -> FastAPI:
    """A service's /health as every service mounts it."""
    engine = create_engine(database_url)
    redis = Redis.from_url(redis_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await redis.aclose()
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    checks = {"database": database_check(engine), "redis": redis_check(redis)}
    app.include_router(health_router(service, checks))
    return app


async def get_health(app: FastAPI) -> httpx.Response:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            return await client.get("/health")


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/service.db"
    else:
        yield fresh_postgres_database("acolhe_test_health")


async def test_healthy_when_database_and_redis_answer(database_url: str) -> None:
    response = await get_health(service_app("handoff", database_url, REDIS_URL))
    assert response.status_code == 200
    assert response.json() == {
        "service": "handoff",
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


async def test_unavailable_and_names_redis_when_redis_is_down(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path}/service.db"
    response = await get_health(service_app("sandbox", database_url, CLOSED_PORT_REDIS_URL))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")

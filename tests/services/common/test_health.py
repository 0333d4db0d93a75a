"""`/health` tells an operator which dependency is down, on the real SQLite/PostgreSQL and Redis."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from common.app import create_service_app
from common.settings import ServiceSettings
from tests.databases import fresh_postgres_database

REDIS_URL = "redis://localhost:6379/0"
CLOSED_PORT_REDIS_URL = "redis://localhost:1/0"


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
    settings = ServiceSettings(database_url=database_url, redis_url=REDIS_URL)
    response = await get_health(create_service_app(service="handoff", title="t", settings=settings))
    assert response.status_code == 200
    assert response.json() == {
        "service": "handoff",
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


async def test_unavailable_and_names_redis_when_redis_is_down(tmp_path: Path) -> None:
    settings = ServiceSettings(
        database_url=f"sqlite:///{tmp_path}/service.db", redis_url=CLOSED_PORT_REDIS_URL
    )
    response = await get_health(create_service_app(service="sandbox", title="t", settings=settings))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")

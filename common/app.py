"""The frame every FastAPI service starts from: JSON logs, SQL engine, Redis client, `/health`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from redis.asyncio import Redis

from common.db import create_engine, create_tables, session_factory
from common.health import database_check, health_router, redis_check
from common.logging import configure_logging
from common.settings import ServiceSettings


def create_service_app(*, service: str, title: str, settings: ServiceSettings) -> FastAPI:
    """Build an app whose state holds `engine`, `sessions` and `redis` while it runs."""
    configure_logging(service, settings.log_level)
    engine = create_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await create_tables(engine)
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.redis = redis
        yield
        await redis.aclose()
        await engine.dispose()

    app = FastAPI(title=title, lifespan=lifespan)
    app.include_router(
        health_router(service, {"database": database_check(engine), "redis": redis_check(redis)})
    )
    return app

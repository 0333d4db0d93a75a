"""`GET /health` for every service: 200 when each dependency answers, else 503 naming it."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

Check = Callable[[], Awaitable[None]]


def database_check(engine: AsyncEngine) -> Check:
    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


def redis_check(redis: Redis) -> Check:
    async def check() -> None:
        await redis.ping()

    return check


def health_router(service: str, checks: dict[str, Check]) -> APIRouter:
    router = APIRouter()

    @router.get("/health", tags=["health"])
    async def health() -> JSONResponse:
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                await check()
                results[name] = "ok"
            except Exception as error:  # any failure means "not healthy"; say which and why
                results[name] = f"error: {type(error).__name__}"
        healthy = all(result == "ok" for result in results.values())
        return JSONResponse(
            {"service": service, "status": "ok" if healthy else "unavailable", "checks": results},
            status_code=200 if healthy else 503,
        )

    return router

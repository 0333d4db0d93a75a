"""The gateway app: FastAPI for HTTP channels and pages, wrapped by socket.io for the web chat.

Run with `uvicorn channels.main:app`.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import socketio
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis

from channels import rest
from channels.rasa_client import RasaClient
from channels.runtime import Runtime, RuntimeHolder
from channels.settings import GatewaySettings
from channels.validation import validation_error_handler
from channels.webchat import page
from channels.webchat.socket_server import create_socket_server
from common.db import create_engine, create_tables, session_factory
from common.health import database_check, health_router, redis_check
from common.logging import configure_logging

SERVICE = "gateway"

logger = logging.getLogger(__name__)


def create_app(settings: GatewaySettings | None = None) -> socketio.ASGIApp:
    """Build the whole gateway; the returned app's `other_asgi_app` is its FastAPI part."""
    settings = settings or GatewaySettings()
    holder = RuntimeHolder()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(SERVICE, settings.log_level)
        engine = create_engine(settings.database_url)
        redis = Redis.from_url(settings.redis_url)
        http = httpx.AsyncClient()
        try:
            await create_tables(engine)
            holder.set(
                Runtime(
                    settings=settings,
                    engine=engine,
                    sessions=session_factory(engine),
                    redis=redis,
                    rasa=RasaClient(
                        http=http,
                        base_url=settings.rasa_url,
                        timeout_seconds=settings.rasa_timeout_seconds,
                    ),
                )
            )
            if not page.BUNDLE.exists():
                logger.warning(
                    "web chat bundle missing; the page will not load the widget",
                    extra={"build_command": page.BUILD_COMMAND},
                )
            logger.info("gateway started")
            yield
        finally:
            holder.set(None)
            await http.aclose()
            await redis.aclose()
            await engine.dispose()

    async def check_database() -> None:
        await database_check(holder.get().engine)()

    async def check_redis() -> None:
        await redis_check(holder.get().redis)()

    api = FastAPI(title="Acolhe gateway", lifespan=lifespan, max_body_size=settings.max_body_bytes)
    api.state.runtime = holder
    api.add_exception_handler(RequestValidationError, validation_error_handler)
    # Gateway health is its own stores only: Rasa being down must not take the gateway out of
    # a load balancer, since it still keeps every message.
    api.include_router(health_router(SERVICE, {"database": check_database, "redis": check_redis}))
    api.include_router(rest.router)
    api.include_router(page.router)
    api.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")

    sio = create_socket_server(settings=settings, runtime=holder)
    return socketio.ASGIApp(sio, other_asgi_app=api, socketio_path="socket.io")


app = create_app()

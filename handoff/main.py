"""The handoff service: the internal API for the gateway, the agent console (page, API,
websocket), and the periodic pass (SLA, auto-assignment, queue repair, handbacks).

Run with `uvicorn handoff.main:app`. The app is built on first access to `app`, so that importing
`create_app` (tests, tools) reads no environment. Building it checks the settings and the YAML it
depends on (sla.yml, hours.yml, canned.yml): a missing token or a malformed file stops the start,
naming what is wrong.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from common.app import lazy_app
from common.db import create_engine, create_tables, session_factory
from common.health import database_check, health_router, redis_check
from common.logging import configure_logging
from handoff import models  # noqa: F401  (registers every handoff table for create_tables)
from handoff.api.router import router as api_router
from handoff.background import keep_running
from handoff.console.auth.router import install_console_auth
from handoff.console.auth.runtime import Clock, utc_now
from handoff.console.auth.settings import ConsoleAuthSettings
from handoff.console.canned import load_canned_responses
from handoff.console.hub import ConsoleHub
from handoff.console.page import mount_console_page
from handoff.console.router import router as console_router
from handoff.console.websocket import router as websocket_router
from handoff.gateway_client import GatewayClient
from handoff.queue.hours import load_business_hours
from handoff.runtime import HandoffRuntime
from handoff.settings import HandoffSettings, check_settings
from handoff.sla.policy import load_sla_policy

SERVICE = "handoff"

logger = logging.getLogger(__name__)


def create_app(
    settings: HandoffSettings | None = None,
    *,
    auth_settings: ConsoleAuthSettings | None = None,
    clock: Clock = utc_now,
) -> FastAPI:
    settings = settings or HandoffSettings()
    auth_settings = auth_settings or ConsoleAuthSettings()
    configure_logging(SERVICE, settings.log_level)
    check_settings(settings)
    policy = load_sla_policy(settings.handoff_sla_file)
    hours = load_business_hours(settings.handoff_hours_file)
    canned = load_canned_responses(settings.handoff_canned_file)
    engine = create_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        http = httpx.AsyncClient()
        hub = ConsoleHub(redis)
        background: asyncio.Task[None] | None = None
        try:
            await create_tables(engine)
            sessions = session_factory(engine)
            # What the console's security dependencies read (console/auth/runtime.py).
            app.state.engine, app.state.sessions, app.state.redis = engine, sessions, redis
            app.state.runtime = HandoffRuntime(
                settings=settings,
                engine=engine,
                sessions=sessions,
                redis=redis,
                policy=policy,
                hours=hours,
                canned=canned,
                gateway=GatewayClient(
                    http=http,
                    base_url=settings.gateway_url,
                    token=settings.gateway_api_token.get_secret_value(),
                    timeout_seconds=settings.gateway_timeout_seconds,
                ),
                hub=hub,
                clock=clock,
            )
            await hub.start()
            background = asyncio.create_task(
                keep_running(
                    app.state.runtime,
                    interval_seconds=settings.handoff_background_interval_seconds,
                    auth=auth,
                ),
                name="handoff-background",
            )
            logger.info("handoff service started")
            yield
        finally:
            if background is not None:
                background.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await background
            await hub.stop()
            await http.aclose()
            await redis.aclose()
            await engine.dispose()

    app = FastAPI(
        title="Acolhe handoff service",
        lifespan=lifespan,
        max_body_size=settings.handoff_max_body_bytes,
    )
    app.include_router(
        health_router(SERVICE, {"database": database_check(engine), "redis": redis_check(redis)})
    )
    auth = install_console_auth(app, auth_settings, clock=clock)
    app.include_router(api_router)
    app.include_router(console_router)
    app.include_router(websocket_router)
    mount_console_page(app)
    return app


__getattr__ = lazy_app(__name__, create_app)

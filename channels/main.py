"""The gateway app: FastAPI for HTTP channels and pages, wrapped by socket.io for the web chat.

Run with `uvicorn channels.main:app`.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import socketio
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from redis.asyncio import Redis

from channels import insurer_events, outbound_api, rest
from channels.handoff import api as handoff_api
from channels.handoff.client import HandoffClient
from channels.handoff.link import HandoffLink
from channels.models import Channel
from channels.outbox import Outbox
from channels.processor import ChannelAdapter, TurnProcessor
from channels.rasa_client import RasaClient
from channels.recovery import keep_recovering
from channels.runtime import Runtime, RuntimeHolder, WhatsApp
from channels.settings import GatewaySettings
from channels.store import Sessions
from channels.turn_queue import TurnQueue
from channels.validation import validation_error_handler
from channels.webchat import page
from channels.webchat.adapter import WebchatAdapter
from channels.webchat.socket_server import create_socket_server
from channels.whatsapp import webhook
from channels.whatsapp.adapter import WhatsAppAdapter
from channels.whatsapp.contacts import ContactVault
from channels.whatsapp.media import MediaFolder
from channels.whatsapp.sender import WhatsAppSender
from channels.whatsapp.templates import Templates
from channels.whatsapp.twilio_api import twilio_client
from common.db import create_engine, create_tables, session_factory
from common.health import database_check, health_router, redis_check
from common.logging import configure_logging

SERVICE = "gateway"

logger = logging.getLogger(__name__)


def create_app(settings: GatewaySettings | None = None) -> socketio.ASGIApp:
    """Build the whole gateway; the returned app's `other_asgi_app` is its FastAPI part."""
    settings = settings or GatewaySettings()
    holder = RuntimeHolder()
    sio = create_socket_server(settings=settings, runtime=holder)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(SERVICE, settings.log_level)
        engine = create_engine(settings.database_url)
        redis = Redis.from_url(settings.redis_url)
        http = httpx.AsyncClient()
        sessions = session_factory(engine)
        # A turn holds its conversation at most this long, should its process die holding it.
        queue = TurnQueue(redis, lock_seconds=2 * settings.rasa_timeout_seconds + 30)
        adapters: dict[str, ChannelAdapter] = {Channel.WEBCHAT: WebchatAdapter(sio)}
        whatsapp = _whatsapp(settings, sessions, http, adapters)
        outbox = Outbox(
            sessions=sessions,
            senders={channel: adapter.sender for channel, adapter in adapters.items()},
            retry_cap_seconds=settings.retry_cap_seconds,
            max_attempts=settings.outbox_max_attempts,
        )
        rasa = RasaClient(
            http=http, base_url=settings.rasa_url, timeout_seconds=settings.rasa_timeout_seconds
        )
        handoffs = HandoffLink(
            sessions=sessions,
            client=HandoffClient(
                http=http,
                base_url=settings.handoff_url,
                token=settings.handoff_api_token.get_secret_value(),
                timeout_seconds=settings.handoff_timeout_seconds,
            ),
        )
        processor = TurnProcessor(
            sessions=sessions,
            queue=queue,
            rasa=rasa,
            outbox=outbox,
            handoffs=handoffs,
            adapters=adapters,
            concurrency=settings.turn_concurrency,
            retry_cap_seconds=settings.retry_cap_seconds,
        )
        background: list[asyncio.Task[None]] = []
        try:
            await create_tables(engine)
            holder.set(
                Runtime(
                    settings=settings,
                    engine=engine,
                    sessions=sessions,
                    redis=redis,
                    rasa=rasa,
                    queue=queue,
                    outbox=outbox,
                    whatsapp=whatsapp,
                )
            )
            background = [
                asyncio.create_task(processor.run()),
                asyncio.create_task(
                    keep_recovering(
                        sessions, queue, interval_seconds=settings.recovery_interval_seconds
                    )
                ),
            ]
            if not page.BUNDLE.exists():
                logger.warning(
                    "web chat bundle missing; the page will not load the widget",
                    extra={"build_command": page.BUILD_COMMAND},
                )
            logger.info("gateway started", extra={"whatsapp": whatsapp is not None})
            yield
        finally:
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await processor.drain(timeout_seconds=settings.rasa_timeout_seconds)
            holder.set(None)
            if whatsapp is not None:
                await whatsapp.client.http_client.close()
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
    api.include_router(webhook.router)
    api.include_router(outbound_api.router)
    api.include_router(insurer_events.router)
    api.include_router(handoff_api.router)
    api.include_router(page.router)
    api.mount("/static", StaticFiles(directory=page.STATIC_DIR), name="static")

    return socketio.ASGIApp(sio, other_asgi_app=api, socketio_path="socket.io")


def _whatsapp(
    settings: GatewaySettings,
    sessions: Sessions,
    http: httpx.AsyncClient,
    adapters: dict[str, ChannelAdapter],
) -> WhatsApp | None:
    """The WhatsApp channel, when Twilio is configured; its adapter joins `adapters`."""
    if not settings.whatsapp_enabled:
        logger.info(
            "WhatsApp channel off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, WHATSAPP_FROM "
            "and PUBLIC_BASE_URL are not all set"
        )
        return None
    auth_token = settings.twilio_auth_token.get_secret_value()
    vault = ContactVault(
        pseudonym_key=settings.contact_pseudonym_key.get_secret_value(),
        encryption_key=settings.contact_encryption_key.get_secret_value(),
    )
    client = twilio_client(
        account_sid=settings.twilio_account_sid,
        auth_token=auth_token,
        base_url=settings.twilio_api_base_url,
        timeout_seconds=settings.twilio_timeout_seconds,
    )
    adapters[Channel.WHATSAPP] = WhatsAppAdapter(
        sessions=sessions,
        sender=WhatsAppSender(
            client=client,
            vault=vault,
            from_address=settings.whatsapp_from,
            public_base_url=settings.public_base_url,
        ),
        media=MediaFolder(folder=settings.media_dir, max_bytes=settings.media_max_bytes, http=http),
        twilio_auth=(settings.twilio_account_sid, auth_token),
    )
    return WhatsApp(
        auth_token=auth_token,
        vault=vault,
        client=client,
        templates=Templates.load(settings.whatsapp_templates_file),
    )


app = create_app()

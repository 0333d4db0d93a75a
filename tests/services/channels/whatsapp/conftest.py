"""Fixtures for the WhatsApp channel: the Twilio stand-in and a gateway served by uvicorn.

The gateway runs as a real server because the stand-in posts status callbacks to it over HTTP,
at the gateway's own PUBLIC_BASE_URL. Rasa stays down (the parent conftest's closed port); the
happy path with the real bot is tests/e2e's.
"""

import secrets
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from channels import turn_queue
from channels.models import GATEWAY_TABLES
from channels.settings import GatewaySettings
from channels.turn_queue import QUEUE_KEY
from common.db import Base, async_url
from tests.databases import POSTGRES_ADMIN_URL, fresh_postgres_database
from tests.services.channels.conftest import REDIS_URL, serving
from tests.services.channels.whatsapp.harness import (
    ACCOUNT_SID,
    API_TOKEN,
    AUTH_TOKEN,
    WHATSAPP_FROM,
    Database,
    Gateway,
)
from tests.twilio_standin import StandinControl, StandinServer

# Between Twilio accepting a message and its first status callback. The gateway learns the
# message's SID from Twilio's answer and stores it a moment later; a callback arriving before that
# finds no message and is dropped (delivery_status in channels/whatsapp/webhook.py), so the
# stand-in waits longer than that moment takes.
CALLBACK_DELAY_MS = 50

StartGateway = Callable[..., AbstractAsyncContextManager[Gateway]]


@pytest.fixture(scope="session")
def standin() -> Iterator[StandinServer]:
    with StandinServer(ACCOUNT_SID, AUTH_TOKEN, callback_delay_ms=CALLBACK_DELAY_MS) as server:
        yield server


@pytest.fixture
async def twilio(standin: StandinServer) -> AsyncIterator[StandinControl]:
    """The stand-in, remembering nothing and behaving by default, for every test."""
    async with standin.control() as control:
        await control.reset()
        await control.set_latency(0)
        await control.set_callbacks("read", delay_ms=CALLBACK_DELAY_MS)
        yield control
        await control.reset()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own (overriding the parent conftest's shared
    one), so emptying it between tests touches no other test run on the machine."""
    url = fresh_postgres_database(f"acolhe_test_whatsapp_{secrets.token_hex(4)}")
    engine = create_sync_engine(async_url(url).set(drivername="postgresql+psycopg"))
    Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in GATEWAY_TABLES])
    engine.dispose()
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The gateway's tables, empty: PostgreSQL's last the whole session, and a gateway would
    otherwise retry every message earlier tests left waiting."""
    db = Database(database_url)
    if database_url.startswith("postgresql"):
        async with db.engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {', '.join(GATEWAY_TABLES)} CASCADE"))
    yield db
    await db.dispose()


@pytest.fixture(autouse=True)
async def own_queue(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """A Redis queue key of this test's own: another test run on the machine (same Redis db)
    would otherwise take this gateway's work off the shared queue, or this one take theirs."""
    key = f"{QUEUE_KEY}:test-{secrets.token_hex(6)}"
    monkeypatch.setattr(turn_queue, "QUEUE_KEY", key)
    yield
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.delete(key)
    finally:
        await redis.aclose()


@pytest.fixture
def whatsapp_settings(
    settings: GatewaySettings, tmp_path: Path, standin: StandinServer
) -> GatewaySettings:
    """The parent conftest's settings (Rasa down) with WhatsApp on, pointed at the stand-in.

    PUBLIC_BASE_URL is filled in by `start_gateway`, once the gateway's port is known.
    """
    return settings.model_copy(
        update={
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "whatsapp_from": WHATSAPP_FROM,
            "twilio_api_base_url": standin.base_url,
            "twilio_timeout_seconds": 5.0,
            "contact_pseudonym_key": SecretStr(secrets.token_urlsafe(32)),
            "contact_encryption_key": SecretStr(Fernet.generate_key().decode()),
            "media_dir": tmp_path / "media",
            "gateway_api_token": SecretStr(API_TOKEN),
            # Retries (bot down, Twilio failing) and recovery sweeps a tenth of a second apart.
            "retry_cap_seconds": 0.1,
            "recovery_interval_seconds": 0.1,
        }
    )


@pytest.fixture
def start_gateway(
    whatsapp_settings: GatewaySettings, twilio: StandinControl, database: Database
) -> StartGateway:
    """Start a gateway with these settings changed; PUBLIC_BASE_URL defaults to its own URL."""

    @asynccontextmanager
    async def start(**changes: Any) -> AsyncIterator[Gateway]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{sock.getsockname()[1]}"
            settings = whatsapp_settings.model_copy(update={"public_base_url": url, **changes})
            async with (
                serving(settings, sock),
                httpx.AsyncClient(base_url=url, timeout=10, trust_env=False) as http,
            ):
                yield Gateway(url=url, settings=settings, http=http, twilio=twilio, db=database)

    return start


@pytest.fixture
async def gateway(start_gateway: StartGateway) -> AsyncIterator[Gateway]:
    async with start_gateway() as started:
        yield started

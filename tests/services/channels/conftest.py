"""Fixtures for the gateway: a real database (SQLite and PostgreSQL), real Redis, the real app.

Rasa is never faked: `rasa_url` points at a port nothing listens on, which is exactly the
"Rasa is down" case. The happy path with the real model is covered by tests/e2e.
"""

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import select

from channels.main import create_app
from channels.models import GATEWAY_TABLES, Conversation, Message  # registers the tables
from channels.settings import GatewaySettings
from common.db import Base, async_url, create_engine, session_factory

POSTGRES_SERVER = "postgresql://postgres@localhost/postgres"
POSTGRES_TEST_DB = "acolhe_test"
REDIS_URL = "redis://localhost:6379/15"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """acolhe_test, created if missing, with the gateway's tables fresh for this test session."""
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (POSTGRES_TEST_DB,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{POSTGRES_TEST_DB}"')
    url = f"postgresql://postgres@localhost/{POSTGRES_TEST_DB}"
    # Only the gateway's own tables: Rasa's tracker (`events`) may live in the same database.
    engine = create_sync_engine(async_url(url).set(drivername="postgresql+psycopg"))
    tables = [Base.metadata.tables[name] for name in GATEWAY_TABLES]
    Base.metadata.drop_all(engine, tables=tables)
    Base.metadata.create_all(engine, tables=tables)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/gateway.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port that refuses connections: bound, so nobody else takes it, but not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def settings(database_url: str, closed_port: int) -> GatewaySettings:
    """Gateway settings with Rasa and the handoff service down."""
    return GatewaySettings(
        _env_file=None,
        database_url=database_url,
        redis_url=REDIS_URL,
        rasa_url=f"http://127.0.0.1:{closed_port}",
        handoff_url=f"http://127.0.0.1:{closed_port}",
        rasa_timeout_seconds=5,
        max_message_chars=4096,
        max_body_bytes=64 * 1024,
    )


@asynccontextmanager
async def lifespan_of(app: Any) -> AsyncIterator[None]:
    """Run an ASGI app's lifespan the way a server does (the gateway's through its socket.io
    wrapper, the handoff service's directly)."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, to_app.get, from_app.put))
    await to_app.put({"type": "lifespan.startup"})
    started = await from_app.get()
    if started["type"] != "lifespan.startup.complete":
        await task  # raises what made the startup fail
        raise RuntimeError(f"app did not start: {started}")
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        await from_app.get()
        await task


@asynccontextmanager
async def started_gateway(settings: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to a gateway app started in process with these settings."""
    app = create_app(settings)
    async with lifespan_of(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as http:
            yield http


@pytest.fixture
def start_gateway() -> Any:
    return started_gateway


@pytest.fixture
async def client(settings: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    async with started_gateway(settings) as http:
        yield http


@asynccontextmanager
async def serving(settings: GatewaySettings, sock: socket.socket) -> AsyncIterator[None]:
    """The gateway app under uvicorn, on an already bound socket, until the block ends."""
    config = uvicorn.Config(
        create_app(settings), log_config=None, lifespan="on", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(200):
        if server.started or task.done():
            break
        await asyncio.sleep(0.02)
    if not server.started:
        server.should_exit = True
        await task
        raise RuntimeError("uvicorn did not start the gateway")
    try:
        yield
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def gateway_url(settings: GatewaySettings) -> AsyncIterator[str]:
    """A real uvicorn server running the gateway on a free local port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        async with serving(settings, sock):
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class Stored:
    conversation: Conversation | None
    messages: list[Message]


@pytest.fixture
def stored(database_url: str) -> Any:
    """Reads back, with its own engine, what the gateway stored for one conversation."""

    async def read(conversation_id: str) -> Stored:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                conversation = await session.get(Conversation, conversation_id)
                messages = await session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation_id)
                    .order_by(Message.id)
                )
                return Stored(conversation=conversation, messages=list(messages))
        finally:
            await engine.dispose()

    return read

"""Helpers for the tests of the whole handoff service (API, console, websocket, background):
running an ASGI app's lifespan, a websocket client speaking ASGI directly, logged-in browsers,
and the real gateway under uvicorn. Plain functions and classes, imported by the test modules.
"""

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cryptography.fernet import Fernet
from redis.asyncio import Redis

from channels.models import Channel, Conversation, Direction, Message, MessageStatus
from channels.settings import GatewaySettings
from common.db import create_engine, session_factory
from handoff.console.events import CONSOLE_CHANNEL
from tests.services.channels.conftest import serving
from tests.services.handoff.auth_helpers import COOKIE, ORIGIN, FakeClock, MadeAgent, log_in
from tests.services.handoff.queue_fixtures import published

REDIS_URL = "redis://localhost:6379/14"  # as conftest.py's
API_TOKEN = "test-handoff-api-token-0123456789abcdef"
GATEWAY_TOKEN = "test-gateway-api-token-0123456789abcdef"
API = {"Authorization": f"Bearer {API_TOKEN}"}


def open_body(**changes: Any) -> dict[str, Any]:
    """A handoff request as the gateway sends it (the bot's request plus the conversation)."""
    body: dict[str, Any] = {
        "conversation_id": "conversation-1",
        "channel": "webchat",
        "language": "pt",
        "priority": "green",
        "skill": "front_line",
        "reasons": ["member_asked"],
        "summary": {
            "verified": True,
            "journey": "authorization_form",
            "slots": {"member_name": "ana souza", "procedure": "ressonância magnética"},
            "signals": {"urgency": {"level": "none", "reasons": []}, "frustration": 0.2},
            "last_turns": [{"from": "member", "text": "quero falar com uma pessoa"}],
        },
    }
    body.update(changes)
    return body


def console_channel(redis: Redis) -> AbstractAsyncContextManager[list[dict[str, Any]]]:
    """Collects what is published on the console's own channel while the block runs."""
    return published(redis, CONSOLE_CHANNEL)


class SocketRefused(Exception):
    def __init__(self, code: int | None) -> None:
        super().__init__(f"websocket refused with {code}")
        self.code = code


class AsgiWebSocket:
    """A websocket client talking to the app in process, as uvicorn would."""

    def __init__(self, app: Any, *, path: str, headers: dict[str, str]) -> None:
        self._app = app
        self._path = path
        self._headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self._to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.close_code: int | None = None

    async def __aenter__(self) -> "AsgiWebSocket":
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "scheme": "wss",
            "path": self._path,
            "raw_path": self._path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": self._headers,
            "client": ("127.0.0.1", 50000),
            "server": ("console.test", 443),
            "subprotocols": [],
        }
        self._task = asyncio.create_task(self._app(scope, self._to_app.get, self._from_app.put))
        await self._to_app.put({"type": "websocket.connect"})
        first = await asyncio.wait_for(self._from_app.get(), 5)
        if first["type"] != "websocket.accept":
            await self._finish()
            raise SocketRefused(first.get("code"))
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._to_app.put({"type": "websocket.disconnect", "code": 1000})
        await self._finish()

    async def receive(self, timeout: float = 3.0) -> dict[str, Any]:
        message = await asyncio.wait_for(self._from_app.get(), timeout)
        if message["type"] == "websocket.close":
            self.close_code = message.get("code")
            raise SocketRefused(self.close_code)
        assert message["type"] == "websocket.send", message
        decoded: dict[str, Any] = json.loads(message.get("text") or message["bytes"])
        return decoded

    async def until(self, event: str, timeout: float = 3.0) -> dict[str, Any]:
        """The first event of this name, skipping others."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no {event} event within {timeout}s")
            message = await self.receive(remaining)
            if message["event"] == event:
                return message

    async def everything(self, within: float = 0.3) -> list[dict[str, Any]]:
        """Every event that arrives within `within` seconds."""
        received = []
        with contextlib.suppress(TimeoutError):
            while True:
                received.append(await self.receive(within))
        return received

    async def _finish(self) -> None:
        if self._task is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 5)


def api_client(app: Any) -> httpx.AsyncClient:
    """The gateway's side of the internal API, with the bearer token."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://handoff.test", headers=API
    )


@dataclass
class Browser:
    """A logged-in agent's browser: its own cookie jar, the console's Origin, the CSRF token."""

    http: httpx.AsyncClient
    agent: MadeAgent
    csrf: str

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(path, **kwargs)

    async def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return await self.http.post(path, json=body, headers={"X-CSRF-Token": self.csrf})

    def on(self, app: Any) -> "Browser":
        """The same logged-in browser talking to another copy of the service."""
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
            base_url=ORIGIN,
            headers={"Origin": ORIGIN},
            cookies=self.http.cookies,
        )
        return Browser(http=http, agent=self.agent, csrf=self.csrf)

    def socket(self, app: Any, *, origin: str = ORIGIN) -> AsgiWebSocket:
        return AsgiWebSocket(
            app,
            path="/console/ws",
            headers={"origin": origin, "cookie": f"{COOKIE}={self.http.cookies[COOKIE]}"},
        )


async def browser_for(app: Any, agent: MadeAgent, clock: FakeClock) -> Browser:
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
        base_url=ORIGIN,
        headers={"Origin": ORIGIN},
    )
    csrf = await log_in(http, agent, clock)
    return Browser(http=http, agent=agent, csrf=csrf)


def gateway_settings(database_url: str, redis_url: str, closed_port: int) -> GatewaySettings:
    """The gateway with Rasa down (not needed here) and WhatsApp on, so that it takes agents'
    templates; Twilio is down too: what the gateway accepts stays in its outbox."""
    return GatewaySettings(
        _env_file=None,
        database_url=database_url,
        redis_url=redis_url,
        rasa_url=f"http://127.0.0.1:{closed_port}",
        rasa_timeout_seconds=2,
        gateway_api_token=GATEWAY_TOKEN,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="test-twilio-auth-token",
        whatsapp_from="whatsapp:+551130030000",
        public_base_url="https://gateway.test",
        twilio_api_base_url=f"http://127.0.0.1:{closed_port}",
        contact_pseudonym_key="test-pseudonym-key-0123456789",
        contact_encryption_key=Fernet.generate_key().decode(),
    )


@asynccontextmanager
async def real_gateway(settings: GatewaySettings) -> AsyncIterator[str]:
    """The gateway app under uvicorn on a free local port; yields its URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        async with serving(settings, sock):
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"


async def gateway_conversation(
    database_url: str,
    conversation_id: str,
    *,
    channel: str = Channel.WEBCHAT,
    handoff_id: int | None = None,
    member_wrote_hours_ago: float = 0.1,
    messages: Sequence[tuple[str, str, datetime]] = (),
) -> None:
    """A conversation as the gateway keeps it, handed off to `handoff_id`, with the member's
    last message some time ago and `messages` ((direction, text, at), oldest first)."""
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session, session.begin():
            wrote = datetime.now(UTC) - timedelta(hours=member_wrote_hours_ago)
            session.add(
                Conversation(
                    id=conversation_id,
                    channel=channel,
                    language="pt",
                    created_at=wrote,
                    last_message_at=wrote,
                    last_member_message_at=wrote,
                    handoff_id=handoff_id,
                    last_handoff_id=handoff_id,
                )
            )
            await session.flush()
            for direction, text, at in messages:
                inbound = direction == Direction.IN
                session.add(
                    Message(
                        conversation_id=conversation_id,
                        direction=direction,
                        text=text,
                        payload=None if inbound else {"text": text},
                        status=MessageStatus.ANSWERED if inbound else MessageStatus.SENT,
                        attempts=0 if inbound else 1,
                        created_at=at,
                    )
                )
    finally:
        await engine.dispose()


async def gateway_conversation_row(database_url: str, conversation_id: str) -> Conversation:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            conversation = await session.get(Conversation, conversation_id)
            assert conversation is not None
            return conversation
    finally:
        await engine.dispose()

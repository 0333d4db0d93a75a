"""Fixtures for the reminders job end to end: the real insurer sandbox (in process, its clock set
by the test) and a real gateway with WhatsApp on, sending through the Twilio stand-in.

The gateway's fixtures are the WhatsApp tests' own, on SQLite only here: the job's logic does not
depend on the gateway's database, which the channels tests cover on both.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.main import create_app as create_sandbox
from sandbox.sql import Sessions
from tests.services.channels.conftest import closed_port, lifespan_of, settings
from tests.services.channels.whatsapp.conftest import (
    database,
    own_queue,
    standin,
    start_gateway,
    twilio,
    whatsapp_settings,
)
from tests.services.channels.whatsapp.harness import API_TOKEN, Gateway
from tests.services.sandbox.conftest import API_KEY, NOW, Clock, sandbox_settings
from worker.reminders.gateway import GatewayMessages
from worker.reminders.insurer import InsurerReminders

__all__ = [
    "closed_port",
    "database",
    "own_queue",
    "settings",
    "standin",
    "start_gateway",
    "twilio",
    "whatsapp_settings",
]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The gateway's database."""
    return f"sqlite:///{tmp_path}/gateway.db"


@dataclass
class Insurer:
    """The sandbox as the worker sees it (`reminders`) and as a test sets a scene (`api`)."""

    api: httpx.AsyncClient
    reminders: InsurerReminders
    clock: Clock
    sessions: Sessions  # the sandbox's database, to read what the API does not show


StartInsurer = Callable[..., AbstractAsyncContextManager[Insurer]]


@pytest.fixture
def start_insurer(tmp_path: Path) -> StartInsurer:
    """`async with start_insurer(**setting_changes) as insurer:` the sandbox, running."""

    @asynccontextmanager
    async def start(**changes: Any) -> AsyncIterator[Insurer]:
        clock = Clock(NOW)
        settings = sandbox_settings(f"sqlite:///{tmp_path}/sandbox.db", **changes)
        app = create_sandbox(settings, clock=clock)
        async with lifespan_of(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://sandbox.test", headers={"X-API-Key": API_KEY}
            ) as api:
                yield Insurer(
                    api=api,
                    reminders=InsurerReminders(api),
                    clock=clock,
                    sessions=app.state.runtime.sessions,
                )

    return start


@pytest.fixture
async def insurer(start_insurer: StartInsurer) -> AsyncIterator[Insurer]:
    async with start_insurer() as started:
        yield started


@pytest.fixture
async def gateway(start_gateway) -> AsyncIterator[Gateway]:  # type: ignore[no-untyped-def]
    async with start_gateway() as started:
        yield started


@pytest.fixture
async def gateway_messages(gateway: Gateway) -> AsyncIterator[GatewayMessages]:
    """The worker's client of that gateway, with its bearer token."""
    async with httpx.AsyncClient(
        base_url=gateway.url, headers={"Authorization": f"Bearer {API_TOKEN}"}, timeout=10
    ) as http:
        yield GatewayMessages(http)

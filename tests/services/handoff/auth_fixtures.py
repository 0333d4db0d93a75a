"""Fixtures for the console's security and the audit log: a small app with the login API and a
few protected routes, an injected clock, and agents made through the admin functions.

Test modules load them with `pytest_plugins = ["tests.services.handoff.auth_fixtures"]` and
import helpers and constants from auth_helpers.py.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pyotp
import pytest
from cryptography.fernet import Fernet
from fastapi import APIRouter, Depends, FastAPI
from redis.asyncio import Redis
from sqlalchemy import update

from handoff.agents.admin import create_agent
from handoff.agents.models import Agent, Role
from handoff.console.auth.dependencies import CurrentAgent, CurrentSupervisor, require_role
from handoff.console.auth.passwords import Passwords
from handoff.console.auth.router import install_console_auth
from handoff.console.auth.runtime import ConsoleAuth
from handoff.console.auth.settings import ConsoleAuthSettings
from tests.services.handoff.auth_helpers import (
    CHEAP_ARGON2,
    MAX_FAILURES_PER_IP,
    MAX_FAILURES_PER_LOGIN,
    ORIGIN,
    PASSWORD,
    FakeClock,
    MadeAgent,
)


@pytest.fixture
def clock() -> FakeClock:
    # At the start of a TOTP step, so codes stay valid while a test advances a few seconds.
    return FakeClock(datetime(2025, 3, 10, 12, 0, 0, tzinfo=UTC))


@pytest.fixture
def auth_settings() -> ConsoleAuthSettings:
    return ConsoleAuthSettings(
        _env_file=None,  # type: ignore[call-arg]
        totp_encryption_key=Fernet.generate_key().decode(),
        origin=ORIGIN,
        max_failures_per_login=MAX_FAILURES_PER_LOGIN,
        max_failures_per_ip=MAX_FAILURES_PER_IP,
        **CHEAP_ARGON2,
    )


@pytest.fixture
def passwords(auth_settings: ConsoleAuthSettings) -> Passwords:
    return Passwords.from_settings(auth_settings)


def protected_routes() -> APIRouter:
    """Stand-ins for the console's pages: one route per kind of protection."""
    router = APIRouter(prefix="/console/api/test")

    @router.get("/whoami")
    async def whoami(agent: CurrentAgent) -> dict[str, Any]:
        return {"id": agent.id, "role": agent.role}

    @router.post("/notes")
    async def add_note(agent: CurrentAgent) -> dict[str, Any]:
        return {"saved_by": agent.id}

    @router.get("/supervision")
    async def supervision(agent: CurrentSupervisor) -> dict[str, Any]:
        return {"id": agent.id}

    @router.get("/agents", dependencies=[Depends(require_role(Role.ADMIN))])
    async def manage_agents() -> dict[str, Any]:
        return {"ok": True}

    return router


@pytest.fixture
def auth_app(
    sessions: Any, redis: Redis, auth_settings: ConsoleAuthSettings, clock: FakeClock
) -> FastAPI:
    app = FastAPI()
    # What common/app.py's lifespan puts there in the service.
    app.state.sessions = sessions
    app.state.redis = redis
    install_console_auth(app, auth_settings, clock=clock)
    app.include_router(protected_routes())
    return app


@pytest.fixture
def console_auth(auth_app: FastAPI) -> ConsoleAuth:
    auth: ConsoleAuth = auth_app.state.console_auth
    return auth


@pytest.fixture
def new_client(auth_app: FastAPI) -> Callable[..., httpx.AsyncClient]:
    """A browser of its own (cookie jar), sending the console's Origin unless told otherwise."""

    def make(origin: str | None = ORIGIN, ip: str = "127.0.0.1") -> httpx.AsyncClient:
        headers = {"Origin": origin} if origin else {}
        transport = httpx.ASGITransport(app=auth_app, client=(ip, 50000))
        return httpx.AsyncClient(transport=transport, base_url=ORIGIN, headers=headers)

    return make


@pytest.fixture
async def client(new_client: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with new_client() as http:
        yield http


@pytest.fixture
def make_agent(
    sessions: Any, passwords: Passwords, console_auth: ConsoleAuth
) -> Callable[..., Awaitable[MadeAgent]]:
    """An agent made as the admin CLI makes them; with `enrolled`, a TOTP device already set."""
    counter = iter(range(1, 1000))

    async def make(
        *,
        login: str | None = None,
        role: str = Role.AGENT,
        skills: tuple[str, ...] = ("front_line",),
        enrolled: bool = False,
        password: str = PASSWORD,
    ) -> MadeAgent:
        login = login or f"agent{next(counter)}@acolhe.test"
        agent = await create_agent(
            sessions,
            passwords,
            login=login,
            display_name=login.split("@")[0].title(),
            role=role,
            skills=list(skills),
            capacity=3,
            password=password,
        )
        secret = None
        if enrolled:
            secret = pyotp.random_base32()
            async with sessions() as db:
                await db.execute(
                    update(Agent)
                    .where(Agent.id == agent.id)
                    .values(totp_secret_encrypted=console_auth.totp_secrets.encrypt(secret))
                )
                await db.commit()
        return MadeAgent(id=agent.id, login=login, password=password, totp_secret=secret)

    return make

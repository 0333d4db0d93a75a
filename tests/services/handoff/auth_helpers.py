"""Constants and helpers for the console security tests: the login steps as a browser takes them,
an injected clock, and reading the audit trail back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pyotp
from sqlalchemy import select

from handoff.audit.models import AuditEntry

ORIGIN = "https://console.test"
COOKIE = "__Host-acolhe-console"
PASSWORD = "correct horse battery staple"
MAX_FAILURES_PER_LOGIN = 3
MAX_FAILURES_PER_IP = 8
# Cheap argon2 for speed; the production parameters are exercised by the rehash test.
CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8 * 1024, "argon2_parallelism": 1}


class FakeClock:
    """The time the console sees; tests move it instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class MadeAgent:
    id: int
    login: str
    password: str
    totp_secret: str | None


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


async def post(
    http: httpx.AsyncClient, path: str, body: dict[str, Any] | None = None, *, csrf: str | None
) -> httpx.Response:
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return await http.post(path, json=body, headers=headers)


async def password_step(http: httpx.AsyncClient, agent: MadeAgent) -> dict[str, Any]:
    response = await http.post(
        "/console/api/login", json={"login": agent.login, "password": agent.password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def log_in(http: httpx.AsyncClient, agent: MadeAgent, clock: FakeClock) -> str:
    """Both factors for an enrolled agent; returns the full session's CSRF token."""
    assert agent.totp_secret
    step = await password_step(http, agent)
    assert step["stage"] == "totp"
    response = await post(
        http,
        "/console/api/totp",
        {"code": code_at(agent.totp_secret, clock())},
        csrf=step["csrf_token"],
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


async def audit_trail(sessions: Any) -> list[AuditEntry]:
    async with sessions() as db:
        return list(await db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def audit_actions(sessions: Any) -> list[str]:
    return [entry.action for entry in await audit_trail(sessions)]

"""Login sessions: a random token in the agent's cookie, only its hash on the server.

A session ends at the first of: logout, its idle timeout, its absolute lifetime, a password
change or TOTP reset (every session of the agent), or the agent's deactivation.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.agents.models import Agent
from handoff.console.auth.models import ConsoleSession, Stage

# last_seen_at is written at most this often, not on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    lifetime: timedelta
    second_factor: timedelta  # idle and absolute limit of a password-only session


@dataclass(frozen=True)
class Issued:
    """A new session: the token goes into the cookie and is never stored."""

    token: str
    row: ConsoleSession


def utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were all stored in UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(
    db: AsyncSession,
    *,
    agent_id: int,
    stage: Stage,
    policy: SessionPolicy,
    now: datetime,
) -> Issued:
    token = secrets.token_urlsafe(32)
    lifetime = policy.lifetime if stage == Stage.FULL else policy.second_factor
    row = ConsoleSession(
        token_hash=token_hash(token),
        agent_id=agent_id,
        stage=stage,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    db.add(row)
    await db.flush()
    return Issued(token=token, row=row)


async def find(db: AsyncSession, token: str) -> tuple[ConsoleSession, Agent] | None:
    found = (
        await db.execute(
            select(ConsoleSession, Agent)
            .join(Agent, Agent.id == ConsoleSession.agent_id)
            .where(ConsoleSession.token_hash == token_hash(token))
        )
    ).one_or_none()
    return (found[0], found[1]) if found else None


def has_expired(row: ConsoleSession, *, policy: SessionPolicy, now: datetime) -> bool:
    idle = policy.idle if row.stage == Stage.FULL else policy.second_factor
    return now >= utc(row.expires_at) or now >= utc(row.last_seen_at) + idle


def touch(row: ConsoleSession, *, now: datetime) -> bool:
    """Record activity (for the idle timeout); True when the row changed and needs a commit."""
    if now - utc(row.last_seen_at) < TOUCH_INTERVAL:
        return False
    row.last_seen_at = now
    return True


async def end(db: AsyncSession, session_id: int) -> bool:
    """End one session; False if it had ended already (a concurrent request got there first)."""
    ended = await db.execute(delete(ConsoleSession).where(ConsoleSession.id == session_id))
    return int(getattr(ended, "rowcount", 0) or 0) == 1


async def end_by_token(db: AsyncSession, token: str) -> bool:
    ended = await db.execute(
        delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash(token))
    )
    return int(getattr(ended, "rowcount", 0) or 0) == 1


async def end_all(db: AsyncSession, *, agent_id: int) -> int:
    """End every session of the agent (password change, TOTP reset, deactivation)."""
    ended = await db.execute(delete(ConsoleSession).where(ConsoleSession.agent_id == agent_id))
    return int(getattr(ended, "rowcount", 0) or 0)


async def purge_expired(db: AsyncSession, *, policy: SessionPolicy, now: datetime) -> int:
    """Delete sessions past their end; for a periodic job (they are refused anyway)."""
    stale = (
        (ConsoleSession.expires_at <= now)
        | (
            (ConsoleSession.stage == Stage.FULL)
            & (ConsoleSession.last_seen_at <= now - policy.idle)
        )
        | (
            (ConsoleSession.stage != Stage.FULL)
            & (ConsoleSession.last_seen_at <= now - policy.second_factor)
        )
    )
    purged = await db.execute(delete(ConsoleSession).where(stale))
    return int(getattr(purged, "rowcount", 0) or 0)

"""Appending to the audit log without ever forking the chain.

Each entry's hash covers the previous entry's hash and its own fields, serialised canonically
(`canonical_form`), so editing, deleting, inserting or reordering entries breaks the chain where
it happened. Appends are serialised by locking the head row:

- PostgreSQL: `SELECT ... FOR UPDATE` on the head row, held until the caller's transaction ends;
- SQLite: a single writer at a time; the first statement of the append is a write, so the
  transaction takes the write lock before it reads the head (what BEGIN IMMEDIATE does) and no
  other writer can slip in between the read and the insert.

The lock is held until the caller commits: append last, then commit.
"""

import hashlib
import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handoff.audit.models import HEAD_ROW_ID, AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
ACTION_FORMAT = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)+")
MAX_DETAIL_CHARS = 2048

# A safety net, not a filter to rely on: the audit log is kept for years, so personal data must
# never reach it. Keys that would carry it are refused, and so are values that look like a CPF
# or a phone number.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"text", "message", "body", "phone", "cpf", "password", "code", "token", "secret"}
)
CPF_LIKE = re.compile(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}")
PHONE_LIKE = re.compile(r"(whatsapp:)?\+\d[\d ()-]{7,18}\d")


class AuditDetailRefused(ValueError):
    """The detail would put personal data or something unverifiable into the audit log."""


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were all stored in UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def canonical_form(
    *,
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None,
    detail: Mapping[str, Any],
) -> str:
    fields = {
        "prev_hash": prev_hash,
        "at": as_utc(at).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "subject": subject,
        "detail": detail,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None,
    detail: Mapping[str, Any],
) -> str:
    form = canonical_form(
        prev_hash=prev_hash, at=at, actor=actor, action=action, subject=subject, detail=detail
    )
    return hashlib.sha256(form.encode()).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    """What the entry's hash should be, from its stored fields."""
    return entry_hash(
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        detail=entry.detail,
    )


async def append(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add an entry to the chain inside the session's transaction; the caller commits.

    `detail` is small JSON about the action (ids, reasons, counts): never message text, phone
    numbers, CPFs, passwords or codes. `at` defaults to now; pass the caller's clock in tests.
    """
    clean_detail = checked_detail(detail or {})
    if not ACTION_FORMAT.fullmatch(action):
        raise ValueError(f"audit action must read like 'thing.happened', got {action!r}")
    head = await _lock_head(session)
    # Taken under the lock, so timestamps follow the chain's order.
    moment = as_utc(at) if at is not None else datetime.now(UTC)
    entry = AuditEntry(
        at=moment,
        actor=actor,
        action=str(action),
        subject=subject,
        detail=clean_detail,
        prev_hash=head.last_hash,
        hash=entry_hash(
            prev_hash=head.last_hash,
            at=moment,
            actor=actor,
            action=str(action),
            subject=subject,
            detail=clean_detail,
        ),
    )
    session.add(entry)
    await session.flush()
    await session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ROW_ID)
        .values(entries=head.entries + 1, last_id=entry.id, last_hash=entry.hash)
        .execution_options(synchronize_session=False)
    )
    return entry


async def record(
    sessions: async_sessionmaker[AsyncSession],
    *,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """`append` in a transaction of its own, committed before returning."""
    async with sessions() as session:
        entry = await append(
            session, actor=actor, action=action, subject=subject, detail=detail, at=at
        )
        await session.commit()
        return entry


class _Head:
    def __init__(self, entries: int, last_hash: str) -> None:
        self.entries = entries
        self.last_hash = last_hash


async def _lock_head(session: AsyncSession) -> _Head:
    """Lock the head row (creating it on the first append ever) and read it."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # A write as the transaction's first statement takes SQLite's write lock before any read.
        await session.execute(
            update(AuditHead)
            .where(AuditHead.id == HEAD_ROW_ID)
            .values(entries=AuditHead.entries)
            .execution_options(synchronize_session=False)
        )
    locked = select(AuditHead.entries, AuditHead.last_hash).where(AuditHead.id == HEAD_ROW_ID)
    if dialect == "postgresql":
        locked = locked.with_for_update()
    row = (await session.execute(locked)).one_or_none()
    if row is None:
        await session.execute(_insert_genesis_head(dialect))
        # Whoever inserted it holds it until commit; everyone else waits here for their turn.
        row = (await session.execute(locked)).one()
    return _Head(entries=row.entries, last_hash=row.last_hash)


def _insert_genesis_head(dialect: str) -> Any:
    values = {"id": HEAD_ROW_ID, "entries": 0, "last_id": None, "last_hash": GENESIS_HASH}
    if dialect == "postgresql":
        return postgresql.insert(AuditHead).values(**values).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(AuditHead).values(**values).on_conflict_do_nothing()
    raise ValueError(f"the audit log does not support {dialect}")


def checked_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """A plain-JSON copy of `detail`, refused if it could carry personal data or not round-trip."""
    copy = _checked_value(dict(detail), path="detail")
    if len(json.dumps(copy, sort_keys=True, separators=(",", ":"))) > MAX_DETAIL_CHARS:
        raise AuditDetailRefused(f"audit detail is larger than {MAX_DETAIL_CHARS} characters")
    assert isinstance(copy, dict)
    return copy


def _checked_value(value: Any, *, path: str) -> Any:
    if isinstance(value, Mapping):
        checked = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditDetailRefused(f"{path}: keys must be strings")
            if key.lower() in FORBIDDEN_DETAIL_KEYS:
                raise AuditDetailRefused(f"{path}.{key}: this key never goes into the audit log")
            checked[key] = _checked_value(item, path=f"{path}.{key}")
        return checked
    if isinstance(value, list | tuple):
        return [_checked_value(item, path=f"{path}[]") for item in value]
    if isinstance(value, str):
        if CPF_LIKE.fullmatch(value) or PHONE_LIKE.fullmatch(value):
            raise AuditDetailRefused(f"{path}: looks like a CPF or phone number")
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise AuditDetailRefused(f"{path}: not a finite number")
    if value is None or isinstance(value, bool | int | float):
        return value
    raise AuditDetailRefused(f"{path}: {type(value).__name__} is not plain JSON")

"""SQL pieces the sandbox's features share: the dialect's upsert, JSON columns, UTC moments."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

Sessions = async_sessionmaker[AsyncSession]

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def insert_for(session: AsyncSession) -> Any:
    """`insert` with ON CONFLICT for the session's database (both spell it the same way)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; everything is stored in UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)

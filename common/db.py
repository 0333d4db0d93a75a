"""SQL access for the services: one async engine per process, SQLite or PostgreSQL by URL."""

from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every service's tables."""


def async_url(database_url: str) -> URL:
    """Map the plain URL people configure to the async driver the services use.

    DATABASE_URL is written without a driver (`postgresql://...`, `sqlite:///var/acolhe.db`) so the
    same value also serves Rasa's tracker store, which runs on SQLAlchemy 1.4 with psycopg2.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    raise ValueError(f"unsupported database backend: {url.get_backend_name()}")


def create_engine(database_url: str) -> AsyncEngine:
    url = async_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers and the single writer of several processes work side by side;
    # busy_timeout makes a writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


class OutdatedSchema(RuntimeError):
    """Tables made by an older version lack columns this one needs."""


async def create_tables(engine: AsyncEngine) -> None:
    """Create missing tables; refuse to start on tables an older version made.

    Until migrations (Alembic) arrive with the first production data, an old development
    database is named clearly rather than failing later on its first query.
    """
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
        missing = await connection.run_sync(_missing_columns)
    if missing:
        raise OutdatedSchema(
            f"tables older than this version (missing {', '.join(missing)}); "
            "for a development database, remove it (make clean) and start again"
        )


def _missing_columns(connection) -> list[str]:  # type: ignore[no-untyped-def]
    inspector = inspect(connection)
    missing = []
    for table in Base.metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
    return missing

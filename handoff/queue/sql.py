"""SQL pieces the queue's modules share: the queue order and the dialect's upsert."""

from typing import Any

from sqlalchemy import ColumnElement, case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handoff.queue.enums import PRIORITY_ORDER
from handoff.queue.models import Handoff

Sessions = async_sessionmaker[AsyncSession]

# red → yellow → green in SQL, from the priority stored as text.
PRIORITY_RANK: ColumnElement[int] = case(
    {priority.value: priority.rank for priority in PRIORITY_ORDER},
    value=Handoff.priority,
    else_=len(PRIORITY_ORDER),
)

# The order every queue is read in: most urgent, then longest waiting, then first opened.
QUEUE_ORDER = (PRIORITY_RANK, Handoff.created_at, Handoff.id)


def insert_for(session: AsyncSession) -> Any:
    """`insert` with ON CONFLICT for the session's database (both spell it the same way)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert

"""Named counters in SQL (request numbers, invoice ids, the protocol's daily sequence), drawn with
one upsert so that every copy of the service shares them and no two callers get the same value."""

from sqlalchemy import BigInteger, String, case
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from sandbox.sql import insert_for


class Counter(Base):
    __tablename__ = "sandbox_counters"

    # e.g. "protocol:20261124", "AUT-2026", "INV"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last: Mapped[int] = mapped_column(BigInteger)


async def next_value(session: AsyncSession, name: str) -> int:
    """The counter's next value, inside the caller's transaction (a rollback gives it back).

    One statement: the row lock (PostgreSQL) or the write lock (SQLite) makes concurrent callers
    take turns, so none reads a value another is about to write.
    """
    statement = (
        insert_for(session)(Counter)
        .values(name=name, last=1)
        .on_conflict_do_update(index_elements=[Counter.name], set_={"last": Counter.last + 1})
        .returning(Counter.last)
    )
    return int(await session.scalar(statement))


async def advance_counters(session: AsyncSession, values: dict[str, int]) -> None:
    """Bring each counter up to at least its value (for rows numbered in memory, as the demo
    loader numbers them), never down."""
    for name, last in values.items():
        insert = insert_for(session)(Counter).values(name=name, last=last)
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=[Counter.name],
                set_={
                    "last": case(
                        (Counter.last > insert.excluded.last, Counter.last),
                        else_=insert.excluded.last,
                    )
                },
            )
        )


async def next_yearly_id(session: AsyncSession, *, prefix: str, year: int) -> str:
    """`AGR-2026-000001`: the prefix, the year, and the sequence of that prefix and year (the
    shape of request numbers, requests/numbers.py)."""
    return f"{prefix}-{year}-{await next_value(session, f'{prefix}-{year}'):06d}"

"""Walking the audit chain from the start and naming the first entry that breaks it."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from common.db import create_engine, session_factory
from handoff.audit.chain import GENESIS_HASH, hash_of
from handoff.audit.models import HEAD_ROW_ID, AuditEntry, AuditHead

BATCH = 1000


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    entries: int  # how many entries were found sound
    broken_at: int | None = None  # id of the first entry that breaks the chain
    problem: str | None = None

    def summary(self) -> str:
        if self.intact:
            return f"audit chain intact: {self.entries} entries"
        where = f"entry {self.broken_at}" if self.broken_at is not None else "its end"
        return f"audit chain broken at {where}: {self.problem}"


class _Walk:
    """Entries checked so far, in id order: each must link to the one before and hash right."""

    def __init__(self) -> None:
        self.checked = 0
        self.last_hash = GENESIS_HASH
        self.last_id: int | None = None

    async def through(self, session: AsyncSession, *, up_to: int | None) -> ChainReport | None:
        while True:
            query = select(AuditEntry).where(AuditEntry.id > (self.last_id or 0))
            if up_to is not None:
                query = query.where(AuditEntry.id <= up_to)
            batch = list(await session.scalars(query.order_by(AuditEntry.id).limit(BATCH)))
            session.expunge_all()  # keeps memory flat on long chains
            if not batch:
                return None
            for entry in batch:
                problem = self._check(entry)
                if problem:
                    return ChainReport(
                        intact=False, entries=self.checked, broken_at=entry.id, problem=problem
                    )
                self.checked += 1
                self.last_hash, self.last_id = entry.hash, entry.id

    def _check(self, entry: AuditEntry) -> str | None:
        if entry.prev_hash != self.last_hash:
            before = f"entry {self.last_id}'s hash" if self.last_id else "the chain's start"
            return (
                f"its prev_hash does not match {before}: an entry was deleted, inserted or "
                "moved before it"
            )
        if hash_of(entry) != entry.hash:
            return "its fields do not match its hash: the entry was edited"
        return None


async def verify_chain(sessions: async_sessionmaker[AsyncSession]) -> ChainReport:
    """Check every entry's hash and link, then that the chain ends where the head says.

    The head is read after the walk: an append commits its entry and the head together, so a
    head read later covers every entry walked. Entries appended during the walk are checked up
    to that head; an entry beyond it was written around `append`.
    """
    async with sessions() as session:
        walk = _Walk()
        broken = await walk.through(session, up_to=None)
        if broken:
            return broken
        head = await _head(session)
        if head is None:
            if walk.checked:
                return ChainReport(
                    intact=False,
                    entries=walk.checked,
                    problem=f"the head row is missing while {walk.checked} entries exist",
                )
            return ChainReport(intact=True, entries=0)
        if head.last_id is not None and (walk.last_id or 0) < head.last_id:
            broken = await walk.through(session, up_to=head.last_id)
            if broken:
                return broken
        if walk.last_id is not None and (head.last_id is None or walk.last_id > head.last_id):
            first_beyond = await session.scalar(
                select(func.min(AuditEntry.id)).where(AuditEntry.id > (head.last_id or 0))
            )
            return ChainReport(
                intact=False,
                entries=walk.checked,
                broken_at=first_beyond,
                problem="it lies beyond the chain's recorded end: written around append",
            )
        if walk.checked != head.entries or walk.last_hash != head.last_hash:
            return ChainReport(
                intact=False,
                entries=walk.checked,
                broken_at=walk.last_id,
                problem=(
                    f"the chain ends after {walk.checked} entries but the head records "
                    f"{head.entries} ending at entry {head.last_id}: entries were deleted "
                    "from the end, or the head was edited"
                ),
            )
        return ChainReport(intact=True, entries=walk.checked)


async def _head(session: AsyncSession) -> Row[int, int | None, str] | None:
    return (
        await session.execute(
            select(AuditHead.entries, AuditHead.last_id, AuditHead.last_hash).where(
                AuditHead.id == HEAD_ROW_ID
            )
        )
    ).one_or_none()


async def verify_database(database_url: str) -> ChainReport:
    engine = create_engine(database_url)
    try:
        return await verify_chain(session_factory(engine))
    finally:
        await engine.dispose()

"""The handoff service's protocol numbers (common/ans_protocol.py gives their shape). The sequence
lives in SQL, one counter row per day, so every copy of the service draws from the same counter.
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.ans_protocol import is_ans_registration, protocol_day, protocol_number
from handoff.queue.models import ProtocolSequence
from handoff.queue.sql import insert_for


async def next_protocol(session: AsyncSession, *, ans_registration: str, now: datetime) -> str:
    """Draw the day's next number inside the caller's transaction (a rollback gives it back)."""
    if not is_ans_registration(ans_registration):
        raise ValueError("the ANS registration is 6 digits")
    day = protocol_day(now)
    # One statement: the row lock (PostgreSQL) or the write lock (SQLite) makes concurrent
    # openings take turns, so no two get the same number.
    statement = (
        insert_for(session)(ProtocolSequence)
        .values(day=day, last=1)
        .on_conflict_do_update(
            index_elements=[ProtocolSequence.day], set_={"last": ProtocolSequence.last + 1}
        )
        .returning(ProtocolSequence.last)
    )
    sequence = int(await session.scalar(statement))
    return protocol_number(ans_registration, day, sequence)

"""The protocol number a member can quote, ANS style: operator registration + date + sequence.

ANS gives every service contact a 20-digit protocol: the operator's 6-digit ANS registration, the
date (yyyymmdd) and a 6-digit sequence of that day (DOMAIN.md; check against the current ANS rule
before relying on it). The sequence lives in SQL, one counter row per day, so every copy of the
service draws from the same counter.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handoff.queue.models import ProtocolSequence
from handoff.queue.sql import insert_for

# A placeholder registration for the sandbox operator; each insurer configures its own.
DEMO_ANS_REGISTRATION = "000000"
# The protocol's date is the operator's calendar day, not UTC's.
PROTOCOL_TIME_ZONE = ZoneInfo("America/Sao_Paulo")
SEQUENCE_DIGITS = 6


async def next_protocol(session: AsyncSession, *, ans_registration: str, now: datetime) -> str:
    """Draw the day's next number inside the caller's transaction (a rollback gives it back)."""
    if not re.fullmatch(r"\d{6}", ans_registration):
        raise ValueError("the ANS registration is 6 digits")
    day = now.astimezone(PROTOCOL_TIME_ZONE).strftime("%Y%m%d")
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
    # Past 999999 in a day the number grows a digit rather than repeating one.
    return f"{ans_registration}{day}{sequence:0{SEQUENCE_DIGITS}d}"

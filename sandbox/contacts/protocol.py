"""The protocol number a member can quote, ANS style: operator registration + date + sequence.

ANS gives every service contact a protocol at its start: the operator's 6-digit ANS
registration, the date (yyyymmdd, the operator's calendar day in America/Sao_Paulo) and a
6-digit sequence of that day (DOMAIN.md; check against the current ANS rule before relying on it).
The sequence is a SQL counter per day (counters.py), so every copy of the service draws from it.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from sandbox.counters import next_value

PROTOCOL_TIME_ZONE = ZoneInfo("America/Sao_Paulo")
SEQUENCE_DIGITS = 6


async def next_protocol(session: AsyncSession, *, ans_registration: str, now: datetime) -> str:
    """Draw the day's next number inside the caller's transaction (a rollback gives it back)."""
    if not re.fullmatch(r"\d{6}", ans_registration):
        raise ValueError("the ANS registration is 6 digits")
    day = now.astimezone(PROTOCOL_TIME_ZONE).strftime("%Y%m%d")
    sequence = await next_value(session, f"protocol:{day}")
    # Past 999999 in a day the number grows a digit rather than repeating one.
    return f"{ans_registration}{day}{sequence:0{SEQUENCE_DIGITS}d}"

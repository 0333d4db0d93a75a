"""The sandbox's protocol numbers, the insurer's own (common/ans_protocol.py gives their shape).
The sequence is a SQL counter per day (counters.py), so every copy of the service draws from it.
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.ans_protocol import is_ans_registration, protocol_day, protocol_number
from sandbox.counters import next_value


async def next_protocol(session: AsyncSession, *, ans_registration: str, now: datetime) -> str:
    """Draw the day's next number inside the caller's transaction (a rollback gives it back)."""
    if not is_ans_registration(ans_registration):
        raise ValueError("the ANS registration is 6 digits")
    day = protocol_day(now)
    sequence = await next_value(session, f"protocol:{day}")
    return protocol_number(ans_registration, day, sequence)

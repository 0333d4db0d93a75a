"""A TOTP code works once: each agent's used time steps are remembered in SQL.

A step is accepted only if it is newer than every step the agent used before (RFC 6238 §5.2),
so neither the same code nor an older one still inside the window can be replayed. The primary
key makes two requests racing with the same code end with one winner.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.console.auth.models import UsedTotpStep

# Steps older than this many behind the newest are forgotten: the window is ±1 step.
STEPS_KEPT = 10


async def consume_step(session: AsyncSession, *, agent_id: int, step: int, now: datetime) -> bool:
    """Mark the step used; False if it (or a newer one) was used already."""
    newest = await session.scalar(
        select(func.max(UsedTotpStep.time_step)).where(UsedTotpStep.agent_id == agent_id)
    )
    if newest is not None and step <= newest:
        return False
    values = {"agent_id": agent_id, "time_step": step, "used_at": now}
    inserted = await session.scalar(_insert_once(session, values).returning(UsedTotpStep.time_step))
    if inserted is None:  # the same step, used by a request that got there first
        return False
    await session.execute(
        delete(UsedTotpStep).where(
            UsedTotpStep.agent_id == agent_id, UsedTotpStep.time_step < step - STEPS_KEPT
        )
    )
    return True


def _insert_once(session: AsyncSession, values: dict[str, Any]) -> Any:
    # ON CONFLICT DO NOTHING rather than catching IntegrityError: a failed statement would abort
    # the caller's transaction on PostgreSQL.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(UsedTotpStep).values(**values).on_conflict_do_nothing()
    return sqlite.insert(UsedTotpStep).values(**values).on_conflict_do_nothing()

"""The handoff service's periodic pass, started with the service and cancelled when it stops.

Every HANDOFF_BACKGROUND_INTERVAL_SECONDS it:
- evaluates the SLAs: records each breach once, escalates, alerts the consoles (handoff/sla);
- auto-assigns waiting handoffs to free online agents (after a reply, a resolution or an agent
  coming back frees a place, nothing else would);
- reconciles the Redis copy of the queues with SQL (handoff/queue/fast_path.py);
- retries telling the gateway about resolved handoffs it has not heard of (handoff/handback);
- deletes ended console sessions.
Every copy of the service runs it; each step is safe to run from several processes at once.
A step that fails is logged (its error's type, never its text: SQL errors can quote data) and the
pass goes on to the next step; the next pass tries again.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from handoff.console.auth.runtime import ConsoleAuth
from handoff.console.auth.sessions import purge_expired
from handoff.handback.service import retry_pending
from handoff.queue.fast_path import FastPath
from handoff.queue.routing import auto_assign
from handoff.runtime import HandoffRuntime
from handoff.sla.evaluator import Breach, evaluate_sla

logger = logging.getLogger(__name__)


@dataclass
class PassReport:
    breaches: list[Breach]
    assigned: int
    refiled: int
    dropped: int
    handed_back: int
    failed_steps: list[str]


async def run_pass(
    runtime: HandoffRuntime, *, auth: ConsoleAuth | None = None, now: datetime | None = None
) -> PassReport:
    now = now or runtime.now()
    report = PassReport(
        breaches=[], assigned=0, refiled=0, dropped=0, handed_back=0, failed_steps=[]
    )

    async def sla() -> None:
        report.breaches = await evaluate_sla(
            runtime.sessions, runtime.redis, policy=runtime.policy, hours=runtime.hours, now=now
        )

    async def assign() -> None:
        report.assigned = len(await auto_assign(runtime.sessions, runtime.redis, now=now))

    async def reconcile() -> None:
        report.refiled, report.dropped = await FastPath(runtime.redis).reconcile(runtime.sessions)

    async def hand_back() -> None:
        report.handed_back = await retry_pending(
            runtime.sessions,
            runtime.gateway,
            retry_for=timedelta(hours=runtime.settings.handoff_handback_retry_hours),
            now=now,
        )

    async def purge_sessions() -> None:
        if auth is None:
            return
        async with runtime.sessions() as db, db.begin():
            await purge_expired(db, policy=auth.policy, now=auth.now())

    steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("sla", sla),
        ("auto_assign", assign),
        ("reconcile", reconcile),
        ("hand_back", hand_back),
        ("purge_sessions", purge_sessions),
    ]
    for name, step in steps:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # one failing step must not stop the others
            report.failed_steps.append(name)
            logger.warning(
                "background step failed", extra={"step": name, "error": type(error).__name__}
            )
    return report


async def keep_running(
    runtime: HandoffRuntime, *, interval_seconds: float, auth: ConsoleAuth | None = None
) -> None:
    """Run a pass every `interval_seconds` until cancelled (the service stopping). The first
    comes one interval after the start, once the service answers."""
    while True:
        await asyncio.sleep(interval_seconds)
        await run_pass(runtime, auth=auth)

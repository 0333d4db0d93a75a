"""arq worker settings: `arq worker.main.WorkerSettings`.

Jobs live in modules of their own beside this one and are listed in `functions`/`cron_jobs`.
"""

import logging
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
from arq import cron
from arq.connections import RedisSettings

from common.logging import configure_logging
from worker.reminders.cadence import reminder_cadence
from worker.reminders.gateway import GatewayMessages
from worker.reminders.insurer import InsurerReminders
from worker.reminders.job import send_due_reminders
from worker.settings import WorkerServiceSettings

settings = WorkerServiceSettings()
logger = logging.getLogger(__name__)

REMINDER_MINUTES = set(range(0, 60, 10))


async def ping(_ctx: dict[str, Any]) -> str:
    """Answer "pong": `make run` and the tests enqueue it to see that jobs really get done."""
    return "pong"


async def payment_reminders(ctx: dict[str, Any]) -> dict[str, int]:
    if "insurer" not in ctx:
        return {}
    return await send_due_reminders(
        insurer=ctx["insurer"], gateway=ctx["gateway"], now=datetime.now(UTC)
    )


async def startup(ctx: dict[str, Any]) -> None:
    configure_logging("worker", settings.log_level)
    # A broken cadence.yml stops the worker here, naming what is wrong.
    reminder_cadence()
    insurer_key = settings.insurer_api_key.get_secret_value()
    gateway_token = settings.gateway_api_token.get_secret_value()
    if not (insurer_key and gateway_token):
        logger.warning(
            "payment reminders off: INSURER_API_KEY and GATEWAY_API_TOKEN are not both set"
        )
        return
    timeout = settings.worker_http_timeout_seconds
    ctx["insurer_http"] = httpx.AsyncClient(
        base_url=settings.insurer_api_url, headers={"X-API-Key": insurer_key}, timeout=timeout
    )
    ctx["gateway_http"] = httpx.AsyncClient(
        base_url=settings.gateway_url,
        headers={"Authorization": f"Bearer {gateway_token}"},
        timeout=timeout,
    )
    ctx["insurer"] = InsurerReminders(ctx["insurer_http"])
    ctx["gateway"] = GatewayMessages(ctx["gateway_http"])


async def shutdown(ctx: dict[str, Any]) -> None:
    for name in ("insurer_http", "gateway_http"):
        if name in ctx:
            await ctx[name].aclose()


class WorkerSettings:
    functions: ClassVar = [ping]
    # Every 10 minutes; `unique` keeps two workers from running the same pass (the claims would
    # keep them from sending twice anyway).
    cron_jobs: ClassVar = [cron(payment_reminders, minute=REMINDER_MINUTES, unique=True)]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    # The worker writes a heartbeat key this often; `arq --check` reads it.
    health_check_interval = 10

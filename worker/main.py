"""arq worker settings: `arq worker.main.WorkerSettings`.

Jobs live in modules of their own beside this one and are listed in `functions`/`cron_jobs`.
"""

from typing import Any, ClassVar

from arq.connections import RedisSettings

from common.logging import configure_logging
from common.settings import ServiceSettings
from worker.reminders.cadence import reminder_cadence

settings = ServiceSettings()


async def ping(_ctx: dict[str, Any]) -> str:
    """Answer "pong": `make run` and the tests enqueue it to see that jobs really get done."""
    return "pong"


async def startup(_ctx: dict[str, Any]) -> None:
    configure_logging("worker", settings.log_level)
    # A broken cadence.yml stops the worker here, naming what is wrong.
    reminder_cadence()


class WorkerSettings:
    functions: ClassVar = [ping]
    on_startup = startup
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    # The worker writes a heartbeat key this often; `arq --check` reads it.
    health_check_interval = 10

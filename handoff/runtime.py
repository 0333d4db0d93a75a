"""What the handoff service's routes share while it runs, built in main.py's lifespan and kept at
`app.state.runtime`. Routes take it as `RuntimeDep`."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import HTTPConnection

from handoff.console.canned import CannedResponses
from handoff.console.hub import ConsoleHub
from handoff.gateway_client import GatewayClient
from handoff.queue.hours import BusinessHours
from handoff.queue.sql import Sessions
from handoff.settings import HandoffSettings
from handoff.sla.policy import SlaPolicy


@dataclass(frozen=True)
class HandoffRuntime:
    settings: HandoffSettings
    engine: AsyncEngine
    sessions: Sessions
    redis: Redis
    policy: SlaPolicy
    hours: BusinessHours
    canned: CannedResponses
    gateway: GatewayClient
    hub: ConsoleHub
    # The service's time (the console's login clock too); tests move it instead of sleeping.
    clock: Callable[[], datetime]

    def now(self) -> datetime:
        return self.clock()


def handoff_runtime(connection: HTTPConnection) -> HandoffRuntime:
    runtime = getattr(connection.app.state, "runtime", None)
    if runtime is None:
        raise RuntimeError("the handoff service is not running (lifespan not started)")
    assert isinstance(runtime, HandoffRuntime)
    return runtime


RuntimeDep = Annotated[HandoffRuntime, Depends(handoff_runtime)]

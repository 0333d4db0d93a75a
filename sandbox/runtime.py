"""What the sandbox's routes share while it runs, built in main.py's lifespan and kept at
`app.state.runtime`. Routes take it as `RuntimeDep`, or `AuthorisedRuntime` on /v1."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from sandbox.rules import Rules
from sandbox.settings import SandboxSettings
from sandbox.sql import Sessions

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SandboxRuntime:
    settings: SandboxSettings
    sessions: Sessions
    rules: Rules
    # The service's time; tests fix it instead of waiting for a date.
    clock: Clock

    def now(self) -> datetime:
        return self.clock()


def sandbox_runtime(connection: HTTPConnection) -> SandboxRuntime:
    runtime = getattr(connection.app.state, "runtime", None)
    if runtime is None:
        raise RuntimeError("the sandbox is not running (lifespan not started)")
    assert isinstance(runtime, SandboxRuntime)
    return runtime


RuntimeDep = Annotated[SandboxRuntime, Depends(sandbox_runtime)]

"""The internal API's bearer token check (common/bearer.py), as the gateway's own API does it."""

from typing import Annotated

from fastapi import Depends, Header

from common.bearer import require_bearer
from handoff.runtime import HandoffRuntime, RuntimeDep


def authorised(runtime: RuntimeDep, authorization: Annotated[str, Header()] = "") -> HandoffRuntime:
    require_bearer(authorization, runtime.settings.api_token())
    return runtime


AuthorisedRuntime = Annotated[HandoffRuntime, Depends(authorised)]

"""The `X-API-Key` check of every /v1 route: constant-time comparison, and a 401 that says what
is wrong.

Checked twice on purpose: `ApiKeyGate` (ASGI middleware) answers before anything reads the body,
so a caller without the key learns nothing, not even that its JSON was malformed; the
`AuthorisedRuntime` dependency declares the key to OpenAPI (the "Authorize" button of /docs) and
keeps a route safe wherever it is mounted.
"""

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Security, status
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.runtime import RuntimeDep, SandboxRuntime

API_KEY_HEADER = "X-API-Key"
PROTECTED_PREFIX = "/v1/"

_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="The sandbox's SANDBOX_API_KEY (the action server sends INSURER_API_KEY).",
)


def key_problem(given: bytes | None, expected: str) -> str | None:
    """Why `given` is refused, or None when it is the key. Bytes: compare_digest refuses
    non-ASCII text, and a header may carry any byte."""
    if not given:
        return f"{API_KEY_HEADER} header missing"
    if not hmac.compare_digest(given, expected.encode()):
        return f"{API_KEY_HEADER} is not valid"
    return None


class ApiKeyGate:
    """Refuses /v1 requests without the key before the app sees them."""

    def __init__(self, app: ASGIApp, *, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope["path"]).startswith(PROTECTED_PREFIX):
            name = API_KEY_HEADER.lower().encode()
            given = next((value for key, value in scope["headers"] if key == name), None)
            problem = key_problem(given, self.api_key)
            if problem is not None:
                await JSONResponse({"detail": problem}, status.HTTP_401_UNAUTHORIZED)(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)


def authorised(
    runtime: RuntimeDep, given: Annotated[str | None, Security(_api_key_header)]
) -> SandboxRuntime:
    problem = key_problem(given.encode() if given else None, runtime.settings.api_key())
    if problem is not None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=problem)
    return runtime


AuthorisedRuntime = Annotated[SandboxRuntime, Depends(authorised)]

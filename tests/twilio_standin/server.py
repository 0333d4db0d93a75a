"""Running the stand-in next to a test, and steering it through its control API.

`StandinServer` serves the app from a background thread with its own event loop, so it works
the same from synchronous code, from any test's event loop, and across tests sharing one server.
`StandinControl` is the async client for the /_standin/ routes.
"""

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import httpx
import uvicorn

from tests.twilio_standin.app import CallbackMode, create_app

HOST = "127.0.0.1"


class StandinServer:
    """The stand-in on a local port (a free one when port is 0), healthy once entered.

    Use it as `with StandinServer(...) as server:` or `async with`; `server.base_url` is what
    `twilio_client(base_url=...)` and `StandinControl` take.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        port: int = 0,
        *,
        latency_ms: int = 0,
        callback_mode: CallbackMode = "read",
        callback_delay_ms: int = 20,
        startup_timeout_seconds: float = 10.0,
    ) -> None:
        self.app = create_app(
            account_sid,
            auth_token,
            latency_ms=latency_ms,
            callback_mode=callback_mode,
            callback_delay_ms=callback_delay_ms,
        )
        self._requested_port = port
        self._startup_timeout = startup_timeout_seconds
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the stand-in is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "StandinServer":
        # Binding here, not in uvicorn, is what makes the free port known before the thread runs.
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((HOST, self._requested_port))
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"twilio-standin-{self.port}",
            daemon=True,
        )
        self._thread.start()
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        while time.monotonic() < deadline:
            assert self._thread is not None
            if not self._thread.is_alive():
                raise RuntimeError("the Twilio stand-in stopped while starting")
            try:
                if (
                    httpx.get(
                        f"{self.base_url}/_standin/health", timeout=1, trust_env=False
                    ).status_code
                    == 200
                ):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"the Twilio stand-in was not healthy within {self._startup_timeout}s")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def control(self) -> "StandinControl":
        return StandinControl(self.base_url)

    def __enter__(self) -> "StandinServer":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> "StandinServer":
        # Starting blocks on the health check; off the caller's loop it blocks nobody.
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)


class StandinControl:
    """Async client for the stand-in's /_standin/ routes; close it, or use `async with`."""

    def __init__(self, base_url: str, *, timeout_seconds: float = 10.0) -> None:
        self._http = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/_standin",
            timeout=timeout_seconds,
            trust_env=False,  # the stand-in is local; an environment proxy must not intercept
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "StandinControl":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._http.request(method, path, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    async def health(self) -> dict[str, Any]:
        health: dict[str, Any] = await self._call("GET", "/health")
        return health

    async def messages(self) -> list[dict[str, Any]]:
        """Accepted creates in order: fields as sent, sid, status and status history."""
        messages: list[dict[str, Any]] = await self._call("GET", "/messages")
        return messages

    async def reset(self) -> None:
        """Forget messages, pending and served failures, callbacks and media; settings stay."""
        await self._call("DELETE", "/messages")

    async def fail_next(self, status: int = 500, count: int = 1, code: int | None = None) -> None:
        """The next `count` creates answer `status` with Twilio's error JSON (code by default)."""
        await self._call("POST", "/failures", json={"status": status, "count": count, "code": code})

    async def failures(self) -> dict[str, Any]:
        """{"pending": how many are still to come, "served": the creates refused so far}."""
        failures: dict[str, Any] = await self._call("GET", "/failures")
        return failures

    async def set_latency(self, ms: int) -> None:
        await self._call("POST", "/latency", json={"ms": ms})

    async def set_callbacks(
        self,
        mode: CallbackMode = "read",
        error_code: int | None = None,
        delay_ms: int | None = None,
    ) -> dict[str, Any]:
        """How messages accepted from now on progress; `delay_ms` None keeps the current delay."""
        body = {"mode": mode, "error_code": error_code, "delay_ms": delay_ms}
        settings: dict[str, Any] = await self._call("POST", "/callbacks", json=body)
        return settings

    async def upload_media(
        self, data: bytes, content_type: str, message_sid: str | None = None
    ) -> dict[str, Any]:
        """Host bytes as Twilio hosts a member's media: {"url", "content_type", "size", ...}."""
        params = {"message_sid": message_sid} if message_sid else None
        media: dict[str, Any] = await self._call(
            "POST", "/media", content=data, headers={"Content-Type": content_type}, params=params
        )
        return media

    async def callbacks(self) -> list[dict[str, Any]]:
        """Status callbacks sent: url, params, signature, status_code answered or error."""
        callbacks: list[dict[str, Any]] = await self._call("GET", "/callbacks")
        return callbacks

    async def wait_for_messages(
        self, count: int, timeout_seconds: float = 5.0
    ) -> list[dict[str, Any]]:
        return await self._wait_for(self.messages, count, timeout_seconds, "messages")

    async def wait_for_callbacks(
        self, count: int, timeout_seconds: float = 5.0
    ) -> list[dict[str, Any]]:
        return await self._wait_for(self.callbacks, count, timeout_seconds, "callbacks")

    async def _wait_for(
        self,
        read: Callable[[], Awaitable[list[dict[str, Any]]]],
        count: int,
        timeout_seconds: float,
        what: str,
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_seconds
        while True:
            found = await read()
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(f"expected {count} {what} at the stand-in, saw {len(found)}")
            await asyncio.sleep(0.02)

"""`WS /console/ws`: live events for one agent's console (fanout.py says which).

The handshake needs a fully logged-in session and the console's Origin (WebSocketAgent). The
socket then only sends: small JSON events after which the page refetches what it shows. While
it is open the session is re-checked every HANDOFF_WS_SESSION_CHECK_SECONDS, without counting
as activity (an open tab must not keep a session alive), and the socket closes (1008) once the
session has ended: logout, expiry, deactivation.
"""

import asyncio
import contextlib
import logging

from fastapi import APIRouter, WebSocket, status

from handoff.console.auth import sessions as auth_sessions
from handoff.console.auth.dependencies import WebSocketAgent
from handoff.console.auth.runtime import auth_services
from handoff.console.hub import Listener
from handoff.runtime import handoff_runtime

logger = logging.getLogger(__name__)

router = APIRouter()


@router.websocket("/console/ws")
async def console_events(websocket: WebSocket, agent: WebSocketAgent) -> None:
    runtime = handoff_runtime(websocket)
    # Listening starts before the handshake completes: an event published right after the page
    # sees the socket open reaches it.
    with runtime.hub.listen(agent) as listener:
        await websocket.accept()
        watcher = asyncio.create_task(
            _until_session_ends(websocket, runtime.settings.handoff_ws_session_check_seconds)
        )
        tasks = [
            asyncio.create_task(_forward(websocket, listener)),
            asyncio.create_task(_until_closed(websocket)),
            watcher,
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            # Whatever ended the others (a closed socket, a failed send) is why we stop, not news.
            await asyncio.gather(*tasks, return_exceptions=True)
        if watcher.done() and not watcher.cancelled():
            ended = watcher.exception() is None
            with contextlib.suppress(Exception):  # the page may be gone already
                await websocket.close(
                    status.WS_1008_POLICY_VIOLATION if ended else status.WS_1011_INTERNAL_ERROR,
                    reason="session ended" if ended else "try again",
                )


async def _forward(websocket: WebSocket, listener: Listener) -> None:
    while True:
        event = await listener.inbox.get()
        await websocket.send_json(event)


async def _until_closed(websocket: WebSocket) -> None:
    """The page sends nothing; reading is how a closed socket is noticed."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


async def _until_session_ends(websocket: WebSocket, every_seconds: float) -> None:
    """Returns once the login session behind the socket has ended."""
    services = auth_services(websocket)
    token = websocket.cookies.get(services.auth.cookie_name) or ""
    while True:
        await asyncio.sleep(every_seconds)
        async with services.sessions() as db:
            found = await auth_sessions.find(db, token)
        if found is None:
            return
        row, agent = found
        if not agent.active or auth_sessions.has_expired(
            row, policy=services.auth.policy, now=services.auth.now()
        ):
            return

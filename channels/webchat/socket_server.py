"""The socket.io server rasa-webchat talks to, speaking the protocol of Rasa's `socketio` channel.

`session_request {session_id}` → `session_confirm <session_id>`: the widget stores the id, so
sending it back after a reload resumes the same conversation. Each socket joins a room named after
its session, and replies go to that room, reaching every tab of the conversation.
`user_uttered {message, session_id, customData}` → the message is stored and queued; the turn
processor answers with `bot_uttered` messages to the session's room (channels/webchat/adapter.py).
With Redis as socket.io's message queue, whichever gateway process answers reaches the socket.
"""

import json
import logging
import uuid
from typing import Any, TypeGuard

import socketio
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from channels import store
from channels.models import CONVERSATION_ID_MAX, Channel, MessageStatus
from channels.runtime import RuntimeHolder
from channels.settings import GatewaySettings
from channels.validation import json_problem, text_problem
from channels.webchat import texts

logger = logging.getLogger(__name__)

SESSION_KEY = "session_id"


def create_socket_server(
    *, settings: GatewaySettings, runtime: RuntimeHolder
) -> socketio.AsyncServer:
    sio = socketio.AsyncServer(
        async_mode="asgi",
        client_manager=socketio.AsyncRedisManager(settings.redis_url),
        # None means "same origin only": the page the gateway serves itself.
        cors_allowed_origins=settings.webchat_allowed_origins or None,
        max_http_buffer_size=settings.max_body_bytes,
    )

    async def say(session_id: str, text: str) -> None:
        await sio.emit("bot_uttered", {"text": text}, room=session_id)

    @sio.on("session_request")
    async def session_request(sid: str, data: Any) -> None:
        requested = data.get(SESSION_KEY) if isinstance(data, dict) else None
        resumed = _is_session_id(requested)
        session_id = requested if _is_session_id(requested) else uuid.uuid4().hex
        await _join(sio, sid, session_id)
        # A bare string, as Rasa sends it; the widget accepts that or {session_id}.
        await sio.emit("session_confirm", session_id, room=sid)
        logger.info("webchat session confirmed", extra={"resumed": resumed})

    @sio.on("user_uttered")
    async def user_uttered(sid: str, data: Any) -> None:
        if not isinstance(data, dict):
            logger.info("webchat message ignored", extra={"reason": "not an object"})
            return
        session_id = await _session_of(sio, sid, data)
        if session_id is None:
            logger.info("webchat message ignored", extra={"reason": "no session"})
            return
        text = data.get("message")
        if not isinstance(text, str) or not text.strip():
            # The widget sends its initPayload on first open, null when none is configured.
            logger.info("webchat message ignored", extra={"reason": "empty"})
            return
        if text_problem(text):
            logger.info("webchat message refused", extra={"reason": "not storable"})
            await say(session_id, texts.MESSAGE_NOT_KEPT)
            return
        limit = settings.max_message_chars
        if len(text) > limit:
            logger.info("webchat message refused", extra={"reason": "too long"})
            await say(session_id, texts.MESSAGE_TOO_LONG.format(limit=limit))
            return

        current = runtime.get()
        try:
            message_id = await store.record_inbound(
                current.sessions,
                conversation_id=session_id,
                channel=Channel.WEBCHAT,
                text=text,
                metadata=_metadata(data),
                status=MessageStatus.QUEUED,
            )
        except (SQLAlchemyError, OSError):
            logger.exception("webchat message not stored")
            await say(session_id, texts.MESSAGE_NOT_KEPT)
            return
        try:
            await current.queue.notify(session_id)
        except RedisError:
            # Stored, so not lost: recovery finds it in SQL within seconds.
            logger.warning("webchat message queued for recovery", extra={"message_id": message_id})

    return sio


def _is_session_id(value: object) -> TypeGuard[str]:
    return (
        isinstance(value, str)
        and 0 < len(value) <= CONVERSATION_ID_MAX
        and bool(value.strip())
        and text_problem(value) is None
    )


async def _join(sio: socketio.AsyncServer, sid: str, session_id: str) -> None:
    session = await sio.get_session(sid)
    previous = session.get(SESSION_KEY)
    if previous and previous != session_id:
        await sio.leave_room(sid, previous)
    session[SESSION_KEY] = session_id
    await sio.save_session(sid, session)
    await sio.enter_room(sid, session_id)


async def _session_of(sio: socketio.AsyncServer, sid: str, data: dict[str, Any]) -> str | None:
    """The session this socket confirmed; else the one the message names, joined on the fly."""
    confirmed: str | None = (await sio.get_session(sid)).get(SESSION_KEY)
    if confirmed:
        return confirmed
    named = data.get(SESSION_KEY)
    if not _is_session_id(named):
        return None
    await _join(sio, sid, named)
    return named


def _metadata(data: dict[str, Any]) -> dict[str, Any] | None:
    # rasa-webchat sends `customData`; other clients of Rasa's socketio channel send `metadata`,
    # sometimes as a JSON string.
    metadata = data.get("customData", data.get("metadata"))
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return None
    if not isinstance(metadata, dict) or json_problem(metadata):
        # Context only: a message is worth more than metadata that cannot be stored.
        return None
    return metadata

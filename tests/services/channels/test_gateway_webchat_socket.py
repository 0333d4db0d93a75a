"""The web chat's socket.io side, through a real server, as the rasa-webchat widget uses it."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import socketio

WAIT_SECONDS = 10


class Widget:
    """A socket.io client doing what rasa-webchat does, keeping what the server sends it."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirms: asyncio.Queue[Any] = asyncio.Queue()
        self.bot: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sio.on("session_confirm", self.confirms.put_nowait)
        self.sio.on("bot_uttered", self.bot.put_nowait)

    async def connect(self, url: str) -> None:
        # Default transports, as socket.io-client v3 does: long-polling, then websocket upgrade.
        await self.sio.connect(url, socketio_path="/socket.io/", wait_timeout=WAIT_SECONDS)

    async def request_session(self, session_id: Any) -> Any:
        await self.sio.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirms.get(), WAIT_SECONDS)

    async def say(self, session_id: str, message: Any, custom_data: Any = None) -> None:
        await self.sio.emit(
            "user_uttered",
            {"message": message, "customData": custom_data or {}, "session_id": session_id},
        )

    async def next_bot_message(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.bot.get(), WAIT_SECONDS)


@pytest.fixture
async def widgets(gateway_url: str) -> AsyncIterator[Callable[[], Any]]:
    opened: list[Widget] = []

    async def open_widget() -> Widget:
        widget = Widget()
        await widget.connect(gateway_url)
        opened.append(widget)
        return widget

    yield open_widget
    for widget in opened:
        await widget.sio.disconnect()


async def test_new_visitor_gets_a_fresh_session_id(widgets: Any) -> None:
    widget = await widgets()

    first = await widget.request_session(None)
    other = await (await widgets()).request_session(None)

    assert isinstance(first, str)
    assert len(first) == 32
    int(first, 16)
    assert other != first


async def test_reloaded_page_resumes_its_session(widgets: Any) -> None:
    session_id = await (await widgets()).request_session(None)

    # A reload is a new socket sending the id the widget kept in localStorage.
    reloaded = await widgets()

    assert await reloaded.request_session(session_id) == session_id


@pytest.mark.parametrize("bad", ["", "   ", "x" * 129, 42, ["a"], "a\u0000b"])
async def test_unusable_session_id_gets_a_new_one(widgets: Any, bad: Any) -> None:
    confirmed = await (await widgets()).request_session(bad)

    assert isinstance(confirmed, str)
    assert confirmed != bad
    assert len(confirmed) == 32


async def test_rasa_down_gets_a_kind_answer_and_the_message_waits_for_the_bot(
    widgets: Any, stored: Any
) -> None:
    widget = await widgets()
    session_id = await widget.request_session(None)

    await widget.say(session_id, "oi, preciso de ajuda 😟", {"language": "pt"})
    answer = await widget.next_bot_message()

    assert set(answer) == {"text"}
    assert "Recebi sua mensagem" in answer["text"]
    assert "Recibí tu mensaje" in answer["text"]
    kept = await stored(session_id)
    # The outbox marks the notice sent just after emitting it.
    for _ in range(50):
        if kept.messages[-1].status == "sent":
            break
        await asyncio.sleep(0.1)
        kept = await stored(session_id)
    assert kept.conversation is not None
    assert kept.conversation.channel == "webchat"
    message, notice = kept.messages
    # Still queued: it is answered when the bot is back (tests/e2e restart Rasa to see it).
    assert (message.direction, message.status, message.error) == ("in", "queued", "bot_unavailable")
    assert message.attempts == 1
    assert message.next_attempt_at is not None
    assert message.text == "oi, preciso de ajuda 😟"
    assert message.meta == {"language": "pt"}
    assert (notice.direction, notice.status) == ("out", "sent")


async def test_every_tab_of_the_conversation_sees_the_answer(widgets: Any) -> None:
    first_tab = await widgets()
    session_id = await first_tab.request_session(None)
    second_tab = await widgets()
    await second_tab.request_session(session_id)
    stranger = await widgets()
    await stranger.request_session(None)

    await first_tab.say(session_id, "oi")

    assert "Recebi sua mensagem" in (await first_tab.next_bot_message())["text"]
    assert "Recebi sua mensagem" in (await second_tab.next_bot_message())["text"]
    await asyncio.sleep(0.3)
    assert stranger.bot.empty()


async def test_empty_init_payload_is_ignored(widgets: Any, stored: Any) -> None:
    widget = await widgets()
    session_id = await widget.request_session(None)

    # With no initPayload configured, the widget sends `message: null` when it first opens.
    await widget.say(session_id, None)
    await widget.say(session_id, "   ")
    await widget.say(session_id, "oi")
    await widget.next_bot_message()

    inbound = [m.text for m in (await stored(session_id)).messages if m.direction == "in"]
    assert inbound == ["oi"]
    await asyncio.sleep(0.3)
    assert widget.bot.empty()


async def test_too_long_message_gets_a_kind_answer_and_is_not_stored(
    widgets: Any, stored: Any
) -> None:
    widget = await widgets()
    session_id = await widget.request_session(None)

    await widget.say(session_id, "a" * 4097)
    answer = await widget.next_bot_message()

    assert "longa demais" in answer["text"]
    assert "demasiado largo" in answer["text"]
    assert "4096" in answer["text"]
    assert (await stored(session_id)).messages == []


async def test_message_without_session_request_still_reaches_its_session(
    widgets: Any, stored: Any
) -> None:
    widget = await widgets()
    session_id = uuid.uuid4().hex

    await widget.say(session_id, "mensagem antes da confirmação")

    assert "Recebi sua mensagem" in (await widget.next_bot_message())["text"]
    assert [m.direction for m in (await stored(session_id)).messages] == ["in", "out"]


async def test_page_from_another_site_cannot_open_the_chat_socket(gateway_url: str) -> None:
    intruder = socketio.AsyncClient(reconnection=False)

    with pytest.raises(socketio.exceptions.ConnectionError):
        await intruder.connect(
            gateway_url,
            socketio_path="/socket.io/",
            headers={"Origin": "https://evil.example"},
            wait_timeout=WAIT_SECONDS,
        )

"""The web chat on the durable path: replies go to the session's socket.io room.

With Redis as socket.io's message queue, any gateway process can answer a member whose socket
is held by another.
"""

import socketio

from channels.models import Conversation, Message
from channels.outbox import Outcome, Sent
from channels.processor import Option, Turn
from channels.rasa_client import RasaReply
from channels.store import Outbound
from channels.webchat import texts
from channels.webchat.outgoing import bot_uttered_messages


class WebchatSender:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self._sio = sio

    async def send(self, conversation: Conversation, message: Message) -> Outcome:
        await self._sio.emit("bot_uttered", message.payload or {}, room=conversation.id)
        return Sent()


class WebchatAdapter:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sender = WebchatSender(sio)

    async def prepare(self, conversation: Conversation, message: Message) -> Turn:
        return Turn(text=message.text or "", metadata=message.meta)

    def format(self, replies: list[RasaReply]) -> tuple[list[Outbound], list[Option]]:
        outbound = [
            Outbound(
                text=item.get("text") if isinstance(item.get("text"), str) else None, payload=item
            )
            for reply in replies
            for item in bot_uttered_messages(reply)
        ]
        return outbound, []

    def delay_notice(self, conversation: Conversation) -> Outbound | None:
        return self.notice(texts.BOT_DELAYED)

    def notice(self, text: str) -> Outbound:
        return Outbound(text=text, payload={"text": text})

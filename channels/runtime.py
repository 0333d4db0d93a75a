"""What the app's lifespan opens once and every channel shares: database, Redis, the bot client,
the queue, and the WhatsApp channel when it is configured."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from twilio.rest import Client

from channels.outbox import Outbox
from channels.rasa_client import RasaClient
from channels.settings import GatewaySettings
from channels.store import Sessions
from channels.turn_queue import TurnQueue
from channels.whatsapp.contacts import ContactVault
from channels.whatsapp.templates import Templates


@dataclass(frozen=True)
class WhatsApp:
    auth_token: str
    vault: ContactVault
    client: Client
    templates: Templates


@dataclass(frozen=True)
class Runtime:
    settings: GatewaySettings
    engine: AsyncEngine
    sessions: Sessions
    redis: Redis
    rasa: RasaClient
    queue: TurnQueue
    outbox: Outbox
    whatsapp: WhatsApp | None


class RuntimeHolder:
    """Lets the socket.io server, built before the lifespan runs, reach what the lifespan opens."""

    def __init__(self) -> None:
        self._runtime: Runtime | None = None

    def set(self, runtime: Runtime | None) -> None:
        self._runtime = runtime

    def get(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the gateway is not started: its lifespan has not run")
        return self._runtime


def get_runtime(request: Request) -> Runtime:
    holder: RuntimeHolder = request.app.state.runtime
    return holder.get()


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

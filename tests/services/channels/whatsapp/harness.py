"""A WhatsApp member and an operator, against a real gateway and the Twilio stand-in.

The member posts signed webhooks the way Twilio does and reads what Twilio was asked to send them;
the operator uses the outbound API with its bearer token; `Database` reads and changes the rows
the gateway keeps, with its own engine.
"""

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.models import (
    ConsentEvent,
    Conversation,
    DeliveryEvent,
    MediaFile,
    Message,
    utc_now,
)
from channels.settings import GatewaySettings
from channels.whatsapp.contacts import ContactVault
from common.db import create_engine, session_factory
from tests.twilio_standin import StandinControl, inbound_message_params, signature
from tests.twilio_standin.webhooks import post_inbound

ACCOUNT_SID = "AC" + secrets.token_hex(16)
AUTH_TOKEN = secrets.token_hex(16)
BUSINESS_NUMBER = "+551130030000"
WHATSAPP_FROM = f"whatsapp:{BUSINESS_NUMBER}"
API_TOKEN = secrets.token_urlsafe(24)

WEBHOOK_PATH = "/webhooks/whatsapp"
STATUS_PATH = "/webhooks/whatsapp/status"
WAIT_SECONDS = 5.0

T = TypeVar("T")


async def eventually(
    check: Callable[[], Awaitable[T]], *, timeout: float = WAIT_SECONDS, what: str = ""
) -> T:
    """Poll `check` until it returns something truthy without failing an assertion."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = await check()
        except AssertionError:
            if time.monotonic() >= deadline:
                raise
        else:
            if result:
                return result
            if time.monotonic() >= deadline:
                raise AssertionError(f"not within {timeout}s: {what or check}; last: {result!r}")
        await asyncio.sleep(0.02)


class Database:
    """The gateway's tables, read and changed behind its back."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.engine: AsyncEngine = create_engine(database_url)
        self.sessions = session_factory(self.engine)

    async def dispose(self) -> None:
        await self.engine.dispose()

    async def conversation(self, conversation_id: str) -> Conversation | None:
        async with self.sessions() as session:
            return await session.get(Conversation, conversation_id)

    async def message(self, message_id: int) -> Message:
        async with self.sessions() as session:
            message = await session.get(Message, message_id)
            assert message is not None, f"no message {message_id}"
            return message

    async def messages(self, conversation_id: str, direction: str | None = None) -> list[Message]:
        conditions = [Message.conversation_id == conversation_id]
        if direction is not None:
            conditions.append(Message.direction == direction)
        async with self.sessions() as session:
            found = await session.scalars(select(Message).where(*conditions).order_by(Message.id))
            return list(found)

    async def all_messages(self) -> list[Message]:
        async with self.sessions() as session:
            return list(await session.scalars(select(Message).order_by(Message.id)))

    async def conversations(self) -> list[Conversation]:
        async with self.sessions() as session:
            return list(await session.scalars(select(Conversation)))

    async def consent_events(self, conversation_id: str) -> list[ConsentEvent]:
        async with self.sessions() as session:
            found = await session.scalars(
                select(ConsentEvent)
                .where(ConsentEvent.conversation_id == conversation_id)
                .order_by(ConsentEvent.id)
            )
            return list(found)

    async def media_files(self, conversation_id: str) -> list[MediaFile]:
        async with self.sessions() as session:
            found = await session.scalars(
                select(MediaFile)
                .where(MediaFile.conversation_id == conversation_id)
                .order_by(MediaFile.created_at)
            )
            return list(found)

    async def delivery_events(self, message_id: int) -> list[DeliveryEvent]:
        async with self.sessions() as session:
            found = await session.scalars(
                select(DeliveryEvent)
                .where(DeliveryEvent.message_id == message_id)
                .order_by(DeliveryEvent.id)
            )
            return list(found)

    async def add(self, *rows: Any) -> None:
        async with self.sessions() as session, session.begin():
            session.add_all(rows)

    async def update_conversation(self, conversation_id: str, **values: Any) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(**values)
            )

    async def raw_rows(self, table: str) -> list[tuple[Any, ...]]:
        async with self.engine.connect() as connection:
            result = await connection.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
            return [tuple(row) for row in result]


@dataclass
class Member:
    """Someone writing to the insurer on WhatsApp, as Twilio carries them."""

    gateway: "Gateway"
    phone: str
    address: str = field(init=False)
    conversation_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.address = f"whatsapp:{self.phone}"
        self.conversation_id = self.gateway.vault.conversation_id(self.phone)

    def params(self, body: str = "", **fields: Any) -> dict[str, str]:
        return inbound_message_params(
            from_phone=self.phone, to=WHATSAPP_FROM, body=body, account_sid=ACCOUNT_SID, **fields
        )

    async def deliver(self, params: dict[str, str], signed: bool = True) -> httpx.Response:
        """POST the webhook as Twilio does, signed for the URL it is sent to."""
        return await post_inbound(self.gateway.http, WEBHOOK_PATH, params, AUTH_TOKEN, signed)

    async def say(self, body: str = "", **fields: Any) -> dict[str, str]:
        params = self.params(body, **fields)
        response = await self.deliver(params)
        assert response.status_code == 200, response.text
        return params

    async def received(self) -> list[dict[str, Any]]:
        """What Twilio was asked to send this member, in order."""
        return [m for m in await self.gateway.twilio.messages() if m["to"] == self.address]

    async def wait_for(self, count: int, timeout: float = WAIT_SECONDS) -> list[dict[str, Any]]:
        async def enough() -> list[dict[str, Any]]:
            received = await self.received()
            return received if len(received) >= count else []

        return await eventually(enough, timeout=timeout, what=f"{count} messages to {self.phone}")

    async def bodies(self) -> list[str]:
        return [message["body"] for message in await self.received()]

    async def inbound(self) -> list[Message]:
        return await self.gateway.db.messages(self.conversation_id, direction="in")

    async def outbound(self) -> list[Message]:
        return await self.gateway.db.messages(self.conversation_id, direction="out")

    async def conversation(self) -> Conversation:
        found = await self.gateway.db.conversation(self.conversation_id)
        assert found is not None, "no conversation for this member"
        return found


@dataclass
class Gateway:
    """A gateway served by uvicorn on 127.0.0.1, its settings, the stand-in and the tables."""

    url: str
    settings: GatewaySettings
    http: httpx.AsyncClient
    twilio: StandinControl
    db: Database

    @property
    def vault(self) -> ContactVault:
        return vault_of(self.settings)

    def member(self, phone: str | None = None) -> Member:
        """A member with the given number, or a new Brazilian mobile number."""
        return Member(self, phone or new_phone())

    async def send(
        self, conversation_id: str, body: dict[str, Any], token: str | None = API_TOKEN
    ) -> httpx.Response:
        """An operator (handoff, worker) sending through the outbound API."""
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return await self.http.post(
            f"/api/conversations/{conversation_id}/messages", json=body, headers=headers
        )

    async def report(self, message_id: int, token: str | None = API_TOKEN) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return await self.http.get(f"/api/messages/{message_id}", headers=headers)

    async def sent_one(self, conversation_id: str, body: dict[str, Any]) -> int:
        response = await self.send(conversation_id, body)
        assert response.status_code == 202, response.text
        (message_id,) = response.json()["message_ids"]
        return int(message_id)

    async def report_until(
        self, message_id: int, check: Callable[[dict[str, Any]], bool], what: str = ""
    ) -> dict[str, Any]:
        """GET /api/messages/{id} until its report satisfies `check`."""

        async def fetch() -> dict[str, Any] | None:
            response = await self.report(message_id)
            assert response.status_code == 200, response.text
            report: dict[str, Any] = response.json()
            return report if check(report) else None

        return await eventually(fetch, what=what or f"report of message {message_id}")

    async def post_status(
        self,
        params: dict[str, str],
        *,
        signed: bool = True,
        url: str | None = None,
        query: str = "",
    ) -> httpx.Response:
        """A status callback as Twilio posts it to the StatusCallback URL (path plus `query`)."""
        path = STATUS_PATH + query
        headers = {"User-Agent": "TwilioProxy/1.1"}
        if signed:
            headers["X-Twilio-Signature"] = signature(AUTH_TOKEN, url or self.url + path, params)
        return await self.http.post(path, data=params, headers=headers)


def vault_of(settings: GatewaySettings) -> ContactVault:
    """What the gateway pseudonymises and encrypts phone numbers with."""
    return ContactVault(
        pseudonym_key=settings.contact_pseudonym_key.get_secret_value(),
        encryption_key=settings.contact_encryption_key.get_secret_value(),
    )


def new_phone(country: str = "+55") -> str:
    """A mobile number nobody else in the test run has."""
    # A São Paulo mobile (11 9xxxx-xxxx) in Brazil; a 9-digit mobile elsewhere.
    start = "119" if country == "+55" else "6"
    return country + start + "".join(secrets.choice("0123456789") for _ in range(8))


def status_params(sid: str, to: str, status: str, error_code: str | None = None) -> dict[str, str]:
    """The form of one Twilio status callback for a WhatsApp message."""
    params = {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "ChannelPrefix": "whatsapp",
        "From": WHATSAPP_FROM,
        "MessageSid": sid,
        "MessageStatus": status,
        "SmsSid": sid,
        "SmsStatus": status,
        "To": to,
    }
    if error_code is not None:
        params["ErrorCode"] = error_code
    return params


async def member_in_conversation(gateway: Gateway, phone: str | None = None) -> Member:
    """A member who just wrote (the window is open) and got the bot's delay notice."""
    member = gateway.member(phone)
    await member.say("oi, alguém pode me ajudar?")
    await member.wait_for(1)
    return member


async def close_window(gateway: Gateway, member: Member) -> None:
    """The member last wrote 25 hours ago."""
    await gateway.db.update_conversation(
        member.conversation_id, last_member_message_at=utc_now() - timedelta(hours=25)
    )

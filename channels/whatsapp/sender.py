"""Sends one stored outbound message to WhatsApp through Twilio, or says why it must not go.

Payloads (made by formatting.py, the outbound API and the gateway's own texts):
`{"body": ...}`, `{"media_url": [...]}`, `{"template": name, "content_sid", "content_variables"}`,
and `"proactive": true` on what the member did not ask for (reminders, news).
"""

import asyncio
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from channels.models import Conversation, Message, MessageStatus, as_utc, utc_now
from channels.outbox import Outcome, Refused, Sent, TryLater
from channels.whatsapp.contacts import WHATSAPP_PREFIX, ContactVault

# WhatsApp lets a business answer freely for 24 hours after the member's last message.
SESSION_WINDOW = timedelta(hours=24)
STATUS_CALLBACK_PATH = "/webhooks/whatsapp/status"

OUTSIDE_WINDOW = "outside_24h_window"
OPTED_OUT = "opted_out"


def window_is_open(conversation: Conversation, now: datetime | None = None) -> bool:
    last = conversation.last_member_message_at
    return last is not None and (now or utc_now()) - as_utc(last) < SESSION_WINDOW


def refusal(conversation: Conversation, payload: dict[str, Any]) -> str | None:
    """Why this message may not go to this member now, or None when it may."""
    if payload.get("proactive") and conversation.opted_out_at is not None:
        return OPTED_OUT
    if "template" not in payload and not window_is_open(conversation):
        return OUTSIDE_WINDOW
    return None


class WhatsAppSender:
    def __init__(
        self, *, client: Client, vault: ContactVault, from_address: str, public_base_url: str
    ) -> None:
        self._client = client
        self._vault = vault
        self._from = from_address
        self._status_callback = public_base_url.rstrip("/") + STATUS_CALLBACK_PATH

    def phone_of(self, conversation: Conversation) -> str | None:
        """The member's number (E.164), decrypted; None when the gateway does not have it."""
        if conversation.address_encrypted is None:
            return None
        return self._vault.decrypt(conversation.address_encrypted)

    async def send(self, conversation: Conversation, message: Message) -> Outcome:
        payload = message.payload or {}
        refused = refusal(conversation, payload)
        if refused:
            return Refused(refused)
        phone = self.phone_of(conversation)
        if phone is None:
            return Refused("no_address")
        to = WHATSAPP_PREFIX + phone
        fields: dict[str, Any] = {"from_": self._from, "to": to}
        # Our id in the callback URL: a callback may arrive before Twilio's SID is stored.
        fields["status_callback"] = f"{self._status_callback}?message_id={message.id}"
        if "template" in payload:
            fields["content_sid"] = payload["content_sid"]
            fields["content_variables"] = payload["content_variables"]
        else:
            if payload.get("body"):
                fields["body"] = payload["body"]
            if payload.get("media_url"):
                fields["media_url"] = payload["media_url"]
        try:
            created = await self._client.messages.create_async(**fields)
        except TwilioRestException as error:
            code = str(error.code or error.status)
            if error.status >= 500 or error.status == 429:
                return TryLater(code)
            return Refused(code, status=MessageStatus.FAILED)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            return TryLater(type(error).__name__)
        return Sent(created.sid)

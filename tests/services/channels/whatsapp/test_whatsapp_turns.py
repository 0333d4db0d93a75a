"""What a stored WhatsApp message becomes for the bot (channels/whatsapp/adapter.py)."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.fernet import Fernet

from channels.models import Conversation, Message
from channels.processor import Turn
from channels.whatsapp.adapter import ATTACHMENT_INTENT, LOCATION_INTENT, WhatsAppAdapter
from channels.whatsapp.contacts import ContactVault
from channels.whatsapp.sender import WhatsAppSender

VAULT = ContactVault(pseudonym_key="test pseudonyms", encryption_key=Fernet.generate_key().decode())


def adapter() -> WhatsAppAdapter:
    # Only messages without files are prepared here: nothing reaches the database or Twilio.
    sender = WhatsAppSender(client=None, vault=VAULT, from_address="", public_base_url="")  # type: ignore[arg-type]
    return WhatsAppAdapter(sessions=None, sender=sender, media=None, twilio_auth=("", ""))  # type: ignore[arg-type]


async def prepared(text: str | None, meta: dict[str, Any], phone: str | None = None) -> Turn:
    message = Message(id=1, text=text, meta=meta, attempts=0)
    address = VAULT.encrypt(phone) if phone else None
    conversation = Conversation(id="wa-x", language="pt", address_encrypted=address)
    return await adapter().prepare(conversation, message)


async def bot_text(text: str | None, meta: dict[str, Any]) -> str | None:
    return (await prepared(text, meta)).text


async def test_the_members_number_goes_with_the_turn_for_the_identity_check() -> None:
    turn = await prepared("cadê meu reembolso?", {}, phone="+5511987654321")
    assert turn.phone == "+5511987654321"
    # Apart from the channel metadata: only the gateway sets it, under its own key.
    assert "+5511987654321" not in str(turn.metadata)


@pytest.mark.parametrize("typed", ["/affirm", " //request_human", "/report_emergency{}"])
async def test_a_member_typing_a_bot_command_is_read_as_words(typed: str) -> None:
    text = await bot_text(typed, {"channel": "whatsapp"})

    assert text is not None
    assert not text.startswith("/")


async def test_an_option_reaches_the_bot_as_its_payload() -> None:
    option = {"title": "Sim, por favor", "payload": "/affirm"}

    assert await bot_text("1", {"option": option}) == "/affirm"


async def test_a_location_without_words_is_its_own_intent() -> None:
    location = {"latitude": "-23.55", "longitude": "-46.63"}

    assert await bot_text(None, {"location": location}) == LOCATION_INTENT


def test_the_intents_the_gateway_sends_are_in_the_domain() -> None:
    intents = yaml.safe_load((Path(__file__).parents[4] / "domain.yml").read_text())["intents"]

    assert ATTACHMENT_INTENT.removeprefix("/") in intents
    assert LOCATION_INTENT.removeprefix("/") in intents

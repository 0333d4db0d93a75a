"""What a stored WhatsApp message becomes for the bot (channels/whatsapp/adapter.py)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from channels.models import Conversation, Message
from channels.whatsapp.adapter import ATTACHMENT_INTENT, LOCATION_INTENT, WhatsAppAdapter


def adapter() -> WhatsAppAdapter:
    # Only messages without files are prepared here: nothing reaches the database or Twilio.
    return WhatsAppAdapter(sessions=None, sender=None, media=None, twilio_auth=("", ""))  # type: ignore[arg-type]


async def bot_text(text: str | None, meta: dict[str, Any]) -> str | None:
    message = Message(id=1, text=text, meta=meta, attempts=0)
    turn = await adapter().prepare(Conversation(id="wa-x", language="pt"), message)
    return turn.text


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

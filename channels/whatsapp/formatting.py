"""Rasa's replies as WhatsApp messages, and a member's numbered answer back as the button it means.

WhatsApp through Twilio has no free-form buttons: they become a numbered list the member answers
with the number (or the option's own words), and the conversation remembers the list until the
next answer.
"""

import re
import unicodedata
from typing import Any

from channels.store import Outbound

# Twilio refuses WhatsApp bodies longer than this (error 21617).
BODY_LIMIT = 1600

Option = dict[str, str]


def whatsapp_messages(reply: dict[str, Any]) -> tuple[list[Outbound], list[Option]]:
    """One Rasa reply item as the WhatsApp messages to send, and the options it offers."""
    text: str = reply["text"] if isinstance(reply.get("text"), str) else ""
    options = [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in reply.get("buttons") or []
        if isinstance(button, dict) and button.get("title")
    ]
    if options:
        numbered = "\n".join(
            f"{number}. {option['title']}" for number, option in enumerate(options, 1)
        )
        text = f"{text}\n\n{numbered}" if text else numbered
    messages = [Outbound(text=part, payload={"body": part}) for part in split_text(text)]
    image = reply.get("image")
    if isinstance(image, str) and image:
        messages.append(Outbound(text=None, payload={"media_url": [image]}))
    return messages, options


def split_text(text: str, limit: int = BODY_LIMIT) -> list[str]:
    """Cut a text into parts Twilio accepts, at the gentlest boundary that fits: paragraph, line,
    sentence, word, and only for a word longer than the limit, anywhere."""
    text = text.strip()
    if not text:
        return []
    parts: list[str] = []
    while len(text) > limit:
        cut = _last_boundary(text[: limit + 1])
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return parts


def _last_boundary(window: str) -> int:
    for pattern in ("\n\n", "\n", ". ", "! ", "? ", " "):
        index = window.rfind(pattern)
        if index > 0:
            return index + len(pattern)
    return len(window) - 1


def chosen_option(text: str, options: list[Option] | None) -> Option | None:
    """The option a member's answer picks: its number ("2", "2.", "opção 2") or its title."""
    if not options:
        return None
    plain = _plain(text)
    number = re.fullmatch(r"(?:opcao|opcion|op|n|numero|#)?\s*(\d{1,2})\s*[.)º°]?", plain)
    if number:
        index = int(number.group(1)) - 1
        return options[index] if 0 <= index < len(options) else None
    for option in options:
        if _plain(option["title"]) == plain:
            return option
    return None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.strip(" \t\n.!¡?¿").split())

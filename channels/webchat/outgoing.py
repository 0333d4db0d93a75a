"""Turns Rasa's REST reply items into the `bot_uttered` messages rasa-webchat renders.

Mirrors Rasa 3.6's `OutputChannel.send_response` dispatch with `SocketIOOutput`'s formats, so the
widget sees exactly what it would see talking to Rasa's own socketio channel. The widget picks a
renderer by the exact set of keys (`{text}`, `{text, quick_replies}`, `{attachment}`), so no other
key (like `recipient_id`) may be added.
"""

from typing import Any

from channels.rasa_client import RasaReply

BotUttered = dict[str, Any]


def bot_uttered_messages(reply: RasaReply) -> list[BotUttered]:
    messages: list[BotUttered] = []
    text = reply.get("text")
    buttons = reply.get("quick_replies") or reply.get("buttons")
    if buttons:
        messages.extend(_text_with_quick_replies(text if isinstance(text, str) else "", buttons))
    elif isinstance(text, str) and text:
        messages.extend({"text": part} for part in _paragraphs(text))

    custom = reply.get("custom")
    if custom:
        # Rasa passes the custom dict as emit()'s keyword arguments, so only its `data` reaches
        # the widget; a custom payload without `data` is sent as it is rather than dropped.
        messages.append(custom["data"] if isinstance(custom, dict) and "data" in custom else custom)
    if reply.get("image"):
        messages.append({"attachment": {"type": "image", "payload": {"src": reply["image"]}}})
    if reply.get("attachment"):
        messages.append({"attachment": reply["attachment"]})
    for element in reply.get("elements") or []:
        messages.append(
            {
                "attachment": {
                    "type": "template",
                    "payload": {"template_type": "generic", "elements": element},
                }
            }
        )
    return messages


def _paragraphs(text: str) -> list[str]:
    # Rasa's socketio output sends each paragraph as its own bubble.
    return text.strip().split("\n\n")


def _text_with_quick_replies(text: str, buttons: list[Any]) -> list[BotUttered]:
    messages: list[BotUttered] = [{"text": part, "quick_replies": []} for part in _paragraphs(text)]
    # All buttons hang on the last paragraph, as in Rasa.
    messages[-1]["quick_replies"] = [
        {
            "content_type": "text",
            "title": button.get("title", ""),
            "payload": button.get("payload", ""),
        }
        for button in buttons
        if isinstance(button, dict)
    ]
    return messages

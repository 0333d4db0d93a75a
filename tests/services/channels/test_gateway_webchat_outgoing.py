"""How Rasa's replies look in the widget: the same messages Rasa's own socketio channel sends."""

from channels.webchat.outgoing import bot_uttered_messages


def test_text_is_one_bubble_per_paragraph_without_recipient_id() -> None:
    reply = {"recipient_id": "abc", "text": "Olá!\n\nComo posso ajudar?"}

    assert bot_uttered_messages(reply) == [{"text": "Olá!"}, {"text": "Como posso ajudar?"}]


def test_buttons_become_quick_replies_on_the_last_paragraph() -> None:
    reply = {
        "recipient_id": "abc",
        "text": "Entendi.\n\nQual opção?",
        "buttons": [
            {"title": "Reembolso", "payload": "/ask_claim_status"},
            {"title": "Autorização", "payload": "/ask_authorization"},
        ],
    }

    assert bot_uttered_messages(reply) == [
        {"text": "Entendi.", "quick_replies": []},
        {
            "text": "Qual opção?",
            "quick_replies": [
                {"content_type": "text", "title": "Reembolso", "payload": "/ask_claim_status"},
                {"content_type": "text", "title": "Autorização", "payload": "/ask_authorization"},
            ],
        },
    ]


def test_image_becomes_an_image_attachment() -> None:
    reply = {"recipient_id": "abc", "image": "https://example.org/card.png"}

    assert bot_uttered_messages(reply) == [
        {"attachment": {"type": "image", "payload": {"src": "https://example.org/card.png"}}}
    ]


def test_text_and_image_in_one_reply_come_text_first() -> None:
    reply = {"recipient_id": "abc", "text": "Seu cartão:", "image": "https://example.org/c.png"}

    assert bot_uttered_messages(reply) == [
        {"text": "Seu cartão:"},
        {"attachment": {"type": "image", "payload": {"src": "https://example.org/c.png"}}},
    ]


def test_custom_payload_sends_its_data_like_rasa() -> None:
    reply = {"recipient_id": "abc", "custom": {"data": {"pix": "000201..."}}}

    assert bot_uttered_messages(reply) == [{"pix": "000201..."}]


def test_custom_payload_without_data_is_sent_whole() -> None:
    reply = {"recipient_id": "abc", "custom": {"handoff": True}}

    assert bot_uttered_messages(reply) == [{"handoff": True}]


def test_attachment_is_passed_through() -> None:
    attachment = {"type": "video", "payload": {"src": "https://example.org/v.mp4"}}

    assert bot_uttered_messages({"recipient_id": "abc", "attachment": attachment}) == [
        {"attachment": attachment}
    ]


def test_empty_reply_sends_nothing() -> None:
    assert bot_uttered_messages({"recipient_id": "abc"}) == []

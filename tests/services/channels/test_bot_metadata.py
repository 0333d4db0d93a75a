"""What the gateway vouches for in the metadata Rasa gets: the channel, the message's id and, on
WhatsApp, the member's number for the identity check; never a value a client wrote itself."""

from channels.processor import with_history


def test_the_bot_learns_the_channel_and_the_members_recent_messages() -> None:
    metadata = with_history({"language": "pt"}, ["oi", "cadê meu reembolso"], channel="webchat")
    assert metadata["language"] == "pt"
    assert metadata["acolhe"] == {
        "history": {"recent_member_texts": ["oi", "cadê meu reembolso"]},
        "channel": "webchat",
    }


def test_a_whatsapp_members_number_reaches_the_bot_for_the_identity_check() -> None:
    metadata = with_history(None, [], channel="whatsapp", phone="+5511987654321")
    assert metadata["acolhe"]["phone"] == "+5511987654321"


def test_a_client_cannot_write_its_way_into_another_members_number() -> None:
    forged = {"acolhe": {"phone": "+5511987654321", "channel": "whatsapp"}, "k": "v"}
    metadata = with_history(forged, [], channel="rest")
    assert metadata["acolhe"] == {"history": {"recent_member_texts": []}, "channel": "rest"}
    assert metadata["k"] == "v"


def test_the_bot_learns_which_stored_message_it_answers() -> None:
    # An agreement records the member's accepting message by this id (actions/negotiation).
    metadata = with_history(None, [], channel="whatsapp", message_id=42)
    assert metadata["acolhe"]["message_id"] == 42

"""The component fills the language slot only with languages the assistant answers in."""

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language_component import LanguageDetector


def parse(text: str) -> Message:
    detector = LanguageDetector(LanguageDetector.get_default_config())
    return detector.process([Message(data={TEXT: text})])[0]


def test_spanish_message_sets_the_language_entity() -> None:
    message = parse("hola, que puedes hacer por mi?")
    assert message.get("language") == "es"
    assert [e["value"] for e in message.get(ENTITIES) if e["entity"] == "language"] == ["es"]


def test_english_is_reported_but_does_not_change_the_reply_language() -> None:
    message = parse("hello, what can you do for me?")
    assert message.get("language") == "en"
    assert not message.get(ENTITIES)


def test_short_acknowledgement_keeps_the_conversation_language() -> None:
    message = parse("👍")
    assert message.get("language") is None
    assert not message.get(ENTITIES)

"""The component puts urgency and frustration on every parse result, reading the history sent in
the message metadata."""

from typing import Any

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language_component import LanguageDetector
from bot.signals_component import SignalsDetector


def parse(text: str, metadata: Any = None) -> dict[str, Any]:
    data = {TEXT: text} if metadata is None else {TEXT: text, "metadata": metadata}
    messages = [Message(data=data)]
    messages = LanguageDetector(LanguageDetector.get_default_config()).process(messages)
    messages = SignalsDetector({}).process(messages)
    return messages[0].as_dict(only_output_properties=True)


def test_signals_are_top_level_keys_of_the_parse_result() -> None:
    result = parse("meu filho está com febre de 40 e vocês não autorizam, que absurdo!!!")
    assert result["language"] == "pt"
    assert result["urgency"] == {"level": "red", "reasons": ["child_high_fever"]}
    assert result["frustration"]["cues"] == ["negative_wording", "repeated_punctuation"]
    assert 0 < result["frustration"]["score"] < 1


def test_spanish_message() -> None:
    result = parse("estamos en urgencias esperando la autorización, una vergüenza")
    assert result["language"] == "es"
    assert result["urgency"]["level"] == "red"
    assert "negative_wording" in result["frustration"]["cues"]


def test_a_calm_message_has_empty_signals() -> None:
    result = parse("👍")
    assert result["urgency"] == {"level": "none", "reasons": []}
    assert result["frustration"] == {"score": 0.0, "cues": []}


def test_history_is_read_from_the_acolhe_metadata() -> None:
    history = {"recent_member_texts": ["cade meu reembolso?"], "fallbacks_in_a_row": 2}
    result = parse("cadê meu reembolso?", {"acolhe": {"history": history}})
    assert result["frustration"]["cues"] == ["repeated_question", "repeated_fallbacks"]


@pytest.mark.parametrize(
    "metadata",
    [None, {}, "text", {"acolhe": "x"}, {"acolhe": {"history": ["a"]}}, {"other": {"history": {}}}],
)
def test_missing_or_malformed_metadata_is_ignored(metadata: Any) -> None:
    assert parse("cadê meu reembolso?", metadata)["frustration"] == {"score": 0.0, "cues": []}


def test_a_message_without_text_gets_empty_signals() -> None:
    message = SignalsDetector({}).process([Message(data={})])[0]
    assert message.get("urgency") == {"level": "none", "reasons": []}
    assert message.get("frustration") == {"score": 0.0, "cues": []}

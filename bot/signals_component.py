"""Rasa NLU component that adds the urgency and frustration signals to every parse result.

Output, at the top level of the parse result (next to "intent", "entities", "language"):

    "urgency":     {"level": "none" | "yellow" | "red", "reasons": ["chest_pain", ...]}
    "frustration": {"score": 0.0..1.0, "cues": ["complaint_threat", ...]}

It reads `message.get("language")`, so it must come after `bot.language_component.LanguageDetector`
in the pipeline; with no language, every vocabulary is tried.

Cross-turn input (optional): the channel or gateway may pass the conversation's recent history in
the message metadata, under "acolhe":

    {"acolhe": {"history": {"recent_member_texts": ["earlier message", ...],  # oldest first,
                                                                               # not this message
                            "fallbacks_in_a_row": 2}}}

Without it, frustration is judged from this message alone. Malformed history is ignored, never an
error: a channel bug must not stop the assistant from understanding the member.
"""

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.component import MessageComponent
from bot.signals import assess_frustration, assess_urgency, load_vocabularies

URGENCY = "urgency"
FRUSTRATION = "frustration"
METADATA_NAMESPACE = "acolhe"
HISTORY = "history"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SignalsDetector(MessageComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        # Reading the vocabularies here makes a bad edit fail when the model loads, not on the
        # first member who writes.
        load_vocabularies()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = message.get("language")
            message.set(URGENCY, assess_urgency(text, language), add_to_output=True)
            frustration = assess_frustration(text, language, history_of(message))
            message.set(FRUSTRATION, frustration, add_to_output=True)
        return messages


def history_of(message: Message) -> dict[str, Any] | None:
    """The cross-turn history the channel sent in the metadata, if it sent a usable one."""
    metadata = message.get(METADATA)
    if not isinstance(metadata, dict):
        return None
    namespace = metadata.get(METADATA_NAMESPACE)
    history = namespace.get(HISTORY) if isinstance(namespace, dict) else None
    return history if isinstance(history, dict) else None

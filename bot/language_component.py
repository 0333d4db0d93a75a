"""Rasa NLU component that tells the dialogue which language to answer in.

It adds `"language"` to every parse result and, when the message says its language and the assistant
speaks it, a `language` entity that fills the `language` slot. Messages that do not say ("ok", "👍")
leave the slot alone, so the conversation keeps its language.
"""

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.component import MessageComponent
from bot.language_detection import detect_language

LANGUAGE = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(MessageComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The languages the assistant has responses in; others are reported but not answered in.
        return {"reply_languages": ["pt", "es"]}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.reply_languages = set(config["reply_languages"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = detect_language(text)
            message.set(LANGUAGE, language, add_to_output=True)
            if language in self.reply_languages:
                entity = {
                    "entity": LANGUAGE,
                    "value": language,
                    "start": 0,
                    "end": len(text),
                    "extractor": self.__class__.__name__,
                }
                message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages

"""Two detectors of emergencies, combined so that neither alone can miss one.

The urgency vocabulary (bot/signals) catches emergencies written in words it knows, whatever the
member asks for; the intent classifier catches emergencies told in words the vocabulary lacks.
- a red-urgency message gets the intent report_emergency (the classifier's ranking kept below),
  so the safety rule answers it even when written as an authorization request;
- a message the classifier confidently calls report_emergency is red urgency.
"""

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.component import MessageComponent

EMERGENCY_INTENT = "report_emergency"
CLASSIFIED_AS_EMERGENCY = "classified_as_emergency"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyTriage(MessageComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent_threshold": 0.99}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.intent_threshold = float(config["intent_threshold"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            urgency = message.get("urgency") or {"level": "none", "reasons": []}
            intent = message.get(INTENT) or {}
            if urgency.get("level") == "red":
                self._make_intent_emergency(message)
            elif (
                intent.get("name") == EMERGENCY_INTENT
                and intent.get("confidence", 0.0) >= self.intent_threshold
            ):
                reasons = [CLASSIFIED_AS_EMERGENCY, *urgency.get("reasons", [])]
                message.set("urgency", {"level": "red", "reasons": reasons}, add_to_output=True)
        return messages

    @staticmethod
    def _make_intent_emergency(message: Message) -> None:
        emergency = {"name": EMERGENCY_INTENT, "confidence": 1.0}
        ranking = [
            item
            for item in message.get(INTENT_RANKING_KEY) or []
            if item.get("name") != EMERGENCY_INTENT
        ]
        message.set(INTENT, emergency, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [emergency, *ranking], add_to_output=True)

"""A new session (after an hour of silence, session_config in domain.yml) keeps the member's
language and an open handoff, and forgets who they are: the identity is checked again and a new
contact gets a new protocol."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

CARRIED_OVER = ("language", "handoff_active", "handoff_priority", "handoff_reason")


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        carried = [
            SlotSet(name, tracker.get_slot(name))
            for name in CARRIED_OVER
            if tracker.get_slot(name) is not None
        ]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]

"""Taking a conversation to a person: at once for an emergency, or when the member wants one.

These actions decide what the member is told and mark the conversation with the handoff slots
(`handoff_priority`, `handoff_reason`). Queueing it for an agent is the handoff service's job: the
call to it is wired here when that service exists.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

SUICIDE_RISK = "suicide_risk"


def urgency_of(tracker: Tracker) -> dict[str, Any]:
    """The urgency signal of the member's last message (added by bot/ to every parse result)."""
    urgency = tracker.latest_message.get("urgency")
    return urgency if isinstance(urgency, dict) else {"level": "none", "reasons": []}


class ActionRespondToEmergency(Action):
    def name(self) -> str:
        return "action_respond_to_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reasons = list(urgency_of(tracker).get("reasons") or [])
        # Someone at risk of harming themselves needs the crisis line before an ambulance number.
        guidance = "utter_crisis_support" if SUICIDE_RISK in reasons else "utter_emergency_guidance"
        dispatcher.utter_message(response=guidance)
        dispatcher.utter_message(response="utter_calling_human_now")
        return [
            SlotSet("handoff_priority", "red"),
            SlotSet("handoff_reason", "emergency: " + (", ".join(reasons) or "reported")),
        ]


class ActionRequestHandoff(Action):
    def name(self) -> str:
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        level = urgency_of(tracker).get("level")
        priority = {"red": "red", "yellow": "yellow"}.get(str(level), "green")
        reason = (
            "member asked for a person"
            if tracker.latest_message.get("intent", {}).get("name") == "request_human"
            else "not understood twice"
        )
        dispatcher.utter_message(response="utter_handoff_requested")
        return [SlotSet("handoff_priority", priority), SlotSet("handoff_reason", reason)]

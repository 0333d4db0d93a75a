"""Escalation actions: what the member is told, and how the conversation is marked."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import ActionRequestHandoff, ActionRespondToEmergency


def tracker_after(text: str, intent: str, urgency: dict[str, Any] | None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    if urgency is not None:
        latest["urgency"] = urgency
    return Tracker("member", {"language": "pt"}, latest, [], False, None, {}, "action_listen")


async def run(action: Any, tracker: Tracker) -> tuple[list[str], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    responses = [message["response"] for message in dispatcher.messages]
    return responses, {event["name"]: event["value"] for event in events}


async def test_medical_emergency_gets_emergency_guidance_then_a_person_at_red() -> None:
    urgency = {"level": "red", "reasons": ["child_high_fever"]}
    tracker = tracker_after("meu bebe ta com 40 de febre", "report_emergency", urgency)
    responses, slots = await run(ActionRespondToEmergency(), tracker)
    assert responses == ["utter_emergency_guidance", "utter_calling_human_now"]
    assert slots["handoff_priority"] == "red"
    assert "child_high_fever" in slots["handoff_reason"]


async def test_suicide_risk_gets_the_crisis_line_first() -> None:
    urgency = {"level": "red", "reasons": ["suicide_risk"]}
    tracker = tracker_after("nao aguento mais viver", "report_emergency", urgency)
    responses, slots = await run(ActionRespondToEmergency(), tracker)
    assert responses == ["utter_crisis_support", "utter_calling_human_now"]
    assert slots["handoff_priority"] == "red"


async def test_emergency_without_signal_still_escalates_at_red() -> None:
    tracker = tracker_after("emergencia", "report_emergency", None)
    responses, slots = await run(ActionRespondToEmergency(), tracker)
    assert responses[0] == "utter_emergency_guidance"
    assert slots["handoff_priority"] == "red"


async def test_member_asking_for_a_person_is_handed_off_with_the_urgency_of_the_message() -> None:
    urgency = {"level": "yellow", "reasons": ["strong_pain"]}
    tracker = tracker_after("quero falar com atendente", "request_human", urgency)
    responses, slots = await run(ActionRequestHandoff(), tracker)
    assert responses == ["utter_handoff_requested"]
    assert slots == {"handoff_priority": "yellow", "handoff_reason": "member asked for a person"}

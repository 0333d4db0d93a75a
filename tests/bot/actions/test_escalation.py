"""Escalation actions: what the member is told, and the handoff request the gateway receives."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import HANDOFF_REQUEST, ActionRequestHandoff, ActionRespondToEmergency


def user(text: str, intent: str, **signals: Any) -> dict[str, Any]:
    parse = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [], **signals}
    return {"event": "user", "text": text, "parse_data": parse}


def bot(text: str, response: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {"utter_action": response}}


def tracker_of(events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Tracker:
    latest = next(e["parse_data"] for e in reversed(events) if e["event"] == "user")
    return Tracker(
        "member",
        {"language": "pt", **(slots or {})},
        latest,
        events,
        False,
        None,
        {},
        "action_listen",
    )


async def run(action: Any, tracker: Tracker) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """Responses said, slots set, and the handoff request sent to the gateway."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages if m.get("response")]
    (request,) = [m["custom"][HANDOFF_REQUEST] for m in dispatcher.messages if m.get("custom")]
    return responses, {e["name"]: e["value"] for e in events}, request


async def test_medical_emergency_gets_guidance_then_a_clinical_person_at_red() -> None:
    urgency = {"level": "red", "reasons": ["child_high_fever"]}
    tracker = tracker_of([user("meu bebe ta com 40 de febre", "report_emergency", urgency=urgency)])
    responses, slots, request = await run(ActionRespondToEmergency(), tracker)
    assert responses == ["utter_emergency_guidance", "utter_calling_human_now"]
    assert (request["priority"], request["skill"]) == ("red", "clinical")
    assert request["reasons"] == ["emergency", "child_high_fever"]
    assert slots == {
        "handoff_priority": "red",
        "handoff_reason": "emergency",
        "handoff_active": True,
    }


async def test_suicide_risk_gets_the_crisis_line_first() -> None:
    urgency = {"level": "red", "reasons": ["suicide_risk"]}
    tracker = tracker_of([user("nao aguento mais viver", "report_emergency", urgency=urgency)])
    responses, _, request = await run(ActionRespondToEmergency(), tracker)
    assert responses == ["utter_crisis_support", "utter_calling_human_now"]
    assert request["priority"] == "red"


async def test_asking_for_a_person_goes_to_the_front_line_raised_by_a_yellow_urgency() -> None:
    urgency = {"level": "yellow", "reasons": ["strong_pain"]}
    calm = tracker_of([user("quero falar com atendente", "request_human")])
    in_pain = tracker_of([user("quero falar com atendente", "request_human", urgency=urgency)])

    responses, slots, request = await run(ActionRequestHandoff(), calm)
    _, _, raised = await run(ActionRequestHandoff(), in_pain)

    assert responses == ["utter_handoff_requested"]
    assert (request["priority"], request["skill"], request["reasons"]) == (
        "green",
        "front_line",
        ["member_asked"],
    )
    assert slots["handoff_reason"] == "member_asked"
    assert raised["priority"] == "yellow"


async def test_a_complaint_threat_goes_to_a_supervisor() -> None:
    frustration = {"score": 0.7, "cues": ["complaint_threat"]}
    tracker = tracker_of([user("vou reclamar na ANS", "complain", frustration=frustration)])
    _, _, request = await run(ActionRequestHandoff(), tracker)
    assert (request["skill"], request["reasons"]) == ("supervisor", ["complaint_threat"])


async def test_accepting_the_offer_after_two_misunderstandings_says_so() -> None:
    events = [
        user("xpto", "nlu_fallback"),
        bot("Pode me contar de outro jeito?", "utter_please_rephrase"),
        user("xpto de novo", "nlu_fallback"),
        bot("Quer que eu chame uma pessoa?", "utter_offer_human"),
        user("sim", "affirm"),
    ]
    _, _, request = await run(ActionRequestHandoff(), tracker_of(events))
    assert request["reasons"] == ["not_understood"]


async def test_the_agent_gets_a_summary_to_take_over_without_asking_again() -> None:
    events = [
        user("oi", "greet"),
        bot("Olá! Como posso ajudar?", "utter_greet"),
        user("quero falar com uma pessoa", "request_human"),
    ]
    tracker = tracker_of(events, slots={"protocol": "2024", "handoff_reason": "old"})
    _, _, request = await run(ActionRequestHandoff(), tracker)
    summary = request["summary"]
    assert summary["verified"] is False
    assert summary["journey"] == "request_human"
    assert summary["slots"] == {"language": "pt", "protocol": "2024"}
    assert summary["last_turns"] == [
        {"from": "member", "text": "oi"},
        {"from": "bot", "text": "Olá! Como posso ajudar?"},
        {"from": "member", "text": "quero falar com uma pessoa"},
    ]
    assert request["language"] == "pt"


async def test_a_person_accepted_after_the_insurer_failed_goes_to_the_technical_team() -> None:
    tracker = tracker_of(
        [
            bot(
                "Desculpe, nosso sistema não está respondendo agora...", "utter_insurer_unavailable"
            ),
            user("/request_human", "request_human"),
        ]
    )
    _, slots, request = await run(ActionRequestHandoff(), tracker)
    assert slots["handoff_reason"] == "backend_failure"
    assert request["skill"] == "technical"


async def test_a_late_request_chased_goes_to_the_front_line_at_yellow() -> None:
    tracker = tracker_of(
        [
            bot("Peço desculpas: a data prometida era...", "utter_request_late"),
            user("sim", "request_human"),
        ]
    )
    _, slots, request = await run(ActionRequestHandoff(), tracker)
    assert (slots["handoff_reason"], request["priority"]) == ("late_request", "yellow")


async def test_a_member_who_could_not_be_identified_is_told_why_a_person_comes() -> None:
    tracker = tracker_of(
        [user("03/01/1990", "inform")],
        slots={
            "identity_outcome": "failed",
            "identity_verified": False,
            "identity_document": "52998224725",
        },
    )
    responses, slots, request = await run(ActionRequestHandoff(), tracker)
    assert responses == ["utter_handoff_identity_failed"]
    assert slots["handoff_reason"] == "identity_failed"
    # The agent learns the member is not verified, never the document they typed.
    assert request["summary"]["verified"] is False
    assert "identity_document" not in request["summary"]["slots"]


async def test_a_form_left_half_way_is_closed_when_a_person_takes_over() -> None:
    tracker = tracker_of([user("quero falar com alguém", "request_human")])
    tracker.active_loop = {"name": "authorization_form"}
    dispatcher = CollectingDispatcher()
    events = await ActionRequestHandoff().run(dispatcher, tracker, {})
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"
    ]

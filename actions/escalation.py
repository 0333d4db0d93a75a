"""Taking a conversation to a person: at once for an emergency, or when the member wants or needs
one (bot/escalation.yml says when, and to whom).

The action tells the member what happens now and hands the gateway a handoff request as a custom
reply (`HANDOFF_REQUEST`): the gateway opens the handoff at the handoff service, durably, and
tells the member their protocol and place in the queue once it is open (docs/handoff.md).
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.escalation import escalation_rules

SUICIDE_RISK = "suicide_risk"
# The key of the custom reply the gateway takes out of the bot's answer (channels/handoff_link.py).
HANDOFF_REQUEST = "acolhe_handoff"
OFFER_OF_A_PERSON = "utter_offer_human"
# The responses that offer a person, and the reason that person is asked for.
OFFERS = {
    OFFER_OF_A_PERSON: "not_understood",
    "utter_insurer_unavailable": "backend_failure",
    "utter_request_late": "late_request",
    # Collections: the offers or a summary on the table.
    **dict.fromkeys(
        (
            "utter_debt_offers",
            "utter_which_offer",
            "utter_other_offers",
            "utter_payday_moved",
            "utter_offers_changed",
            "utter_agreement_summary",
        ),
        "debt_negotiation",
    ),
}
# What the member is told when the reason needs its own words.
SAID_ON_HANDOFF = {"identity_failed": "utter_handoff_identity_failed"}
# Slots that never go to the agent with the summary: they describe the handoff itself.
NOT_SUMMARISED = {
    "handoff_priority",
    "handoff_reason",
    "handoff_active",
    "requested_slot",
    # The member's identity documents: the agent sees that they were verified, not the numbers.
    "identity_document",
    "identity_birth_date",
}


def urgency_of(tracker: Tracker) -> dict[str, Any]:
    """The urgency signal of the member's last message (added by bot/ to every parse result)."""
    urgency = tracker.latest_message.get("urgency")
    return urgency if isinstance(urgency, dict) else {"level": "none", "reasons": []}


def member_messages(tracker: Tracker) -> list[dict[str, Any]]:
    """Parse results of the member's messages, oldest first."""
    return [
        event.get("parse_data") or {} for event in tracker.events if event.get("event") == "user"
    ]


def last_turns(tracker: Tracker, limit: int) -> list[dict[str, str]]:
    """What the member and the assistant last said, for the agent who takes over."""
    turns = [
        {"from": "member" if event["event"] == "user" else "bot", "text": event["text"]}
        for event in tracker.events
        if event.get("event") in ("user", "bot") and isinstance(event.get("text"), str)
    ]
    return turns[-limit:]


def handoff_request(tracker: Tracker, reason: str, reasons: list[str]) -> dict[str, Any]:
    """Everything the agent needs to take over without asking the member again."""
    rules = escalation_rules()
    latest = tracker.latest_message
    urgency = urgency_of(tracker)
    route = rules.route(reason, urgency.get("level"))
    active_loop = (tracker.active_loop or {}).get("name")
    slots = {
        name: value
        for name, value in tracker.slots.items()
        if value is not None and name not in NOT_SUMMARISED
    }
    return {
        "priority": route.priority,
        "skill": route.skill,
        "reasons": reasons,
        "language": tracker.get_slot("language") or "pt",
        "summary": {
            "verified": bool(tracker.get_slot("identity_verified")),
            "journey": active_loop or (latest.get("intent") or {}).get("name"),
            "slots": slots,
            "signals": {"urgency": urgency, "frustration": latest.get("frustration")},
            "last_turns": last_turns(tracker, rules.summary_turns),
        },
    }


def hand_off(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str, reasons: list[str]
) -> list[EventType]:
    """Ask the gateway for a person and mark the conversation handed off. Journeys call it too
    (a backend down, an identity check failed), after telling the member why."""
    request = handoff_request(tracker, reason, reasons)
    dispatcher.utter_message(json_message={HANDOFF_REQUEST: request})
    events: list[EventType] = [
        SlotSet("handoff_priority", request["priority"]),
        SlotSet("handoff_reason", reason),
        SlotSet("handoff_active", True),
    ]
    if tracker.active_loop.get("name"):
        # A form left half-way: the person takes it from here, and the bot will not ask on.
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    if tracker.get_slot("negotiation_stage"):
        # Offers on the table: the negotiator takes them from here (they stay in the summary).
        events.append(SlotSet("negotiation_stage", None))
    return events


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
        return hand_off(dispatcher, tracker, "emergency", ["emergency", *reasons])


class ActionRequestHandoff(Action):
    def name(self) -> str:
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reason = self._reason(tracker)
        dispatcher.utter_message(response=SAID_ON_HANDOFF.get(reason, "utter_handoff_requested"))
        return hand_off(dispatcher, tracker, reason, [reason])

    @staticmethod
    def _reason(tracker: Tracker) -> str:
        if tracker.get_slot("identity_outcome") == "failed" and not tracker.get_slot(
            "identity_verified"
        ):
            return "identity_failed"
        # A person offered with a reason (a system down, a late request) is taken for it, whether
        # the member presses the button or asks in their own words.
        offered_for = OFFERS.get(last_response(tracker) or "")
        if offered_for:
            return offered_for
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "request_human":
            return "member_asked"
        return escalation_rules().trigger(member_messages(tracker)) or "member_asked"


def last_response(tracker: Tracker) -> str | None:
    """The name of the assistant's last response (custom actions' included)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None

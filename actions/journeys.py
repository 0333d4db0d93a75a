"""Where every member journey on the insurer's systems starts, and what they share.

A journey (data/rules/journeys.yml) opens the contact's protocol, then checks who the member is
(actions/identity.py) unless that is done already, then runs its own step. What the member says
first is kept, because the step runs after the identity questions.
"""

import logging
from abc import ABC, abstractmethod
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.calendar import today_in
from actions.insurer import InsurerUnavailable, insurer
from actions.insurer.models import Channel

logger = logging.getLogger(__name__)

JOURNEY_OF_INTENT = {
    "request_authorization": "authorization",
    "check_authorization_status": "status",
    "check_claim_status": "status",
    "request_invoice_copy": "bills",
    "ask_copayment": "copayment",
    "negotiate_debt": "debt",
    "dispute_debt": "dispute",
    "ask_coverage": "coverage",
}
INSURER_UNAVAILABLE = "utter_insurer_unavailable"
# What the gateway adds to each message's metadata (channels/processor.py, whatsapp/adapter.py).
GATEWAY_METADATA = "acolhe"


def language_of(tracker: Tracker) -> str:
    return str(tracker.get_slot("language") or "pt")


def market_of(tracker: Tracker) -> str:
    """The verified member's market (BR, CL, ES); Brazil until the identity check says."""
    return str(tracker.get_slot("member_market") or "BR")


def member_today(tracker: Tracker) -> date:
    """Today on the member's own calendar: "amanhã", due dates and deadlines count from it."""
    return today_in(market_of(tracker))


def member_id_of(tracker: Tracker) -> str | None:
    """The verified member's id; None until the identity check succeeds."""
    if not tracker.get_slot("identity_verified"):
        return None
    member_id = tracker.get_slot("member_id")
    return str(member_id) if member_id else None


def channel_of(tracker: Tracker) -> Channel:
    metadata = tracker.latest_message.get("metadata") or {}
    channel = (metadata.get(GATEWAY_METADATA) or {}).get("channel")
    if channel == "whatsapp":
        return "whatsapp"
    return "webchat" if channel == "webchat" else "rest"


def phone_of(tracker: Tracker) -> str | None:
    """The WhatsApp number the member writes from; never put in a slot or a log."""
    metadata = tracker.latest_message.get("metadata") or {}
    phone = (metadata.get(GATEWAY_METADATA) or {}).get("phone")
    return phone if isinstance(phone, str) and phone else None


def say_insurer_unavailable(dispatcher: CollectingDispatcher, error: InsurerUnavailable) -> None:
    """The insurer's systems did not answer: say so kindly and offer a person (the buttons of
    the response ask for one; actions/escalation.py routes that to the technical team)."""
    logger.warning("insurer unavailable", extra={"reason": str(error)})
    dispatcher.utter_message(response=INSURER_UNAVAILABLE)


class MemberStep(Action, ABC):
    """A journey's step for a verified member, on the insurer's systems. Subclasses write
    `for_member`; this asks only for a verified member, says kindly when the insurer does not
    answer, and clears `clears` whatever happened (a bill picked, a number named), so the next
    question starts blank."""

    clears: tuple[str, ...] = ()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        member_id = member_id_of(tracker)
        events: list[EventType] = []
        if member_id is not None:  # the rules only come here verified; never act for no one
            try:
                events = await self.for_member(dispatcher, tracker, member_id)
            except InsurerUnavailable as error:
                say_insurer_unavailable(dispatcher, error)
        return events + [SlotSet(slot, None) for slot in self.clears]

    @abstractmethod
    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        """The step itself; the events it returns come before the cleared slots."""


class ActionStartJourney(Action):
    def name(self) -> str:
        return "action_start_journey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        journey = JOURNEY_OF_INTENT.get(str(intent), "status")
        events: list[EventType] = [
            SlotSet("journey", journey),
            SlotSet("journey_text", tracker.latest_message.get("text")),
        ]
        if tracker.active_loop.get("name"):
            # The member changed the subject in the middle of a form: this journey takes over.
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        if tracker.get_slot("negotiation_stage"):
            # Offers left on the table: a "sim" later belongs to the new journey, not to them.
            events.append(SlotSet("negotiation_stage", None))
        events += await self._protocol(dispatcher, tracker, journey)
        if not tracker.get_slot("identity_verified"):
            dispatcher.utter_message(response="utter_identity_intro")
            # A new check starts clean; the attempts count stays for the session.
            events += [
                SlotSet("identity_outcome", None),
                SlotSet("identity_document", None),
                SlotSet("identity_birth_date", None),
            ]
        return events

    @staticmethod
    async def _protocol(
        dispatcher: CollectingDispatcher, tracker: Tracker, journey: str
    ) -> list[EventType]:
        """One protocol per service contact (DOMAIN.md), given at its start. When the insurer's
        system is down the journey still goes on; the next journey tries again."""
        if tracker.get_slot("contact_protocol"):
            return []
        try:
            contact = await insurer().open_contact(
                member_id=member_id_of(tracker), channel=channel_of(tracker), topic=journey
            )
        except InsurerUnavailable as error:
            logger.warning("no protocol for this contact yet", extra={"reason": str(error)})
            return []
        dispatcher.utter_message(response="utter_protocol", protocol=contact.protocol)
        return [SlotSet("contact_protocol", contact.protocol)]

"""The member's explicit yes to the summary becomes an agreement at the insurer, with the terms
they read, their hash, the moment, the channel and the messages; the member gets a receipt and
how to pay the first instalment, then is asked whether they want reminders.
"""

import hashlib
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.calendar import TIME_ZONES
from actions.insurer import InsurerRefused, insurer
from actions.journeys import GATEWAY_METADATA, MemberStep, channel_of, language_of, market_of
from actions.negotiation.overview import next_installment, offers_afresh, send_payment
from actions.negotiation.state import AGREED, SLOT, STAGE_SLOT, negotiation_from
from actions.negotiation.terms import agreement_terms, fingerprint, terms_hash


def message_id_of(event: dict[str, Any]) -> str | None:
    """The gateway's id of a member's message (what the transcript keeps), else Rasa's own."""
    metadata = (event.get("metadata") or {}).get(GATEWAY_METADATA) or {}
    found = metadata.get("message_id") or event.get("message_id")
    return str(found) if found is not None else None


def summary_message_id(tracker: Tracker) -> str | None:
    """The member's message the summary answered: the one before the acceptance."""
    said = [event for event in tracker.events if event.get("event") == "user"]
    return message_id_of(said[-2]) if len(said) >= 2 else None


class ActionAcceptAgreement(MemberStep):
    def name(self) -> str:
        return "action_accept_agreement"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        negotiation = negotiation_from(tracker.get_slot(SLOT))
        if negotiation is None or negotiation.chosen is None or negotiation.terms_text is None:
            return await offers_afresh(dispatcher, tracker, member_id, "utter_which_offer")
        terms = agreement_terms(
            member_id=member_id,
            debt=negotiation.debt,
            invoice_ids=negotiation.invoice_ids,
            offer=negotiation.chosen,
            text=negotiation.terms_text,
        )
        digest = terms_hash(terms)
        body = {
            "terms": terms,
            "terms_hash": digest,
            "acceptance": {
                "channel": channel_of(tracker),
                "conversation_id": tracker.sender_id,
                "protocol": tracker.get_slot("contact_protocol"),
                "accepted_at": datetime.now(timezone.utc).isoformat(),
                "message_ids": {
                    "summary": summary_message_id(tracker),
                    "acceptance": message_id_of(tracker.latest_message),
                },
            },
        }
        # One acceptance of these terms in this conversation is one agreement, however often
        # the call is repeated.
        key = hashlib.sha256(f"{tracker.sender_id}\n{digest}".encode()).hexdigest()[:40]
        try:
            agreement = await insurer().create_agreement(
                member_id=member_id, body=body, idempotency_key=key
            )
        except InsurerRefused as refusal:
            if refusal.code != "debt_changed":
                raise
            return await offers_afresh(dispatcher, tracker, member_id, "utter_offers_changed")
        accepted = agreement.created_at.astimezone(TIME_ZONES[market_of(tracker)])
        dispatcher.utter_message(
            response="utter_agreement_receipt",
            agreement=agreement.id,
            accepted_at=accepted.strftime("%d/%m/%Y %H:%M"),
            fingerprint=fingerprint(agreement.terms_hash),
        )
        first = next_installment(agreement)
        if first is not None:
            send_payment(dispatcher, first, len(agreement.installments), language)
        dispatcher.utter_message(response="utter_ask_reminders")
        recorded = replace(negotiation, agreement_id=agreement.id)
        return [SlotSet(SLOT, recorded.as_slot()), SlotSet(STAGE_SLOT, AGREED)]


class ActionSetReminders(MemberStep):
    """Reminders only with the member's yes, recorded with the agreement; PARAR/BAJA stops them
    at any time (the gateway)."""

    def name(self) -> str:
        return "action_set_reminders"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        negotiation = negotiation_from(tracker.get_slot(SLOT))
        consent = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        if negotiation is not None and negotiation.agreement_id:
            await insurer().agreement_reminders(
                member_id=member_id,
                agreement_id=negotiation.agreement_id,
                consent=consent,
                channel=channel_of(tracker),
                message_id=message_id_of(tracker.latest_message),
            )
        dispatcher.utter_message(
            response="utter_reminders_on" if consent else "utter_reminders_off"
        )
        return [SlotSet(STAGE_SLOT, None), SlotSet(SLOT, None)]

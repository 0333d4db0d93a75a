"""The member picks an offer or proposes their own terms; the nearest the policy allows is
summarised for an explicit yes, and what lies beyond the policy goes to a negotiator.

"a segunda", a button, "em 6 vezes", "posso pagar 100 por mês", "prefiro o dia 10", "à vista com
800": read by actions/negotiation/proposal.py, answered by the policy engine. Never a guess:
what cannot be read gets the offers again with a kind question.
"""

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import hand_off
from actions.insurer import insurer
from actions.journeys import MemberStep, language_of, member_today
from actions.negotiation.overview import (
    OFFER_CHOICE,
    negotiation_for,
    offers_afresh,
    present_offers,
)
from actions.negotiation.policy import Offer, counter_offer, negotiation_policy, offers
from actions.negotiation.proposal import Proposal, read_proposal
from actions.negotiation.state import (
    SLOT,
    STAGE_SLOT,
    SUMMARISED,
    Negotiation,
    negotiation_from,
)
from actions.negotiation.terms import terms_text

BEYOND_POLICY = "debt_negotiation"


class BeyondPolicy(Exception):
    """What the member asks for is more than the policy lets the assistant give."""


class ActionNegotiate(MemberStep):
    def name(self) -> str:
        return "action_negotiate"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        negotiation = negotiation_from(tracker.get_slot(SLOT))
        if negotiation is None:  # nothing on the table (an old slot): start from the debt
            return await offers_afresh(dispatcher, tracker, member_id, "utter_debt_offers")
        proposal = _proposal(tracker, language)
        if proposal.payday is not None and proposal.payday != negotiation.payday:
            today = member_today(tracker)
            moved = offers(negotiation.debt, today, negotiation_policy(), proposal.payday)
            negotiation = replace(
                negotiation.with_offers(moved, proposal.payday), chosen=negotiation.chosen
            )
        try:
            chosen = self._chosen(negotiation, proposal, tracker)
        except BeyondPolicy:
            dispatcher.utter_message(response="utter_negotiator_needed")
            handed = hand_off(dispatcher, tracker, BEYOND_POLICY, [BEYOND_POLICY, "beyond_policy"])
            return [SlotSet(SLOT, negotiation.as_slot()), *handed]
        if chosen is None:
            response = "utter_payday_moved" if proposal.payday else "utter_which_offer"
            return present_offers(dispatcher, negotiation, language, response)
        policy = negotiation_policy()
        text = terms_text(chosen, negotiation.debt.currency, language, policy)
        negotiation = replace(negotiation, chosen=chosen, terms_text=text)
        dispatcher.utter_message(response="utter_agreement_summary", terms=text)
        return [SlotSet(SLOT, negotiation.as_slot()), SlotSet(STAGE_SLOT, SUMMARISED)]

    @staticmethod
    def _chosen(negotiation: Negotiation, proposal: Proposal, tracker: Tracker) -> Offer | None:
        """The offer the member's words come to; None when they name none; BeyondPolicy when
        what they ask cannot be given."""
        if proposal.pick is not None:
            if 1 <= proposal.pick <= len(negotiation.offers):
                return negotiation.offers[proposal.pick - 1]
            return None
        policy = negotiation_policy()
        today = member_today(tracker)
        payday = negotiation.payday
        if proposal.installments is not None:
            offer = counter_offer(
                negotiation.debt, today, policy, installments=proposal.installments, payday=payday
            )
            if offer is None or (
                proposal.lump_cents is not None and proposal.lump_cents < offer.total_cents
            ):
                raise BeyondPolicy
            return offer
        if proposal.monthly_cents is not None:
            offer = counter_offer(
                negotiation.debt, today, policy, monthly_cents=proposal.monthly_cents, payday=payday
            )
            if offer is None:
                raise BeyondPolicy
            return offer
        if proposal.payday is not None and negotiation.chosen is not None:
            # A new date for the offer already picked: the same number of payments.
            return counter_offer(
                negotiation.debt,
                today,
                policy,
                installments=negotiation.chosen.count,
                payday=payday,
            )
        return None


def _proposal(tracker: Tracker, language: str) -> Proposal:
    """A button's choice ("offer:2"), else the member's words."""
    for entity in tracker.latest_message.get("entities") or []:
        value = str(entity.get("value") or "")
        if entity.get("entity") == "choice" and value.startswith(OFFER_CHOICE):
            number = value.removeprefix(OFFER_CHOICE)
            return Proposal(pick=int(number)) if number.isdigit() else Proposal()
    return read_proposal(str(tracker.latest_message.get("text") or ""), language)


class ActionShowOffers(MemberStep):
    """The summary not accepted: the offers again, and the member's own terms welcome."""

    def name(self) -> str:
        return "action_show_offers"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        negotiation = negotiation_from(tracker.get_slot(SLOT))
        if negotiation is None:
            negotiation = negotiation_for(await insurer().debts(member_id=member_id), tracker)
        unpicked = replace(negotiation, chosen=None, terms_text=None)
        return present_offers(dispatcher, unpicked, language, "utter_other_offers")


class ActionDeclineOffers(MemberStep):
    """No thanks: respected, without pressure; the offers stay for another day."""

    def name(self) -> str:
        return "action_decline_offers"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_offers_declined")
        return [SlotSet(STAGE_SLOT, None), SlotSet(SLOT, None)]

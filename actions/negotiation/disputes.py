"""A member who does not recognise a debt, or says they paid it, is heard without pressure: a debt
already settled is recognised as such; otherwise the bills are contested at the insurer, which
stops every collection on them until the team answers by a set date.
"""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import short_day
from actions.insurer import insurer
from actions.journeys import MemberStep, channel_of, language_of
from actions.negotiation.agreement import message_id_of
from actions.negotiation.overview import debt_items
from actions.negotiation.state import SLOT, STAGE_SLOT
from actions.words import mentions, vocabulary


def dispute_kind(text: str) -> str:
    """ "já paguei" → already_paid; "o valor está errado" → wrong_amount; else not_recognised."""
    if mentions(text, vocabulary("paid_words")):
        return "already_paid"
    if mentions(text, vocabulary("amount_words")):
        return "wrong_amount"
    return "not_recognised"


class ActionDisputeDebt(MemberStep):
    def name(self) -> str:
        return "action_dispute_debt"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        done = [SlotSet(STAGE_SLOT, None), SlotSet(SLOT, None)]
        # The words that brought the member here: this message, or the one before the identity
        # check when it came first.
        latest = tracker.latest_message
        said_now = (latest.get("intent") or {}).get("name") == "dispute_debt"
        text = str((latest.get("text") if said_now else tracker.get_slot("journey_text")) or "")
        kind = dispute_kind(text)
        debts = await insurer().debts(member_id=member_id)
        contested = [i for i in debts.invoices if not i.disputed] or list(debts.invoices)
        if not contested:
            dispatcher.utter_message(response="utter_dispute_nothing_owed")
            return done
        dispute = await insurer().open_dispute(
            member_id=member_id,
            body={
                "kind": kind,
                "invoice_ids": [i.id for i in contested],
                "channel": channel_of(tracker),
                "conversation_id": tracker.sender_id,
                "protocol": tracker.get_slot("contact_protocol"),
                "message_id": message_id_of(tracker.latest_message),
            },
        )
        dispatcher.utter_message(
            response="utter_dispute_paid" if kind == "already_paid" else "utter_dispute_opened",
            dispute=dispute.id,
            items=debt_items(contested, language),
            answer_by=short_day(dispute.answer_by, language),
        )
        return done

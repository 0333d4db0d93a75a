"""What is owed, in plain words, and the offers the policy allows for it.

The overview says where the debt comes from (monthly fees, co-payments, other charges) and how
old it is, never what care it paid for. Offers are buttons; the member may also answer in their
own words (actions/negotiation/bargaining.py). An agreement already under way is shown with its
next payment instead, when nothing else is owed.
"""

import json
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import money, short_day
from actions.insurer import Agreement, DebtInvoice, Debts, Installment, insurer
from actions.journeys import MemberStep, language_of, member_today
from actions.negotiation.policy import Debt, negotiation_policy, offers
from actions.negotiation.state import OFFERED, SLOT, STAGE_SLOT, Negotiation
from actions.negotiation.terms import offer_title
from actions.words import count, listing, phrase

# What the agent who takes a collections conversation sees of promises not kept.
BROKEN_SLOT = "broken_agreements"
OFFER_CHOICE = "offer:"


def negotiation_for(debts: Debts, tracker: Tracker) -> Negotiation:
    """The offers for what the member owes today, on their own calendar."""
    debt = Debt(
        principal_cents=debts.principal_cents,
        charges_cents=debts.charges_cents,
        days_overdue=debts.days_overdue,
        contract=debts.contract,
        currency=debts.currency,
    )
    made = offers(debt, member_today(tracker), negotiation_policy())
    return Negotiation(
        debt=debt, invoice_ids=tuple(i.id for i in debts.negotiable), offers=tuple(made)
    )


def present_offers(
    dispatcher: CollectingDispatcher, negotiation: Negotiation, language: str, response: str
) -> list[EventType]:
    """The offers as buttons, one more for a person; the member may also write their own."""
    policy = negotiation_policy()
    buttons = [
        {
            "title": offer_title(offer, negotiation.debt.currency, language, policy),
            "payload": "/inform" + json.dumps({"choice": f"{OFFER_CHOICE}{n}"}),
        }
        for n, offer in enumerate(negotiation.offers, 1)
    ]
    buttons.append({"title": phrase("talk_to_person", language), "payload": "/request_human"})
    dispatcher.utter_message(response=response, buttons=buttons)
    return [SlotSet(SLOT, negotiation.as_slot()), SlotSet(STAGE_SLOT, OFFERED)]


async def offers_afresh(
    dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str, response: str
) -> list[EventType]:
    """The offers counted again from today's debts: for a negotiation lost (an old slot) or
    overtaken (the bills moved since)."""
    debts = await insurer().debts(member_id=member_id)
    return present_offers(
        dispatcher, negotiation_for(debts, tracker), language_of(tracker), response
    )


def debt_items(invoices: Iterable[DebtInvoice], language: str) -> str:
    """ "2 mensalidades e 1 coparticipação": the origin of the debt, never the care behind it."""
    kinds = [invoice.kind for invoice in invoices]
    parts = [
        count(f"debt_{kind}", kinds.count(kind), language)
        for kind in ("monthly_fee", "copayment", "other")
        if kind in kinds
    ]
    return listing(parts, language)


def broken_agreements(debts: Debts) -> list[dict[str, Any]]:
    """Promises to pay not kept, for the negotiator: which agreement, which instalment."""
    broken = []
    for agreement in debts.agreements:
        if agreement.status != "broken":
            continue
        late = [i for i in agreement.installments if i.status == "late"]
        broken.append(
            {
                "agreement": agreement.id,
                "late_installments": [i.number for i in late],
                "oldest_due_date": min(i.due_date for i in late).isoformat() if late else None,
                "late_cents": sum(i.amount_cents for i in late),
            }
        )
    return broken


def send_payment(
    dispatcher: CollectingDispatcher, installment: Installment, total: int, language: str
) -> None:
    """How to pay one instalment: in Brazil the PIX code (alone, so a long press copies it), its
    QR code as an image and the boleto line; everywhere a card payment link."""
    payment = installment.payment
    if payment is None:
        return
    values = {
        "number": installment.number,
        "total": total,
        "amount": money(installment.amount_cents, installment.currency, language),
        "due": short_day(installment.due_date, language),
        "link": payment.payment_link or "",
    }
    if payment.pix is not None:
        dispatcher.utter_message(response="utter_installment_payment_pix", **values)
        dispatcher.utter_message(text=payment.pix.copy_paste)
        if payment.pix.qr_url:
            dispatcher.utter_message(image=payment.pix.qr_url)
        if payment.boleto is not None:
            dispatcher.utter_message(text=payment.boleto.digitable_line)
    else:
        dispatcher.utter_message(response="utter_installment_payment_link", **values)


def next_installment(agreement: Agreement) -> Installment | None:
    return agreement.unpaid[0] if agreement.unpaid else None


class ActionShowDebt(MemberStep):
    def name(self) -> str:
        return "action_show_debt"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        debts = await insurer().debts(member_id=member_id)
        events: list[EventType] = [SlotSet(BROKEN_SLOT, broken_agreements(debts) or None)]
        if not debts.owes or not debts.negotiable or debts.oldest_due_date is None:
            return events + self._nothing_to_negotiate(dispatcher, debts, language)
        dispatcher.utter_message(
            response="utter_debt_overview",
            items=debt_items(debts.negotiable, language),
            oldest=short_day(debts.oldest_due_date, language),
            age=count("days", debts.days_overdue, language),
            total=money(debts.total_cents, debts.currency, language),
        )
        negotiation = negotiation_for(debts, tracker)
        return events + present_offers(dispatcher, negotiation, language, "utter_debt_offers")

    @staticmethod
    def _nothing_to_negotiate(
        dispatcher: CollectingDispatcher, debts: Debts, language: str
    ) -> list[EventType]:
        under_way = next((a for a in debts.agreements if a.unpaid), None)
        installment = next_installment(under_way) if under_way else None
        if under_way is None or installment is None:
            disputed = any(invoice.disputed for invoice in debts.invoices)
            dispatcher.utter_message(
                response="utter_debt_under_dispute" if disputed else "utter_no_debt"
            )
        else:
            dispatcher.utter_message(response="utter_agreement_in_place", agreement=under_way.id)
            send_payment(dispatcher, installment, len(under_way.installments), language)
        return [SlotSet(SLOT, None), SlotSet(STAGE_SLOT, None)]

"""Bills: a duplicate with its payment codes, and what co-payments were for. What is overdue is the
negotiation's (actions/negotiation/).

In Brazil a duplicate carries the PIX copy-and-paste code and the boleto's digitable line, each in
a message of its own so the member can copy it with one long press; elsewhere, a payment link.
Co-payments are described by the kind of service only: never a diagnosis or a procedure's name.
"""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import money, short_day
from actions.insurer import InsurerRefused, Invoice, insurer
from actions.journeys import MemberStep, language_of
from actions.words import word


def bill_name(invoice: Invoice, language: str) -> str:
    """ "mensalidade 10/2026": what the bill is and which month it is for."""
    kind = word("invoice_kind", invoice.kind, language)
    year, month = (invoice.reference_month or invoice.due_date.strftime("%Y-%m")).split("-")
    return f"{kind} {month}/{year}"


class ActionSendDuplicate(MemberStep):
    clears = ("invoice_choice",)

    def name(self) -> str:
        return "action_send_duplicate"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        chosen = tracker.get_slot("invoice_choice")
        invoices = await insurer().invoices(member_id=member_id)
        if not invoices:
            dispatcher.utter_message(response="utter_no_open_bills")
            return []
        picked = next((i for i in invoices if i.id == chosen), None)
        if picked is None and len(invoices) == 1:
            picked = invoices[0]
        if picked is None:
            dispatcher.utter_message(
                response="utter_choose_bill", buttons=_bill_buttons(invoices, language)
            )
            return []
        try:
            duplicate = await insurer().duplicate_bill(member_id=member_id, invoice_id=picked.id)
        except InsurerRefused as refusal:
            if refusal.code not in ("already_paid", "unknown_invoice"):
                raise
            dispatcher.utter_message(response="utter_already_paid")
            return []
        dispatcher.utter_message(
            response="utter_duplicate_bill",
            bill=bill_name(picked, language),
            amount=money(duplicate.amount_cents, picked.currency, language),
            due=short_day(duplicate.due_date, language),
        )
        if duplicate.amount_cents > picked.amount_cents:
            dispatcher.utter_message(response="utter_duplicate_bill_late_fees")
        # Each code alone in its message: a long press copies it whole.
        if duplicate.pix is not None:
            dispatcher.utter_message(text=duplicate.pix.copy_paste)
        if duplicate.boleto is not None:
            dispatcher.utter_message(text=duplicate.boleto.digitable_line)
        if duplicate.payment_link:
            dispatcher.utter_message(text=duplicate.payment_link)
        return []


def _bill_buttons(invoices: list[Invoice], language: str) -> list[dict[str, str]]:
    return [
        {
            "title": f"{bill_name(i, language)} · {money(i.amount_cents, i.currency, language)}",
            "payload": f'/request_invoice_copy{{"invoice": "{i.id}"}}',
        }
        for i in invoices
    ]


class ActionExplainCopayments(MemberStep):
    def name(self) -> str:
        return "action_explain_copayments"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        copayments = await insurer().copayments(member_id=member_id)
        if not copayments:
            dispatcher.utter_message(response="utter_no_copayments")
            return []
        dispatcher.utter_message(response="utter_copayments_intro")
        lines = [
            " · ".join(
                part
                for part in (
                    short_day(c.service_date, language),
                    word("service_kind", c.service_kind, language),
                    c.provider_name,
                    money(c.amount_cents, c.currency, language),
                )
                if part
            )
            for c in copayments
        ]
        dispatcher.utter_message(text="\n".join(f"• {line}" for line in lines))
        return []

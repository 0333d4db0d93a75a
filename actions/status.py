"""Where a request stands: its stage in plain words, the promised date against today in business
days, and what happens next. A late request gets an apology, a recorded follow-up and the offer
of a person; one due soon says when to expect it.

The request is the one the member named ("REE-2026-000123"), else the only recent one of the kind
they asked about, else the member picks from a list of buttons.
"""

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.calendar import business_days_between
from actions.formatting import long_day, money, short_day
from actions.insurer import Request, insurer
from actions.insurer.models import RequestKind
from actions.journeys import MemberStep, language_of, market_of, member_today
from actions.words import count, listing, mentions, word

RECENT = 5
# Within this many business days of the promise the member is told to expect it soon.
DUE_SOON_DAYS = 2
FINAL = {"approved", "denied", "paid", "cancelled"}
KIND_WORDS: dict[RequestKind, tuple[str, ...]] = {
    "authorization": ("autoriza*", "guia*", "libera*"),
    "reimbursement": ("reembols*", "reintegr*", "devolu*"),
    "claim": ("conta medica", "contas medicas", "sinistro*", "cuenta medica", "siniestro*"),
}
INTENT_KIND: dict[str, RequestKind] = {"check_authorization_status": "authorization"}


class ActionShowStatus(MemberStep):
    clears = ("request_number",)

    def name(self) -> str:
        return "action_show_status"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        number = tracker.get_slot("request_number")
        if number:
            request = await insurer().request(member_id=member_id, number=str(number))
            if request is None:
                dispatcher.utter_message(response="utter_unknown_request", number=number)
                return []
        else:
            kind = _kind_asked(tracker)
            recent = await insurer().requests(member_id=member_id, kind=kind, limit=RECENT)
            request = _the_one_meant(recent, kind)
            if request is None:
                _offer_choice(dispatcher, recent, tracker)
                return []
        await _explain(dispatcher, tracker, request, member_id)
        return []


def _the_one_meant(recent: list[Request], kind: str | None) -> Request | None:
    """The member's only recent request (of the kind they named), or their only open one of
    that kind: "cadê meu reembolso?" needs no question back when there is one."""
    if len(recent) == 1:
        return recent[0]
    open_ones = [r for r in recent if r.status not in FINAL]
    if kind is not None and len(open_ones) == 1:
        return open_ones[0]
    return None


def _kind_asked(tracker: Tracker) -> RequestKind | None:
    text = str(tracker.get_slot("journey_text") or tracker.latest_message.get("text") or "")
    for kind, words in KIND_WORDS.items():
        if mentions(text, words):
            return kind
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return INTENT_KIND.get(str(intent))


def _offer_choice(
    dispatcher: CollectingDispatcher, recent: list[Request], tracker: Tracker
) -> None:
    if not recent:
        dispatcher.utter_message(response="utter_no_requests")
        return
    language = language_of(tracker)
    buttons = [
        {
            "title": f"{word('request_kind', r.kind, language)}: {r.title}"[:60],
            # The intent and the number as an entity: the journey comes back here with it.
            "payload": f'/check_claim_status{{"protocol": "{r.number}"}}',
        }
        for r in recent
    ]
    dispatcher.utter_message(response="utter_choose_request", buttons=buttons)


async def _explain(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: Request, member_id: str
) -> None:
    language = language_of(tracker)
    today = member_today(tracker)
    changed = request.history[-1].at.date() if request.history else request.opened_at.date()
    details: dict[str, Any] = {
        "number": request.number,
        "title": request.title,
        "since": short_day(changed, language),
    }
    if request.status == "approved" and request.kind == "authorization":
        dispatcher.utter_message(
            response="utter_status_approved_authorization",
            authorization_number=request.authorization_number,
            **details,
        )
    elif request.status in ("approved", "paid"):
        amount = money(request.amount_cents or 0, request.currency or "BRL", language)
        dispatcher.utter_message(
            response=f"utter_status_{request.status}", amount=amount, **details
        )
    elif request.status == "pending_documents":
        documents = [word("document", d, language) for d in request.missing_documents]
        dispatcher.utter_message(
            response="utter_status_pending_documents",
            documents=listing(documents, language),
            **details,
        )
    else:
        dispatcher.utter_message(response=f"utter_status_{request.status}", **details)
    if request.status not in FINAL and request.promised_date is not None:
        await _timing(dispatcher, tracker, request, request.promised_date, today, member_id)


async def _timing(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    request: Request,
    promised: date,
    today: date,
    member_id: str,
) -> None:
    language = language_of(tracker)
    left = business_days_between(today, promised, market_of(tracker))
    when = long_day(promised, language)
    if promised < today:
        protocol = tracker.get_slot("contact_protocol") or ""
        # What is being done, for real: the insurer records the chase on the request.
        await insurer().follow_up(
            member_id=member_id, number=request.number, contact_protocol=protocol or None
        )
        dispatcher.utter_message(
            response="utter_request_late",
            promised=when,
            days=count("business_days", max(-left, 1), language),
            protocol=protocol,
        )
    elif promised == today:
        dispatcher.utter_message(response="utter_request_due_today", promised=when)
    elif left <= DUE_SOON_DAYS:
        dispatcher.utter_message(
            response="utter_request_due_soon",
            promised=when,
            days=count("business_days", left, language),
        )
    else:
        dispatcher.utter_message(
            response="utter_request_on_track",
            promised=when,
            days=count("business_days", left, language),
        )

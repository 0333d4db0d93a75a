"""Asking for an authorization: what, for whom, how urgent, where and when, and the medical
request's photo; then the insurer's answer with the ANS deadline that applies.

Urgent requests skip where and when: nobody should wait for questions. If the insurer's rules
approve them at once the member gets the authorization number; otherwise a clinical person takes
over at red priority (bot/escalation.yml, reason `urgent_authorization`).
"""

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dates import parse_day
from actions.escalation import hand_off, urgency_of
from actions.formatting import long_day
from actions.insurer import (
    AuthorizationDraft,
    InsurerRefused,
    authorization_key,
    insurer,
)
from actions.journeys import MemberStep, language_of, member_today
from actions.words import count, mentions, word

FORM_SLOTS = [
    "auth_procedure",
    "auth_beneficiary",
    "auth_urgency",
    "auth_provider",
    "auth_date",
    "auth_medical_request",
]
URGENT_SKIPS = {"auth_provider", "auth_date"}
ATTACHMENT_INTENT = "send_attachment"
NOT_KNOWN = "unknown"
# Free answers by what they mean (actions.words.mentions: whole words, accents and case aside;
# a trailing * makes a stem).
# Relatives are looked for first: "para o meu filho" is for the child, whoever writes.
BENEFICIARY_WORDS = {
    "child": ("filh*", "bebe*", "nene*", "hij*", "guagua*", "crianca*", "nin*"),
    "spouse": ("espos*", "marido", "mulher", "conjuge", "companheir*", "pareja", "conyuge"),
    "parent": ("mae", "pai", "madre", "padre", "mama", "mamae", "papa", "papai"),
    "other": ("outr*", "otr*", "dependent*", "dependient*", "net*", "irma*", "herman*"),
    "self": ("para mim", "pra mim", "para mi", "eu", "yo", "mim", "mi"),
}
URGENT_WORDS = (
    "urgent*",
    "urgencia",
    "emergencia",
    "agora",
    "ahora",
    "hoje",
    "hoy",
    "ja",
    "rapido",
)
ELECTIVE_WORDS = ("esperar", "nao e urgente", "no es urgente", "sem pressa", "sin prisa", "eletiv*")
NOT_KNOWN_WORDS = ("nao sei", "no se", "ainda nao", "todavia no", "nao tem", "no tiene", "sem data")
NO_PAPER_WORDS = (
    "nao tenho",
    "no la tengo",
    "no tengo",
    "depois",
    "despues",
    "sem pedido",
    "nao",
    "no",
)


def attachments_of(tracker: Tracker) -> list[str]:
    """Ids of the files the gateway stored with the member's last message."""
    metadata = tracker.latest_message.get("metadata") or {}
    return [str(item["id"]) for item in metadata.get("attachments") or [] if item.get("id")]


class ValidateAuthorizationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_authorization_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("auth_urgency") == "urgent":
            return [slot for slot in domain_slots if slot not in URGENT_SKIPS]
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # A photo sent while another question was asked is kept for the request, not lost.
        new_files = attachments_of(tracker) if _intent(tracker) == ATTACHMENT_INTENT else []
        if new_files and tracker.get_slot("requested_slot") != "auth_medical_request":
            kept = list(tracker.get_slot("auth_attachments") or [])
            dispatcher.utter_message(response="utter_medical_request_received")
            events.append(SlotSet("auth_attachments", kept + new_files))
        return events

    async def validate_auth_procedure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if _intent(tracker) == ATTACHMENT_INTENT or len(text) < 3:
            return {"auth_procedure": None}
        return {"auth_procedure": text[:200]}

    async def validate_auth_beneficiary(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if text in BENEFICIARY_WORDS:  # a button's choice
            return {"auth_beneficiary": text}
        for beneficiary, words in BENEFICIARY_WORDS.items():
            if mentions(text, words):
                return {"auth_beneficiary": beneficiary}
        if tracker.get_slot("requested_slot") == "auth_beneficiary":
            dispatcher.utter_message(response="utter_invalid_beneficiary")
        return {"auth_beneficiary": None}

    async def validate_auth_urgency(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if text in ("urgent", "elective"):  # a button's choice
            return {"auth_urgency": text}
        # "não é urgente" says urgent too: the elective words are looked at first.
        if mentions(text, ELECTIVE_WORDS):
            return {"auth_urgency": "elective"}
        signal = urgency_of(tracker).get("level")
        if mentions(text, URGENT_WORDS) or signal in ("yellow", "red"):
            return {"auth_urgency": "urgent"}
        dispatcher.utter_message(response="utter_invalid_urgency")
        return {"auth_urgency": None}

    async def validate_auth_provider(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if mentions(text, NOT_KNOWN_WORDS):
            return {"auth_provider": NOT_KNOWN}
        if _intent(tracker) == ATTACHMENT_INTENT or len(text) < 3:
            return {"auth_provider": None}
        return {"auth_provider": text[:120]}

    async def validate_auth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if mentions(text, NOT_KNOWN_WORDS):
            return {"auth_date": NOT_KNOWN}
        day = parse_day(text, language_of(tracker), member_today(tracker))
        if day is None:
            dispatcher.utter_message(response="utter_invalid_auth_date")
            return {"auth_date": None}
        return {"auth_date": day.isoformat()}

    async def validate_auth_medical_request(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        files = attachments_of(tracker) if _intent(tracker) == ATTACHMENT_INTENT else []
        if files:
            dispatcher.utter_message(response="utter_medical_request_received")
            kept = list(tracker.get_slot("auth_attachments") or [])
            return {"auth_medical_request": "attached", "auth_attachments": kept + files}
        if tracker.get_slot("auth_attachments") or mentions(str(value or ""), NO_PAPER_WORDS):
            return {"auth_medical_request": "none"}
        dispatcher.utter_message(response="utter_ask_auth_medical_request")
        return {"auth_medical_request": None}


class ActionSubmitAuthorization(MemberStep):
    # The next request starts from blank answers.
    clears = (*FORM_SLOTS, "auth_attachments")

    def name(self) -> str:
        return "action_submit_authorization"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        language = language_of(tracker)
        draft = _draft(tracker)
        # The same conversation and answers make the same request, however often this runs.
        key = authorization_key(tracker.sender_id, draft)
        try:
            request = await insurer().create_authorization(
                member_id=member_id, draft=draft, idempotency_key=key
            )
        except InsurerRefused as refusal:
            if refusal.code != "not_covered":
                raise
            dispatcher.utter_message(response="utter_not_covered", procedure=draft.procedure)
            return []
        if request.status == "approved":
            dispatcher.utter_message(
                response="utter_authorization_approved",
                number=request.number,
                authorization_number=request.authorization_number,
            )
            return []
        if draft.urgency != "elective":
            dispatcher.utter_message(
                response="utter_authorization_urgent_review", number=request.number
            )
            reasons = ["urgent_authorization", *urgency_of(tracker).get("reasons", [])]
            return hand_off(dispatcher, tracker, "urgent_authorization", reasons)
        dispatcher.utter_message(
            response="utter_authorization_in_review",
            number=request.number,
            category=word("ans_category", request.ans_category or "", language),
            days=count("business_days", request.ans_max_business_days or 0, language),
            promised=long_day(request.promised_date, language) if request.promised_date else "",
        )
        return []


def _draft(tracker: Tracker) -> AuthorizationDraft:
    provider = tracker.get_slot("auth_provider")
    scheduled = tracker.get_slot("auth_date")
    return AuthorizationDraft.parse_obj(
        {
            "procedure": str(tracker.get_slot("auth_procedure")),
            "beneficiary": tracker.get_slot("auth_beneficiary") or "self",
            "urgency": tracker.get_slot("auth_urgency") or "elective",
            "provider_name": None if provider in (None, NOT_KNOWN) else str(provider),
            "scheduled_for": None if scheduled in (None, NOT_KNOWN) else scheduled,
            "attachments": list(tracker.get_slot("auth_attachments") or []),
            "contact_protocol": tracker.get_slot("contact_protocol"),
        }
    )


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")

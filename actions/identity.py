"""Who the member is, before anything about them is said: document, birth date and, on WhatsApp,
the number they write from, checked by the insurer's system.

After `MAX_ATTEMPTS` checks that find no one, a person takes over (reason `identity_failed`).
The insurer's answer never says which of the three did not match, and the document is never
repeated back in full.
"""

from datetime import date
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dates import parse_birth_date
from actions.documents import clean_document
from actions.insurer import InsurerUnavailable, insurer
from actions.journeys import language_of, member_today, phone_of

MAX_ATTEMPTS = 3


class ValidateIdentityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_identity_form"

    async def validate_identity_document(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        language = language_of(tracker)
        # Before the member is known, the language says where: pt a CPF, es a RUT or a DNI/NIE.
        document = clean_document(str(value or ""), language)
        if document is None:
            dispatcher.utter_message(response="utter_invalid_document")
            return {"identity_document": None}
        # A member who sends the birth date in the same message is not asked for it again.
        birth_date = parse_birth_date(str(value), language, member_today(tracker))
        if birth_date is not None:
            return await self._check(dispatcher, tracker, document, birth_date)
        return {"identity_document": document}

    async def validate_identity_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        birth_date = parse_birth_date(str(value or ""), language_of(tracker), member_today(tracker))
        if birth_date is None:
            dispatcher.utter_message(response="utter_invalid_birth_date")
            return {"identity_birth_date": None}
        document = tracker.get_slot("identity_document")
        if not document:
            return {"identity_birth_date": None}
        return await self._check(dispatcher, tracker, str(document), birth_date)

    @staticmethod
    async def _check(
        dispatcher: CollectingDispatcher, tracker: Tracker, document: str, birth_date: date
    ) -> dict[str, Any]:
        """Ask the insurer; the form ends verified, failed or unavailable (the rules in
        data/rules/journeys.yml take it from there), or asks again."""
        done = {"identity_document": document, "identity_birth_date": birth_date.isoformat()}
        try:
            member = await insurer().verify_member(
                document=document, birth_date=birth_date, phone=phone_of(tracker)
            )
        except InsurerUnavailable:
            # The rules answer with utter_insurer_unavailable and the offer of a person.
            return {**done, "identity_outcome": "unavailable"}
        if member is not None:
            dispatcher.utter_message(
                response="utter_identity_confirmed", first_name=member.first_name
            )
            return {
                **done,
                "identity_outcome": "verified",
                "identity_verified": True,
                "member_id": member.id,
                "member_first_name": member.first_name,
                "member_market": member.market,
            }
        attempts = int(tracker.get_slot("identity_attempts") or 0) + 1
        if attempts >= MAX_ATTEMPTS:
            # action_request_handoff says why a person is coming (utter_handoff_identity_failed).
            return {**done, "identity_outcome": "failed", "identity_attempts": attempts}
        dispatcher.utter_message(response="utter_identity_no_match")
        return {
            "identity_document": None,
            "identity_birth_date": None,
            "identity_attempts": attempts,
        }

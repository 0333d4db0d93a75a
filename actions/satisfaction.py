"""After an agent hands the conversation back: the assistant returns and asks how it went.

The gateway sends `/handoff_resolved` when the agent resolves the handoff; the CSAT form asks for a
score from 1 to 5 and an optional comment, and the answer goes back to the handoff service through
the gateway as a custom reply (`CSAT_ANSWER`), where a low score opens a follow-up task.
"""

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

CSAT_ANSWER = "acolhe_csat"
LOW_SCORE = 2
# A score typed as a digit, alone or with words ("4", "nota 5", "un 3"), or chosen from the buttons.
SCORE = re.compile(r"(?<!\d)([1-5])(?!\d)")
SCORE_WORDS = {
    "um": 1, "uno": 1, "dois": 2, "dos": 2, "tres": 3, "três": 3,
    "quatro": 4, "cuatro": 4, "cinco": 5,
}  # fmt: skip
# "Nothing to add" in either language: an empty comment, not a comment that says "no".
NO_COMMENT = {"nao", "não", "no", "nada", "nenhum", "ninguno", "sem comentarios", "sin comentarios"}
# A member who answers something else twice is not asked a third time.
MAX_SCORE_ATTEMPTS = 2


def score_in(text: str) -> int | None:
    words = text.strip().lower()
    found = SCORE.findall(words)
    if len(set(found)) == 1:
        return int(found[0])
    named = {SCORE_WORDS[w] for w in re.findall(r"\w+", words) if w in SCORE_WORDS}
    return named.pop() if len(named) == 1 and not found else None


class ActionResumeAfterHandoff(Action):
    def name(self) -> str:
        return "action_resume_after_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_back_after_handoff")
        return [
            SlotSet("handoff_active", False),
            SlotSet("csat_score", None),
            SlotSet("csat_comment", None),
            SlotSet("csat_attempts", 0),
        ]


class ValidateCsatForm(FormValidationAction):
    def name(self) -> str:
        return "validate_csat_form"

    def validate_csat_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        score = score_in(str(value or ""))
        if score is not None:
            return {"csat_score": float(score)}
        attempts = int(tracker.get_slot("csat_attempts") or 0) + 1
        if attempts >= MAX_SCORE_ATTEMPTS:
            # Leave it: the member has moved on, and the survey must not stand in their way.
            return {"csat_score": 0.0, "csat_comment": "", "csat_attempts": attempts}
        dispatcher.utter_message(response="utter_csat_score_help")
        return {"csat_score": None, "csat_attempts": attempts}

    def validate_csat_comment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        comment = str(value or "").strip()
        if comment.lower().strip(".! ") in NO_COMMENT:
            comment = ""
        return {"csat_comment": comment[:1000]}


class ActionSubmitCsat(Action):
    def name(self) -> str:
        return "action_submit_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        score = int(tracker.get_slot("csat_score") or 0)
        if score == 0:
            dispatcher.utter_message(response="utter_csat_skipped")
            return []
        comment = tracker.get_slot("csat_comment") or ""
        dispatcher.utter_message(json_message={CSAT_ANSWER: {"score": score, "comment": comment}})
        low = score <= LOW_SCORE
        dispatcher.utter_message(response="utter_csat_sorry" if low else "utter_csat_thanks")
        return []

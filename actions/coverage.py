"""What the member's plan covers, and who in its network can see them.

A question about places or doctors ("tem pediatra na rede?") searches the network; anything else
looks the item up in the plan's coverage: covered or not, prior authorization, waiting period,
co-payment.
"""

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import last_response
from actions.formatting import short_day
from actions.insurer import CoverageItem, insurer
from actions.journeys import MemberStep, language_of, market_of
from actions.words import fold, mentions, vocabulary

NETWORK_WORDS = (
    *("rede", "credenciad*", "hospita*", "clinica*", "laboratorio*", "medico*", "pediatra*"),
    *("atende*", "perto", "prestador*", "convenio*", "red", "centro medico", "cerca"),
)
NETWORK_RESULTS = 5
NOT_FOUND = {"utter_coverage_unknown", "utter_network_none"}


# Insurer searches match word starts ("resson" finds "Ressonância magnética"): a word's first
# letters find its other forms too ("pediatra" and "pediatria").
STEM_LETTERS = 6
MOST_TRIES = 3


def question_of(tracker: Tracker) -> str:
    """The member's question: their first words for the journey, or, after "I did not find
    it", their answer, which names the thing itself."""
    if last_response(tracker) in NOT_FOUND:
        return str(tracker.latest_message.get("text") or "")
    return str(tracker.get_slot("journey_text") or tracker.latest_message.get("text") or "")


def search_terms(tracker: Tracker) -> list[str]:
    """What to look up, best first: the procedure the member named, then the longest words of
    their question."""
    named = [
        str(entity["value"])
        for entity in tracker.latest_message.get("entities") or []
        if entity.get("entity") == "procedure" and entity.get("value")
    ]
    text = question_of(tracker)
    words = [
        w for w in re.findall(r"[a-z]{4,}", fold(text)) if w not in vocabulary("question_words")
    ]
    stems = [w[:STEM_LETTERS] for w in sorted(dict.fromkeys(words), key=len, reverse=True)]
    return list(dict.fromkeys([*named, *stems]))[:MOST_TRIES]


class ActionAnswerCoverage(MemberStep):
    def name(self) -> str:
        return "action_answer_coverage"

    async def for_member(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str
    ) -> list[EventType]:
        question = question_of(tracker)
        about_network = mentions(question, NETWORK_WORDS)
        for term in search_terms(tracker):
            if about_network:
                found = await _network(dispatcher, tracker, member_id, term)
            else:
                found = await _coverage(dispatcher, tracker, member_id, term)
            if found:
                return []
        missing = "utter_network_none" if about_network else "utter_coverage_unknown"
        dispatcher.utter_message(response=missing, query=question[:80])
        return []


async def _coverage(
    dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str, query: str
) -> bool:
    matches = await insurer().coverage(member_id=member_id, query=query)
    if matches:
        say_coverage(dispatcher, matches[0], language_of(tracker))
    return bool(matches)


def say_coverage(dispatcher: CollectingDispatcher, item: CoverageItem, language: str) -> None:
    if not item.covered:
        dispatcher.utter_message(response="utter_coverage_not_covered", name=item.name)
        return
    dispatcher.utter_message(response="utter_coverage_covered", name=item.name)
    if item.waiting_period_ends is not None:
        until = short_day(item.waiting_period_ends, language)
        dispatcher.utter_message(response="utter_coverage_waiting_period", until=until)
    if item.requires_authorization:
        dispatcher.utter_message(response="utter_coverage_needs_authorization")
    if item.copayment_percent:
        dispatcher.utter_message(
            response="utter_coverage_copayment", percent=item.copayment_percent
        )


async def _network(
    dispatcher: CollectingDispatcher, tracker: Tracker, member_id: str, query: str
) -> bool:
    providers = await insurer().providers(
        market=market_of(tracker), query=query, member_id=member_id, limit=NETWORK_RESULTS
    )
    if providers:
        dispatcher.utter_message(response="utter_network_intro")
        lines = [f"• {p.name} — {p.address}, {p.city} — {p.phone}" for p in providers]
        dispatcher.utter_message(text="\n".join(lines))
    return bool(providers)

"""The satisfaction survey after a handoff: scores read as members write them, and the answer
handed to the gateway."""

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.satisfaction import (
    CSAT_ANSWER,
    ActionResumeAfterHandoff,
    ActionSubmitCsat,
    ValidateCsatForm,
    score_in,
)


@pytest.mark.parametrize(
    ("text", "score"),
    [("5", 5), (" 4 ", 4), ("nota 3", 3), ("dou um 2", 2), ("cinco", 5), ("uno", 1), ("tres!", 3)],
)
def test_scores_are_read_as_members_write_them(text: str, score: int) -> None:
    assert score_in(text) == score


@pytest.mark.parametrize("text", ["", "10", "0", "entre 3 e 4", "quero ver meu reembolso", "😀"])
def test_anything_else_is_not_a_score(text: str) -> None:
    assert score_in(text) is None


def tracker(slots: dict[str, Any]) -> Tracker:
    return Tracker("member", {"language": "pt", **slots}, {}, [], False, None, {}, "action_listen")


def test_a_member_who_answers_something_else_twice_is_not_asked_again() -> None:
    form, dispatcher = ValidateCsatForm(), CollectingDispatcher()
    first = form.validate_csat_score("e meu reembolso?", dispatcher, tracker({}), {})
    second = form.validate_csat_score("?", dispatcher, tracker({"csat_attempts": 1}), {})
    assert first == {"csat_score": None, "csat_attempts": 1}
    assert [m["response"] for m in dispatcher.messages] == ["utter_csat_score_help"]
    assert second["csat_score"] == 0.0  # skipped: the form ends and the member goes on


def test_no_comment_in_either_language_is_an_empty_comment() -> None:
    form, dispatcher = ValidateCsatForm(), CollectingDispatcher()
    for text in ("não", "No.", "nada"):
        assert form.validate_csat_comment(text, dispatcher, tracker({}), {}) == {"csat_comment": ""}
    kept = form.validate_csat_comment("A Ana foi ótima", dispatcher, tracker({}), {})
    assert kept == {"csat_comment": "A Ana foi ótima"}


async def submit(slots: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    await ActionSubmitCsat().run(dispatcher, tracker(slots), {})
    responses = [m["response"] for m in dispatcher.messages if m.get("response")]
    answers = [m["custom"][CSAT_ANSWER] for m in dispatcher.messages if m.get("custom")]
    return responses, answers


async def test_a_good_score_is_thanked_and_handed_over() -> None:
    responses, answers = await submit({"csat_score": 5.0, "csat_comment": "ótimo"})
    assert responses == ["utter_csat_thanks"]
    assert answers == [{"score": 5, "comment": "ótimo"}]


async def test_a_low_score_gets_an_apology_and_a_person_will_look() -> None:
    responses, answers = await submit({"csat_score": 1.0, "csat_comment": ""})
    assert responses == ["utter_csat_sorry"]
    assert answers == [{"score": 1, "comment": ""}]


async def test_a_skipped_survey_sends_nothing() -> None:
    responses, answers = await submit({"csat_score": 0.0, "csat_comment": ""})
    assert (responses, answers) == (["utter_csat_skipped"], [])


async def test_the_bot_comes_back_and_forgets_the_last_survey() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionResumeAfterHandoff().run(dispatcher, tracker({"handoff_active": True}), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_back_after_handoff"]
    assert {e["name"]: e["value"] for e in events}["handoff_active"] is False

"""Coverage and network questions, against the real sandbox."""

from actions.coverage import ActionAnswerCoverage
from actions.insurer import InsurerClient
from tests.bot.actions.journey_turns import Turn, run, said, verified


async def test_a_covered_exam_says_so_with_its_conditions(insurer_api: InsurerClient) -> None:
    slots = verified("M0001", journey_text="o plano cobre ressonância?")
    entities = [{"entity": "procedure", "value": "ressonância"}]
    answer = await run(ActionAnswerCoverage(), Turn("14/03/1985", slots=slots, entities=[]))
    named = await run(
        ActionAnswerCoverage(),
        Turn("o plano cobre ressonância?", "ask_coverage", slots=slots, entities=entities),
    )
    for each in (answer, named):
        assert each.responses[0] == "utter_coverage_covered"
        assert "utter_coverage_needs_authorization" in each.responses


async def test_something_not_on_the_list_is_said_plainly(insurer_api: InsurerClient) -> None:
    slots = verified("M0001", journey_text="cobre viagem para a lua?")
    answer = await run(ActionAnswerCoverage(), Turn("x", slots=slots))
    assert answer.responses == ["utter_coverage_unknown"]


async def test_a_network_question_lists_places_that_take_the_plan(
    insurer_api: InsurerClient,
) -> None:
    slots = verified("M0001", journey_text="tem hospital credenciado em São Paulo?")
    answer = await run(ActionAnswerCoverage(), Turn("x", slots=slots))
    assert answer.responses == ["utter_network_intro"]
    (listing,) = answer.texts
    assert listing.count("•") >= 1


async def test_after_not_finding_it_the_members_next_words_are_looked_up(
    insurer_api: InsurerClient,
) -> None:
    slots = verified("M0001", journey_text="cobre aquele exame de imagem por dentro?")
    turn = Turn("é uma tomografia", slots=slots, earlier=[said("utter_coverage_unknown")])
    answer = await run(ActionAnswerCoverage(), turn)
    assert answer.said("utter_coverage_covered")["name"] == "Tomografia computadorizada"

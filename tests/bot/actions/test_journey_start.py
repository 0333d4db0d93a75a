"""A journey's first step: the contact's protocol, then the identity check unless done, and a
form left half-way when the member changes the subject."""

import re

from actions.insurer import InsurerClient
from actions.journeys import ActionStartJourney
from actions.session import ActionSessionStart
from tests.bot.actions.journey_turns import Turn, insurer_at, run, verified
from tests.bot.sandbox import free_port


async def test_a_new_contact_gets_an_ans_protocol_and_the_identity_check(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(ActionStartJourney(), Turn("cadê meu reembolso?", "check_claim_status"))
    protocol = answer.said("utter_protocol")["protocol"]
    assert re.fullmatch(r"\d{20}", protocol)
    assert answer.responses == ["utter_protocol", "utter_identity_intro"]
    assert answer.slots["journey"] == "status"
    assert answer.slots["contact_protocol"] == protocol
    assert answer.slots["journey_text"] == "cadê meu reembolso?"


async def test_each_contact_has_its_own_protocol_and_keeps_it(insurer_api: InsurerClient) -> None:
    first = await run(ActionStartJourney(), Turn("segunda via", "request_invoice_copy"))
    second = await run(ActionStartJourney(), Turn("segunda via", "request_invoice_copy"))
    assert first.slots["contact_protocol"] != second.slots["contact_protocol"]

    slots = verified("M0001", contact_protocol=first.slots["contact_protocol"])
    again = await run(
        ActionStartJourney(), Turn("e minha coparticipação?", "ask_copayment", slots=slots)
    )
    assert again.responses == []  # verified, protocol given: straight to the journey
    assert again.slots["journey"] == "copayment"


async def test_changing_the_subject_in_a_form_leaves_the_form(insurer_api: InsurerClient) -> None:
    turn = Turn(
        "na verdade quero ver meu reembolso",
        "check_claim_status",
        slots=verified("M0001", contact_protocol="00000020261124000001"),
        form="authorization_form",
        requested="auth_provider",
    )
    answer = await run(ActionStartJourney(), turn)
    assert answer.slots["journey"] == "status"
    assert answer.left_the_form
    assert answer.slots["requested_slot"] is None


async def test_without_the_insurer_the_journey_goes_on_without_a_protocol() -> None:
    async with insurer_at(f"http://127.0.0.1:{free_port()}"):
        answer = await run(
            ActionStartJourney(), Turn("quero autorizar um exame", "request_authorization")
        )
    assert answer.responses == ["utter_identity_intro"]
    assert "contact_protocol" not in answer.slots


async def test_a_new_session_forgets_who_the_member_is_but_not_their_language() -> None:
    slots = verified("M0003", contact_protocol="00000020261124000001", handoff_active=False)
    answer = await run(ActionSessionStart(), Turn("hola", "greet", slots=slots))
    assert answer.slots == {"language": "es", "handoff_active": False}

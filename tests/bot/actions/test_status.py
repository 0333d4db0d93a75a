"""Where a request stands, against the real sandbox's demo members: a late reimbursement gets an
apology and a recorded chase, one close to its promise says when, a number that is not the
member's is not found, and several requests are offered as buttons."""

from actions.insurer import InsurerClient
from actions.status import ActionShowStatus
from tests.bot.actions.journey_turns import Turn, run, verified

PROTOCOL = "00000020261124000099"


async def test_anas_late_reimbursement_gets_an_apology_a_chase_and_a_person_offered(
    insurer_api: InsurerClient,
) -> None:
    slots = verified("M0001", contact_protocol=PROTOCOL, journey_text="cadê meu reembolso??")
    answer = await run(ActionShowStatus(), Turn("14/03/1985", slots=slots))

    (stage, *_) = answer.responses
    assert stage.startswith("utter_status_")
    late = answer.said("utter_request_late")
    assert late["protocol"] == PROTOCOL
    assert "dia" in late["days"]
    number = answer.said(stage)["number"]
    request = await insurer_api.request(member_id="M0001", number=number)
    assert request is not None
    # What is being done is real: the chase is on the request's record at the insurer.
    assert PROTOCOL in " ".join(entry.note or "" for entry in request.history)


async def test_a_number_given_is_looked_up_with_or_without_dashes(
    insurer_api: InsurerClient,
) -> None:
    (request, *_) = await insurer_api.requests(member_id="M0004")
    typed = request.number.replace("-", "").lower()
    slots = verified("M0004", request_number=typed, contact_protocol=PROTOCOL)
    answer = await run(
        ActionShowStatus(), Turn(f"estado de {typed}", "check_claim_status", slots=slots)
    )
    assert answer.said(answer.responses[0])["number"] == request.number
    assert answer.slots["request_number"] is None


async def test_another_members_number_is_not_found(insurer_api: InsurerClient) -> None:
    (brunos, *_) = await insurer_api.requests(member_id="M0002")
    slots = verified("M0001", request_number=brunos.number)
    answer = await run(ActionShowStatus(), Turn(brunos.number, "check_claim_status", slots=slots))
    assert answer.responses == ["utter_unknown_request"]


async def test_several_requests_and_no_hint_offer_a_choice(insurer_api: InsurerClient) -> None:
    slots = verified("M0001", journey_text="como estão meus pedidos?")
    answer = await run(ActionShowStatus(), Turn("14/03/1985", slots=slots))
    assert answer.responses == ["utter_choose_request"]
    buttons = answer.said("utter_choose_request")["buttons"]
    assert len(buttons) >= 2
    assert all(b["payload"].startswith('/check_claim_status{"protocol": "') for b in buttons)


async def test_camilas_reimbursement_close_to_its_promise_says_when(
    insurer_api: InsurerClient,
) -> None:
    slots = verified("M0003", journey_text="¿cómo va mi reembolso?")
    answer = await run(ActionShowStatus(), Turn("30/11/1988", slots=slots))
    timing = {"utter_request_due_today", "utter_request_due_soon"} & set(answer.responses)
    assert timing, answer.responses
    assert "utter_request_late" not in answer.responses


async def test_diegos_approved_authorization_gives_its_number(insurer_api: InsurerClient) -> None:
    slots = verified("M0004", journey_text="¿me aprobaron la autorización?")
    answer = await run(
        ActionShowStatus(), Turn("21/05/1979", "check_authorization_status", slots=slots)
    )
    assert answer.said("utter_status_approved_authorization")["authorization_number"]

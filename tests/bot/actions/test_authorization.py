"""Asking for an authorization, against the real sandbox: the questions the form asks, and the
insurer's answers the member gets (approved now, in review with the ANS deadline, a clinical
person at once, not covered)."""

from datetime import date
from typing import Any

from actions.authorization import ActionSubmitAuthorization, ValidateAuthorizationForm
from actions.insurer import InsurerClient
from tests.bot.actions.journey_turns import Turn, run, verified

FORM = "authorization_form"


def answers(**auth: Any) -> dict[str, Any]:
    filled = {
        "auth_procedure": "consulta com cardiologista",
        "auth_beneficiary": "self",
        "auth_urgency": "elective",
        "auth_provider": "unknown",
        "auth_date": "unknown",
        "auth_medical_request": "none",
    }
    return verified("M0001", contact_protocol="00000020261124000001", **{**filled, **auth})


def form_turn(text: str, slot: str, **fields: Any) -> Turn:
    return Turn(text, form=FORM, requested=slot, candidates={slot: text}, **fields)


async def test_urgent_requests_skip_where_and_when() -> None:
    turn = form_turn(
        "é urgente", "auth_urgency", slots={"auth_procedure": "x", "auth_beneficiary": "child"}
    )
    answer = await run(ValidateAuthorizationForm(), turn)
    assert answer.slots["auth_urgency"] == "urgent"
    assert answer.slots["requested_slot"] == "auth_medical_request"

    elective = await run(ValidateAuthorizationForm(), form_turn("pode esperar", "auth_urgency"))
    assert elective.slots["auth_urgency"] == "elective"


async def test_free_answers_are_understood() -> None:
    child = await run(
        ValidateAuthorizationForm(), form_turn("é pro meu filho de 4 anos", "auth_beneficiary")
    )
    assert child.slots["auth_beneficiary"] == "child"
    unknown = await run(ValidateAuthorizationForm(), form_turn("Não sei ainda", "auth_provider"))
    assert unknown.slots["auth_provider"] == "unknown"
    puzzling = await run(ValidateAuthorizationForm(), form_turn("🤔", "auth_beneficiary"))
    assert puzzling.responses == ["utter_invalid_beneficiary"]


async def test_a_photo_sent_early_is_kept_with_the_request() -> None:
    turn = Turn(
        "/send_attachment",
        "send_attachment",
        attachments=["media-7"],
        form=FORM,
        requested="auth_procedure",
        candidates={"auth_procedure": "/send_attachment"},
    )
    answer = await run(ValidateAuthorizationForm(), turn)
    assert answer.slots["auth_procedure"] is None  # still asked
    assert answer.slots["auth_attachments"] == ["media-7"]
    assert "utter_medical_request_received" in answer.responses


async def test_an_elective_request_gets_its_number_and_the_ans_deadline(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(
        ActionSubmitAuthorization(),
        Turn("não tenho", slots=answers(auth_procedure="ressonância magnética do joelho")),
    )
    said = answer.said("utter_authorization_in_review")
    assert said["number"].startswith("AUT-")
    assert said["category"] == "procedimentos de alta complexidade"
    assert said["days"] == "21 dias úteis"
    assert said["promised"]
    assert answer.slots["auth_procedure"] is None  # the next request starts blank
    created = await insurer_api.request(member_id="M0001", number=said["number"])
    assert created is not None and created.status == "in_review"
    assert created.promised_date is not None and created.promised_date > date.today()


async def test_the_same_answers_confirmed_twice_make_one_request(
    insurer_api: InsurerClient,
) -> None:
    turn = Turn("ok", slots=answers(auth_procedure="exame de sangue completo"))
    first = await run(ActionSubmitAuthorization(), turn, sender="same-member")
    second = await run(ActionSubmitAuthorization(), turn, sender="same-member")
    assert (
        first.said("utter_authorization_in_review")["number"]
        == (second.said("utter_authorization_in_review")["number"])
    )


async def test_an_urgent_consultation_is_authorized_at_once(insurer_api: InsurerClient) -> None:
    turn = Turn(
        "é urgente", slots=answers(auth_procedure="consulta com pediatra", auth_urgency="urgent")
    )
    answer = await run(ActionSubmitAuthorization(), turn)
    said = answer.said("utter_authorization_approved")
    assert said["authorization_number"]
    assert answer.handoff is None


async def test_an_urgent_surgery_goes_to_a_clinical_person_at_red(
    insurer_api: InsurerClient,
) -> None:
    slots = answers(
        auth_procedure="cirurgia de apendicite", auth_urgency="urgent", auth_beneficiary="child"
    )
    answer = await run(ActionSubmitAuthorization(), Turn("urgente", slots=slots))
    assert "utter_authorization_urgent_review" in answer.responses
    assert answer.handoff is not None
    assert (answer.handoff["priority"], answer.handoff["skill"]) == ("red", "clinical")
    assert answer.slots["handoff_reason"] == "urgent_authorization"
    # The person who takes over sees what was asked, not the member's documents.
    assert answer.handoff["summary"]["slots"]["auth_procedure"] == "cirurgia de apendicite"
    assert "identity_document" not in answer.handoff["summary"]["slots"]


async def test_a_procedure_the_plan_does_not_cover_is_said_plainly_with_a_person_offered(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(
        ActionSubmitAuthorization(), Turn("ok", slots=answers(auth_procedure="lipoaspiração"))
    )
    assert answer.responses == ["utter_not_covered"]
    assert answer.said("utter_not_covered")["procedure"] == "lipoaspiração"
    assert answer.handoff is None  # offered, not imposed: the buttons ask for a person

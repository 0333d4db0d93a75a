"""Member journeys on the real stack: the trained model, the action server and the insurer
sandbox with its demo members, through the gateway on WhatsApp and REST."""

import re
import uuid

import httpx

from ops.stack import Stack
from tests.e2e.replies import opening, response, send
from tests.e2e.whatsapp import WhatsAppMember
from tests.twilio_standin import StandinServer

ANA_PHONE = "+5511987654321"
PROTOCOL = re.compile(r"\b\d{20}\b")


def test_on_whatsapp_ana_learns_her_reimbursement_is_late_and_that_it_is_being_chased(
    stack: Stack, twilio: StandinServer
) -> None:
    ana = WhatsAppMember(stack, twilio, phone=ANA_PHONE)
    try:
        ana.skip_earlier()
        ana.say("cadê meu reembolso?? mandei os papéis faz 5 dias e me falaram 48 horas")
        ana.wait_for_text(response("utter_ask_identity_document", "pt"))
        ana.say("529.982.247-25")
        ana.wait_for_text(response("utter_ask_identity_birth_date", "pt"))
        ana.say("14/03/1985")
        bodies = ana.wait_for_text(opening("utter_request_late", "pt"))
    finally:
        ana.close()

    said = "\n".join(bodies)
    assert "Pronto, Ana" in said
    (protocol,) = set(PROTOCOL.findall(said))
    assert f"protocolo {protocol}" in said  # the chase is recorded under this contact
    # Her document is never said back.
    assert "529.982.247-25" not in said and "52998224725" not in said

    # The insurer has the chase on the request's record, under that protocol.
    headers = {"X-API-Key": stack.env["SANDBOX_API_KEY"]}
    with httpx.Client(base_url=stack.url("SANDBOX_PORT"), headers=headers) as insurer:
        requests = insurer.get("/v1/members/M0001/requests", params={"kind": "reimbursement"})
        notes = [entry["note"] or "" for r in requests.json()["requests"] for entry in r["history"]]
    assert any(protocol in note for note in notes)


# What Diego answers to each question of the authorization form (es, REST).
DIEGO_ANSWERS = {
    "utter_ask_identity_document": "12345678Z",
    "utter_ask_identity_birth_date": "21/05/1979",
    "utter_ask_auth_procedure": "resonancia magnética de rodilla",
    "utter_ask_auth_beneficiary": "para mí",
    "utter_ask_auth_urgency": "puede esperar",
    "utter_ask_auth_provider": "no sé todavía",
    "utter_ask_auth_date": "todavía no",
    "utter_ask_auth_medical_request": "no la tengo",
}


def test_in_spanish_diego_asks_for_an_authorization_and_gets_its_number_and_deadline(
    stack: Stack,
) -> None:
    sender = f"e2e-diego-{uuid.uuid4().hex}"
    questions = {response(name, "es"): answer for name, answer in DIEGO_ANSWERS.items()}
    done = opening("utter_authorization_in_review", "es")
    transcript: list[str] = []
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        message = "necesito autorizar una resonancia magnética de rodilla"
        for _ in range(12):
            replies = [reply.get("text") or "" for reply in send(client, sender, message)]
            transcript += [f"> {message}", *replies]
            if any(reply.startswith(done) for reply in replies):
                break
            asked = [questions[reply] for reply in replies if reply in questions]
            assert asked, f"no question answered: {transcript}"
            message = asked[-1]
        else:
            raise AssertionError(f"the request was never registered: {transcript}")

    registered = next(reply for reply in replies if reply.startswith(done))
    assert re.search(r"AUT-\d{4}-\d{6}", registered), registered
    assert "días hábiles" in registered
    assert opening("utter_identity_confirmed", "es") + "Diego" in "\n".join(transcript)

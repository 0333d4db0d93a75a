"""Payment negotiation on the real stack: Bruno settles his overdue fees on WhatsApp, the insurer
records the agreement he accepted, he gets the PIX code, its QR image and the boleto line, and
when the bank confirms his first payment he is thanked; Diego does the same in Spanish over REST
with a counter-offer of his own."""

import hashlib
import json
import re
import uuid

import httpx

from ops.stack import Stack
from tests.e2e.replies import opening, response, send
from tests.e2e.whatsapp import WhatsAppMember
from tests.twilio_standin import StandinServer

BRUNO_PHONE = "+5521912345678"


def test_on_whatsapp_bruno_accepts_an_offer_pays_by_pix_and_is_thanked(
    stack: Stack, twilio: StandinServer
) -> None:
    bruno = WhatsAppMember(stack, twilio, phone=BRUNO_PHONE)
    try:
        bruno.skip_earlier()
        bruno.say("quero negociar minhas mensalidades atrasadas")
        bruno.wait_for_text(response("utter_ask_identity_document", "pt"))
        bruno.say("111.444.777-35")
        bruno.wait_for_text(response("utter_ask_identity_birth_date", "pt"))
        bruno.say("02/07/1990")
        bodies = bruno.wait_for_text(opening("utter_debt_offers", "pt"))
        offers = bodies[-1]
        assert "2 mensalidades" in "\n".join(bodies)
        assert re.search(r"^2\. 3x de R\$\s?[\d.,]+ sem juros$", offers, re.M), offers
        bruno.say("2")
        bodies = bruno.wait_for_text(opening("utter_agreement_summary", "pt"))
        assert "3 parcelas de" in bodies[-1]
        bruno.say("1")  # "Sim, aceito"
        bruno.wait_for_text(opening("utter_ask_reminders", "pt"))
        received = bruno.received()
        bruno.say("sim, pode lembrar")
        bruno.wait_for_text(opening("utter_reminders_on", "pt"))
    finally:
        bruno.close()

    said = "\n".join(message.get("body") or "" for message in received)
    receipt = re.search(r"Número (AGR-\d{4}-\d{6})", said)
    assert receipt, said
    agreement_id = receipt.group(1)
    pix = next(m["body"] for m in received if (m.get("body") or "").startswith("000201"))
    assert re.search(r"^\d{47}$", said, re.M)  # the boleto line, alone
    (qr,) = [url for m in received for url in m.get("media_urls") or []]
    assert httpx.get(qr).content.startswith(b"\x89PNG")

    headers = {"X-API-Key": stack.env["SANDBOX_API_KEY"]}
    with httpx.Client(base_url=stack.url("SANDBOX_PORT"), headers=headers) as insurer:
        agreements = insurer.get("/v1/members/M0002/agreements").json()["agreements"]
        (agreement,) = [a for a in agreements if a["id"] == agreement_id]
        canonical = json.dumps(
            agreement["terms"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert agreement["terms_hash"] == hashlib.sha256(canonical.encode()).hexdigest()
        assert agreement["terms"]["text"] in said  # what he read is what is recorded
        assert agreement["acceptance"]["channel"] == "whatsapp"
        assert agreement["acceptance"]["conversation_id"].startswith("wa-")
        assert agreement["reminders"]["consent"] is True
        first = agreement["installments"][0]
        assert first["payment"]["pix"]["copy_paste"] == pix

        # The bank confirms the first payment: the insurer tells Acolhe, Bruno is thanked.
        paid = insurer.post("/v1/payments", json={"reference": first["id"], "method": "pix"})
        assert paid.status_code == 201, paid.text

    thanks = WhatsAppMember(stack, twilio, phone=BRUNO_PHONE)
    try:
        bodies = thanks.wait_for_text(f"parcela 1 de 3 do acordo {agreement_id}", timeout=30)
    finally:
        thanks.close()
    (thank_you,) = [body for body in bodies if f"do acordo {agreement_id}" in body]
    assert thank_you.startswith("Recebemos o seu pagamento de R$") and "obrigada" in thank_you


def test_in_spanish_diego_counters_then_accepts_and_gets_a_payment_link(stack: Stack) -> None:
    sender = f"e2e-diego-debt-{uuid.uuid4().hex}"
    transcript: list[str] = []

    def turn(message: str) -> list[str]:
        replies = [reply.get("text") or "" for reply in send(client, sender, message)]
        transcript.extend([f"> {message}", *replies])
        return replies

    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        turn("quiero ponerme al día con mi deuda")
        turn("12345678Z")
        offers = turn("21/05/1979")
        assert any(r.startswith(opening("utter_debt_offers", "es")) for r in offers), transcript
        summary = turn("¿puedo pagarlo en 2 cuotas?")
        assert any("2 cuotas" in r for r in summary), transcript
        accepted = turn("sí, acepto")
    said = "\n".join(accepted)
    assert re.search(r"AGR-\d{4}-\d{6}", said), transcript
    assert "http" in said and "000201" not in said  # a link, no PIX in Spain

"""The negotiation journey against the real sandbox: the overview and offers, counters inside and
beyond policy, the agreement recorded with its terms and hash, payment codes, reminders consent,
disputes and a debt already settled.

Tests that change what a member owes get a sandbox of their own, so the others keep the demo
data as documented.
"""

import binascii
import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from actions.insurer import InsurerClient
from actions.negotiation.agreement import ActionAcceptAgreement, ActionSetReminders
from actions.negotiation.bargaining import ActionDeclineOffers, ActionNegotiate, ActionShowOffers
from actions.negotiation.disputes import ActionDisputeDebt
from actions.negotiation.overview import ActionShowDebt
from tests.bot.actions.journey_turns import Answer, Turn, insurer_at, run, verified
from tests.bot.sandbox import SandboxServer


@pytest.fixture
def own_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path) as server:
        yield server


@pytest.fixture
async def own_insurer(own_sandbox: SandboxServer) -> AsyncIterator[InsurerClient]:
    async with insurer_at(own_sandbox.base_url, own_sandbox.api_key) as client:
        yield client


async def offers_for(member_id: str, language: str = "pt") -> Answer:
    return await run(
        ActionShowDebt(),
        Turn("quero negociar", "negotiate_debt", slots=verified(member_id, language=language)),
    )


def after(answer: Answer, member_id: str, text: str, intent: str, **turn: Any) -> Turn:
    """The member's next message, with the slots the last answer left."""
    slots = verified(member_id, **{k: v for k, v in answer.slots.items() if v is not None})
    language = slots.get("language", "pt")
    return Turn(text, intent, slots={**slots, "language": language}, **turn)


def button(answer: Answer, number: int) -> list[dict[str, Any]]:
    return [{"entity": "choice", "value": f"offer:{number}"}]


def pix_crc_ok(code: str) -> bool:
    """EMV BR Code: the last 4 characters are the CRC16-CCITT of everything before them."""
    body, crc = code[:-4], code[-4:]
    return f"{binascii.crc_hqx(body.encode(), 0xFFFF):04X}" == crc


async def test_the_overview_says_where_the_debt_comes_from_then_offers_at_most_three(
    insurer_api: InsurerClient,
) -> None:
    answer = await offers_for("M0002")
    overview = answer.said("utter_debt_overview")
    assert overview["items"] == "2 mensalidades"
    assert re.fullmatch(r"\d+ dias", overview["age"])
    assert overview["total"].startswith("R$")
    offers = answer.said("utter_debt_offers")["buttons"]
    titles = [b["title"] for b in offers]
    assert 2 <= len(offers) - 1 <= 3
    assert titles[0].startswith("À vista: R$")
    assert titles[-1] == "Falar com uma pessoa"
    assert answer.slots["negotiation_stage"] == "offered"


async def test_a_clean_record_is_celebrated(insurer_api: InsurerClient) -> None:
    answer = await offers_for("M0001")
    assert answer.responses == ["utter_no_debt"]
    assert answer.slots["negotiation_stage"] is None


async def test_a_counter_within_policy_gets_the_nearest_offer_for_an_explicit_yes(
    insurer_api: InsurerClient,
) -> None:
    shown = await offers_for("M0002")
    answer = await run(
        ActionNegotiate(), after(shown, "M0002", "da pra fazer em 2 vezes?", "propose_payment")
    )
    terms = answer.said("utter_agreement_summary")["terms"]
    assert terms.startswith("2 parcelas") and "sem juros" in terms and "Total: R$" in terms
    assert answer.slots["negotiation_stage"] == "summarised"
    assert answer.slots["negotiation"]["chosen"]["installments"][1]["number"] == 2


async def test_a_monthly_amount_gets_the_fewest_instalments_that_fit_it(
    insurer_api: InsurerClient,
) -> None:
    shown = await offers_for("M0002")
    answer = await run(
        ActionNegotiate(), after(shown, "M0002", "posso pagar 400 por mês", "propose_payment")
    )
    chosen = answer.slots["negotiation"]["chosen"]["installments"]
    assert all(i["amount_cents"] <= 40000 for i in chosen)
    assert len(chosen) == 3  # R$ 1.099,80 and more in fees: 3 payments under R$ 400


async def test_a_counter_beyond_policy_goes_to_a_negotiator_with_the_offers(
    insurer_api: InsurerClient,
) -> None:
    shown = await offers_for("M0002")
    answer = await run(
        ActionNegotiate(), after(shown, "M0002", "consigo só 60 por mês", "propose_payment")
    )
    assert answer.responses == ["utter_negotiator_needed"]
    assert answer.handoff is not None
    assert answer.handoff["reasons"][0] == "debt_negotiation"
    assert answer.handoff["summary"]["slots"]["negotiation"]["offers"]
    assert answer.slots["negotiation_stage"] is None


async def test_a_payday_moves_the_first_due_date_and_the_offers_stay_open(
    insurer_api: InsurerClient,
) -> None:
    shown = await offers_for("M0002")
    answer = await run(
        ActionNegotiate(), after(shown, "M0002", "prefiro pagar no dia 20", "propose_payment")
    )
    assert answer.responses == ["utter_payday_moved"]
    firsts = [o["installments"][0]["due_date"] for o in answer.slots["negotiation"]["offers"]]
    assert all(day.endswith("-20") for day in firsts)


async def test_a_no_is_respected_and_other_terms_show_the_offers_again(
    insurer_api: InsurerClient,
) -> None:
    shown = await offers_for("M0002")
    declined = await run(ActionDeclineOffers(), after(shown, "M0002", "não, obrigado", "deny"))
    assert declined.responses == ["utter_offers_declined"]
    assert declined.slots["negotiation_stage"] is None

    summary = await run(
        ActionNegotiate(), after(shown, "M0002", "/inform", "inform", entities=button(shown, 1))
    )
    again = await run(ActionShowOffers(), after(summary, "M0002", "quero outra condição", "deny"))
    assert again.responses == ["utter_other_offers"]
    assert again.slots["negotiation"]["chosen"] is None


async def test_an_accepted_summary_becomes_an_agreement_with_its_terms_hash_and_payment(
    own_insurer: InsurerClient, own_sandbox: SandboxServer
) -> None:
    shown = await offers_for("M0002")
    summary = await run(
        ActionNegotiate(),
        after(shown, "M0002", "/inform", "inform", entities=button(shown, 2), message_id=41),
    )
    accepted = await run(
        ActionAcceptAgreement(),
        after(summary, "M0002", "sim, aceito", "affirm", message_id=42),
        sender="wa-bruno",
    )
    receipt = accepted.said("utter_agreement_receipt")
    assert re.fullmatch(r"AGR-\d{4}-\d{6}", receipt["agreement"])
    payment = accepted.said("utter_installment_payment_pix")
    assert payment["number"] == 1 and payment["total"] == 3
    assert payment["link"].startswith("http")
    pix, boleto = accepted.texts
    assert pix_crc_ok(pix)
    assert re.fullmatch(r"\d{47}", boleto)
    (image,) = [m["image"] for m in accepted.messages if m.get("image")]
    async with aiohttp.ClientSession() as http, http.get(image) as reply:  # no key: Twilio's view
        assert (await reply.read()).startswith(b"\x89PNG\r\n\x1a\n")
    assert accepted.responses[-1] == "utter_ask_reminders"
    assert accepted.slots["negotiation_stage"] == "agreed"

    # The insurer holds exactly what the member read, and its hash matches an independent one.
    debts = await own_insurer.debts(member_id="M0002")
    assert debts.total_cents == 0
    recorded = await _agreement(own_sandbox, receipt["agreement"])
    canonical = json.dumps(
        recorded["terms"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    assert recorded["terms_hash"] == digest
    assert receipt["fingerprint"].replace(" ", "") == digest[:8].upper()
    assert recorded["terms"]["text"] == summary.said("utter_agreement_summary")["terms"]
    assert recorded["acceptance"]["conversation_id"] == "wa-bruno"
    assert recorded["acceptance"]["message_ids"]["acceptance"] == "42"
    assert (
        sum(i["amount_cents"] for i in recorded["installments"]) == recorded["terms"]["total_cents"]
    )

    again = await run(
        ActionAcceptAgreement(),
        after(summary, "M0002", "sim, aceito", "affirm", message_id=42),
        sender="wa-bruno",
    )
    assert again.said("utter_agreement_receipt")["agreement"] == receipt["agreement"]

    reminders = await run(
        ActionSetReminders(), after(accepted, "M0002", "sim, pode lembrar", "affirm")
    )
    assert reminders.responses == ["utter_reminders_on"]
    assert (await _agreement(own_sandbox, receipt["agreement"]))["reminders"]["consent"] is True


async def test_bills_that_moved_since_the_offers_are_counted_again(
    own_insurer: InsurerClient, own_sandbox: SandboxServer
) -> None:
    shown = await offers_for("M0002")
    summary = await run(
        ActionNegotiate(), after(shown, "M0002", "/inform", "inform", entities=button(shown, 1))
    )
    oldest = shown.slots["negotiation"]["invoice_ids"][0]
    await _call(own_sandbox, "POST", "/v1/payments", {"reference": oldest, "method": "pix"})
    answer = await run(ActionAcceptAgreement(), after(summary, "M0002", "aceito", "affirm"))
    assert answer.responses == ["utter_offers_changed"]
    assert answer.slots["negotiation"]["invoice_ids"] == [
        i for i in shown.slots["negotiation"]["invoice_ids"] if i != oldest
    ]


async def test_in_spain_the_agreement_is_paid_by_a_link(
    own_insurer: InsurerClient,
) -> None:
    shown = await offers_for("M0004", language="es")
    assert shown.said("utter_debt_offers")["buttons"][0]["title"].startswith("Pago único: ")
    summary = await run(ActionNegotiate(), after(shown, "M0004", "la primera", "inform"))
    assert "pago único" in summary.said("utter_agreement_summary")["terms"]
    accepted = await run(ActionAcceptAgreement(), after(summary, "M0004", "sí, acepto", "affirm"))
    assert accepted.said("utter_installment_payment_link")["link"].startswith("http")
    assert accepted.texts == []  # no PIX, no boleto


async def test_a_debt_not_recognised_is_contested_and_collections_stop(
    own_insurer: InsurerClient,
) -> None:
    answer = await run(
        ActionDisputeDebt(),
        Turn("não reconheço essa dívida", "dispute_debt", slots=verified("M0002")),
    )
    said = answer.said("utter_dispute_opened")
    assert re.fullmatch(r"DSP-\d{4}-\d{6}", said["dispute"])
    assert said["items"] == "2 mensalidades"
    debts = await own_insurer.debts(member_id="M0002")
    assert debts.total_cents == 0 and all(i.disputed for i in debts.invoices)
    # Asked again, the member hears that the bills wait for the answer: nothing to pay meanwhile.
    later = await offers_for("M0002")
    assert later.responses == ["utter_debt_under_dispute"]


async def test_already_paid_is_heard_and_a_settled_debt_is_recognised(
    own_insurer: InsurerClient,
) -> None:
    paid = await run(
        ActionDisputeDebt(),
        Turn("ya pagué esa cuota", "dispute_debt", slots=verified("M0004", language="es")),
    )
    assert paid.responses == ["utter_dispute_paid"]

    settled = await run(
        ActionDisputeDebt(), Turn("eu já paguei tudo", "dispute_debt", slots=verified("M0001"))
    )
    assert settled.responses == ["utter_dispute_nothing_owed"]


async def _agreement(sandbox: SandboxServer, agreement_id: str) -> dict[str, Any]:
    listing = await _call(sandbox, "GET", "/v1/members/M0002/agreements")
    (found,) = [a for a in listing["agreements"] if a["id"] == agreement_id]
    return dict(found)


async def _call(
    sandbox: SandboxServer, method: str, path: str, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The insurer's API as the collections team's systems would call it."""
    headers = {"X-API-Key": sandbox.api_key}
    async with (
        aiohttp.ClientSession(base_url=sandbox.base_url, headers=headers) as http,
        http.request(method, path, json=body) as reply,
    ):
        assert reply.status < 300, await reply.text()
        return dict(await reply.json())

"""Bills against the real sandbox: a duplicate with codes the member can copy, the choice when
there are several, and what co-payments were for. What is overdue: test_negotiation.py."""

import re

from actions.bills import ActionExplainCopayments, ActionSendDuplicate
from actions.insurer import InsurerClient
from tests.bot.actions.journey_turns import Turn, run, verified


async def test_a_brazilian_duplicate_comes_with_pix_and_boleto_each_alone(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(
        ActionSendDuplicate(), Turn("segunda via", "request_invoice_copy", slots=verified("M0001"))
    )
    said = answer.said("utter_duplicate_bill")
    assert said["amount"].startswith("R$")
    pix, line = answer.texts
    assert pix.startswith("000201") and "br.gov.bcb.pix" in pix.lower()
    assert re.fullmatch(r"\d{47}", re.sub(r"\D", "", line))


async def test_several_open_bills_are_offered_as_buttons_and_the_one_picked_is_sent(
    insurer_api: InsurerClient,
) -> None:
    slots = verified("M0002")
    offer = await run(
        ActionSendDuplicate(), Turn("segunda via", "request_invoice_copy", slots=slots)
    )
    assert offer.responses == ["utter_choose_bill"]
    buttons = offer.said("utter_choose_bill")["buttons"]
    assert len(buttons) >= 2
    assert all("R$" in b["title"] for b in buttons)
    picked = re.search(r'"invoice": "([^"]+)"', buttons[-1]["payload"])
    assert picked is not None

    slots["invoice_choice"] = picked.group(1)
    sent = await run(
        ActionSendDuplicate(), Turn(buttons[-1]["payload"], "request_invoice_copy", slots=slots)
    )
    assert "utter_duplicate_bill" in sent.responses
    # Overdue: the new amount carries the contract's late fees, and the member is told why.
    assert "utter_duplicate_bill_late_fees" in sent.responses
    assert sent.slots["invoice_choice"] is None


async def test_outside_brazil_the_duplicate_is_a_payment_link(insurer_api: InsurerClient) -> None:
    slots = verified("M0004")
    answer = await run(
        ActionSendDuplicate(), Turn("duplicado", "request_invoice_copy", slots=slots)
    )
    if answer.responses == ["utter_choose_bill"]:
        payload = answer.said("utter_choose_bill")["buttons"][0]["payload"]
        slots["invoice_choice"] = re.search(r'"invoice": "([^"]+)"', payload).group(1)
        answer = await run(
            ActionSendDuplicate(), Turn(payload, "request_invoice_copy", slots=slots)
        )
    assert "€" in answer.said("utter_duplicate_bill")["amount"]
    (link,) = answer.texts
    assert link.startswith("https://")


async def test_copayments_say_the_kind_of_service_never_the_procedure(
    insurer_api: InsurerClient,
) -> None:
    answer = await run(
        ActionExplainCopayments(), Turn("coparticipação?", "ask_copayment", slots=verified("M0001"))
    )
    assert answer.responses == ["utter_copayments_intro"]
    (listing,) = answer.texts
    assert "R$" in listing
    assert re.search(r"Consulta|Exame|Terapia|Pronto-socorro|Atendimento", listing)

"""The member's own terms read from their words, and the terms written back in words."""

from datetime import date

import pytest

from actions.negotiation.policy import Debt, negotiation_policy, offers
from actions.negotiation.proposal import Proposal, read_proposal
from actions.negotiation.terms import agreement_terms, fingerprint, terms_hash, terms_text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("posso pagar 100 por mês", "pt", Proposal(monthly_cents=10000)),
        ("consigo pagar duzentos reais por mes", "pt", Proposal(monthly_cents=20000)),
        ("da pra fazer em 6 parcelas?", "pt", Proposal(installments=6)),
        ("em três vezes eu consigo", "pt", Proposal(installments=3)),
        ("6x de 200 da?", "pt", Proposal(installments=6, monthly_cents=20000)),
        ("à vista", "pt", Proposal(installments=1)),
        ("posso quitar com R$ 800,00 à vista?", "pt", Proposal(installments=1, lump_cents=80000)),
        ("prefiro pagar no dia 10", "pt", Proposal(payday=10)),
        ("a segunda", "pt", Proposal(pick=2)),
        ("opção 3", "pt", Proposal(pick=3)),
        ("¿en 6 cuotas?", "es", Proposal(installments=6)),
        ("puedo pagar 50 euros al mes", "es", Proposal(monthly_cents=5000)),
        ("quiero pagar 45.000 pesos", "es", Proposal(monthly_cents=4500000)),
        ("la primera", "es", Proposal(pick=1)),
        ("prefiero el día 5", "es", Proposal(payday=5)),
    ],
)
def test_the_members_terms_are_read_from_their_words(
    text: str, language: str, expected: Proposal
) -> None:
    assert read_proposal(text, language) == expected


@pytest.mark.parametrize(
    "text",
    ["sim", "pago na segunda-feira", "consigo pagar tudo no dia 05/12", "😅", "", "x" * 5000],
)
def test_what_names_no_terms_is_not_guessed(text: str) -> None:
    assert read_proposal(text, "pt").installments is None
    assert read_proposal(text, "pt").pick is None


DEBT = Debt(
    principal_cents=109980,
    charges_cents=4510,
    days_overdue=41,
    contract="individual",
    currency="BRL",
)
TODAY = date(2026, 11, 25)


def test_the_terms_say_the_plan_the_discount_and_the_total() -> None:
    policy = negotiation_policy()
    single, three, *_ = offers(DEBT, TODAY, policy)
    text = terms_text(single, "BRL", "pt", policy)
    assert text.startswith("Pagamento único de R$\u00a0") and "em 26/11/2026" in text
    assert "de desconto na multa e nos juros" in text
    assert text.endswith(
        f"Total: R$\u00a0{single.total_cents // 100:,}".replace(",", ".")
        + f",{single.total_cents % 100:02d}."
    )
    spread = terms_text(three, "BRL", "es", policy)
    assert spread.startswith("3 cuotas") and "sin interés" in spread


def test_the_hash_is_of_the_canonical_terms_and_the_fingerprint_its_start() -> None:
    policy = negotiation_policy()
    offer = offers(DEBT, TODAY, policy)[1]
    terms = agreement_terms(
        member_id="M0002",
        debt=DEBT,
        invoice_ids=("INV-000009", "INV-000008"),
        offer=offer,
        text=terms_text(offer, "BRL", "pt", policy),
    )
    assert terms["invoice_ids"] == ["INV-000008", "INV-000009"]
    reordered = dict(reversed(list(terms.items())))
    assert terms_hash(reordered) == terms_hash(terms)
    changed = {**terms, "total_cents": terms["total_cents"] + 1}
    assert terms_hash(changed) != terms_hash(terms)
    assert fingerprint("3f9a21c0" + "0" * 56) == "3F9A 21C0"

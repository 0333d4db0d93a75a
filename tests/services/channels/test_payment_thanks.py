"""The thank-you for a payment, word for word, and the amounts as each market writes them."""

from typing import Any

import pytest

from channels.payment_thanks import Thanks, thanks
from common.money import money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("cents", "currency", "written"),
    [
        (36660, "BRL", f"R${NBSP}366,60"),
        (123456789, "BRL", f"R${NBSP}1.234.567,89"),
        (4500000, "CLP", f"${NBSP}45.000"),
        (36660, "EUR", f"366,60{NBSP}€"),
        (123456, "EUR", f"1.234,56{NBSP}€"),
        (1234567, "EUR", f"12.345,67{NBSP}€"),
    ],
)
def test_amounts_read_as_the_members_market_writes_them(
    cents: int, currency: str, written: str
) -> None:
    assert money(cents, currency) == written


def thanked(**changes: Any) -> Thanks:
    """The thank-you for installment 1 of 3 of R$ 366,60 in Portuguese, with these changes."""
    values: dict[str, Any] = {
        "language": "pt",
        "amount_cents": 36660,
        "currency": "BRL",
        "reference": "AGR-2026-000001-01",
        "agreement_id": "AGR-2026-000001",
        "installment_number": 1,
        "installments_total": 3,
        "agreement_settled": False,
    }
    return thanks(**(values | changes))


def test_an_installment_and_the_last_one_that_settles_the_agreement() -> None:
    first = thanked()
    last = thanked(installment_number=3, agreement_settled=True)
    spanish = thanked(language="es", currency="CLP", amount_cents=4500000)

    assert first.text == (
        f"Recebemos o seu pagamento de R${NBSP}366,60, parcela 1 de 3 do acordo AGR-2026-000001. "
        "Muito obrigada! 💚"
    )
    assert last.text == (
        f"Recebemos o seu pagamento de R${NBSP}366,60, parcela 3 de 3 do acordo AGR-2026-000001, "
        "que agora está quitado. Muito obrigada! 💚"
    )
    assert spanish.text == (
        f"Recibimos tu pago de ${NBSP}45.000, cuota 1 de 3 del acuerdo AGR-2026-000001. "
        "¡Muchas gracias! 💚"
    )
    assert first.template_variables == {
        "amount": f"R${NBSP}366,60",
        "payment": "parcela 1 de 3 do acordo AGR-2026-000001",
    }


def test_a_bill_paid_on_its_own_and_an_unknown_language() -> None:
    bill = thanked(language=None, currency="EUR", agreement_id=None, reference="INV-000321")

    assert bill.text == (
        f"Recibimos tu pago de 366,60{NBSP}€, correspondiente a INV-000321. ¡Muchas gracias! 💚"
    )

"""The thank-you a member gets when the insurer confirms their payment, in their language.

The same words go as free text (inside WhatsApp's 24-hour window, and on the web chat) and as the
`payment_received` template outside it (templates.yml: "...pagamento de {{1}}, {{2}}..."), so
they are written once here as the template's two values.
"""

from dataclasses import dataclass

from common.money import money

TEMPLATE = "payment_received"

THANKS = {
    "pt": "Recebemos o seu pagamento de {amount}, {payment}. Muito obrigada! 💚",
    "es": "Recibimos tu pago de {amount}, {payment}. ¡Muchas gracias! 💚",
}
INSTALLMENT = {
    "pt": "parcela {number} de {total} do acordo {agreement}",
    "es": "cuota {number} de {total} del acuerdo {agreement}",
}
# Said when this payment was the agreement's last one.
SETTLED = {
    "pt": ", que agora está quitado",
    "es": ", que ahora está saldado",
}
# A bill paid on its own, outside any agreement.
REFERENCE = {
    "pt": "referente a {reference}",
    "es": "correspondiente a {reference}",
}


@dataclass(frozen=True)
class Thanks:
    text: str
    template_variables: dict[str, str]


def thanks(
    *,
    language: str | None,
    amount_cents: int,
    currency: str,
    reference: str,
    agreement_id: str | None,
    installment_number: int | None,
    installments_total: int | None,
    agreement_settled: bool,
) -> Thanks:
    """The thank-you for one confirmed payment; without a known language, the currency's."""
    if language not in THANKS:
        language = "pt" if currency == "BRL" else "es"
    if agreement_id and installment_number and installments_total:
        payment = INSTALLMENT[language].format(
            number=installment_number, total=installments_total, agreement=agreement_id
        )
        if agreement_settled:
            payment += SETTLED[language]
    else:
        payment = REFERENCE[language].format(reference=reference)
    amount = money(amount_cents, currency)
    return Thanks(
        text=THANKS[language].format(amount=amount, payment=payment),
        template_variables={"amount": amount, "payment": payment},
    )

"""The public card checkout page a payment link opens: the amount, the due date and a "pay by
card" button, in Portuguese for Brazil and Spanish elsewhere. It names no member and no
procedure: whoever holds the link sees only what is to be paid."""

from dataclasses import dataclass
from datetime import date
from html import escape

from sandbox.markets import Language


@dataclass(frozen=True)
class Words:
    title: str
    amount: str
    due: str
    pay: str
    paid: str
    thanks: str


WORDS = {
    Language.PT: Words(
        title="Pagamento da parcela",
        amount="Valor",
        due="Vencimento",
        pay="Pagar com cartão",
        paid="Esta parcela já está paga.",
        thanks="Pagamento confirmado. Obrigado!",
    ),
    Language.ES: Words(
        title="Pago de la cuota",
        amount="Importe",
        due="Vencimiento",
        pay="Pagar con tarjeta",
        paid="Esta cuota ya está pagada.",
        thanks="Pago confirmado. ¡Gracias!",
    ),
}


def money(amount_cents: int, currency: str) -> str:
    """R$ 366,60 · 49,90 € · $45.000 (CLP has no minor units)."""
    units, cents = divmod(amount_cents, 100)
    grouped = f"{units:,}".replace(",", ".")
    if currency == "BRL":
        return f"R$ {grouped},{cents:02d}"
    if currency == "EUR":
        return f"{grouped},{cents:02d} €"
    if currency == "CLP":
        return f"${grouped}"
    return f"{grouped},{cents:02d} {currency}"


def render(
    *,
    language: Language,
    reference: str,
    amount_cents: int,
    currency: str,
    due_date: date,
    state: str,
) -> str:
    """`state`: "due" (the button), "paid" (paid before), "confirmed" (just paid)."""
    words = WORDS[language]
    if state == "due":
        action = (
            '<form method="post"><button type="submit">' + escape(words.pay) + "</button></form>"
        )
    else:
        action = (
            f'<p class="done">{escape(words.thanks if state == "confirmed" else words.paid)}</p>'
        )
    return f"""<!doctype html>
<html lang="{language.value}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(words.title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .5rem 1rem; }}
dt {{ color: #555; }} dd {{ margin: 0; font-weight: 600; }}
button {{ font-size: 1.1rem; padding: .7rem 1.4rem; border: 0; border-radius: .4rem;
  background: #0b6e4f; color: #fff; cursor: pointer; }}
.done {{ font-size: 1.1rem; color: #0b6e4f; }}
</style>
</head>
<body>
<h1>{escape(words.title)}</h1>
<dl>
<dt>{escape(words.amount)}</dt><dd>{escape(money(amount_cents, currency))}</dd>
<dt>{escape(words.due)}</dt><dd>{due_date:%d/%m/%Y}</dd>
</dl>
<p><small>{escape(reference)}</small></p>
{action}
</body>
</html>
"""

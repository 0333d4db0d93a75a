"""Amounts and dates as members read them, for what the services write to them (the gateway's
thank-you for a payment, the worker's reminders).

The same results as the bot's babel-based `actions/formatting.py` (CLDR's pt_BR, es_CL and es_ES),
written out for the three currencies Acolhe serves because babel is not in the services'
environment. A no-break space keeps the symbol and the number on one line of a narrow screen.
"""

from datetime import date

NBSP = "\u00a0"


def money(amount_cents: int, currency: str) -> str:
    """ "R$ 1.234,56" (BRL), "$ 12.345" (CLP, whole pesos), "1234,56 €" / "12.345,67 €" (EUR).

    The insurer API gives integer cents for every currency, CLP included (pesos times 100).
    """
    sign = "-" if amount_cents < 0 else ""
    units, cents = divmod(abs(amount_cents), 100)
    if currency == "BRL":
        return f"{sign}R${NBSP}{_grouped(units)},{cents:02d}"
    if currency == "CLP":
        return f"{sign}${NBSP}{_grouped(units)}"
    if currency == "EUR":
        # Spanish groups thousands only from five digits on (CLDR's minimum grouping digits).
        whole = _grouped(units) if units >= 10_000 else str(units)
        return f"{sign}{whole},{cents:02d}{NBSP}€"
    return f"{sign}{currency}{NBSP}{_grouped(units)},{cents:02d}"


def short_day(value: date) -> str:
    """ "05/12/2026": day first, four-digit year, in every market (as the bot writes it)."""
    return value.strftime("%d/%m/%Y")


def _grouped(units: int) -> str:
    return f"{units:,}".replace(",", ".")

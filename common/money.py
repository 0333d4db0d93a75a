"""Amounts and dates as members read them, for what the services write to them (the gateway's
thank-you for a payment, the worker's reminders): the same as the bot's `actions/formatting.py`,
from babel's CLDR data. The bot and the services cannot share code (two environments), so the
few lines are kept alike on purpose.

A no-break space keeps the symbol and the number on one line of a narrow screen.
"""

from datetime import date
from decimal import Decimal

from babel.numbers import format_currency

NBSP = "\u00a0"
_LOCALE_OF_CURRENCY = {"BRL": "pt_BR", "CLP": "es_CL", "EUR": "es_ES"}
# Chile writes "$ 12.345" (DOMAIN.md); CLDR's es_CL pattern has no space.
_PATTERNS = {"es_CL": f"¤{NBSP}#,##0;-¤{NBSP}#,##0"}


def money(amount_cents: int, currency: str) -> str:
    """ "R$ 1.234,56" (BRL), "$ 12.345" (CLP, whole pesos), "1.234,56 €" (EUR).

    The insurer API gives integer cents for every currency, CLP included (pesos times 100).
    """
    locale = _LOCALE_OF_CURRENCY.get(currency, "pt_BR")
    amount = Decimal(amount_cents) / 100
    return format_currency(amount, currency, format=_PATTERNS.get(locale), locale=locale)


def short_day(value: date) -> str:
    """ "05/12/2026": day first, four-digit year, in every market (as the bot writes it)."""
    return value.strftime("%d/%m/%Y")

"""Money and dates the way members read them, per language and market (babel, CLDR data).

`language` is the conversation's language ("pt", "es") or a locale ("pt-BR", "es-CL", "es-ES").
Spanish without a country follows the currency for money (CLP is Chile, EUR is Spain); dates read
the same in both.

Amounts keep a no-break space between the symbol and the number ("R$\\u00a01.234,56"), as babel
writes them, so a narrow phone screen never leaves "R$" alone at the end of a line.
"""

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

NBSP = "\u00a0"

_LOCALE_OF_CURRENCY = {"BRL": "pt_BR", "CLP": "es_CL", "EUR": "es_ES"}
# Chile writes "$ 12.345" (DOMAIN.md); CLDR's es_CL pattern has no space.
_PATTERNS = {"es_CL": f"¤{NBSP}#,##0;-¤{NBSP}#,##0"}


def money(amount_cents: int, currency: str, language: str) -> str:
    """ "R$ 1.234,56" (BRL), "$ 12.345" (CLP, no decimals), "1.234,56 €" (EUR).

    The insurer API gives integer cents for every currency, CLP included (pesos times 100).
    """
    locale = _money_locale(currency, language)
    amount = Decimal(amount_cents) / 100
    return format_currency(amount, currency, format=_PATTERNS.get(locale), locale=locale)


def short_day(value: date, language: str) -> str:
    """ "20/11/2026": day first, four-digit year, in every market."""
    return value.strftime("%d/%m/%Y")


def long_day(value: date, language: str, today: date | None = None) -> str:
    """ "sexta-feira, 20 de novembro" / "viernes, 20 de noviembre"; the year is added when
    `today` is given and falls in another year ("..., 20 de novembro de 2027")."""
    pattern = "EEEE, d 'de' MMMM"
    if today is not None and today.year != value.year:
        pattern += " 'de' y"
    return format_date(value, pattern, locale=_date_locale(language))


def _money_locale(currency: str, language: str) -> str:
    locale = _locale(language)
    if "_" in locale:
        return locale
    return _LOCALE_OF_CURRENCY.get(currency) or ("pt_BR" if locale == "pt" else "es_ES")


def _date_locale(language: str) -> str:
    locale = _locale(language)
    return "pt_BR" if locale == "pt" else locale


def _locale(language: str) -> str:
    """ "pt-BR" → "pt_BR"; "es" stays "es"."""
    parts = language.replace("_", "-").split("-")
    return parts[0].lower() if len(parts) == 1 else f"{parts[0].lower()}_{parts[1].upper()}"

"""The three markets: language, currency, time zone, and the business days promised dates count.

A member's dates ("today", a promised date, a due date) are their market's calendar days, and
business days skip weekends and the country's national holidays (python-holidays).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from sandbox.sql import as_utc


class Market(StrEnum):
    BR = "BR"
    CL = "CL"
    ES = "ES"


class Language(StrEnum):
    PT = "pt"
    ES = "es"


@dataclass(frozen=True)
class MarketInfo:
    language: Language
    currency: str
    zone: ZoneInfo
    # Whole currency units only (CLP): amounts are rounded to 100 "cents".
    minor_units: bool


MARKETS = {
    Market.BR: MarketInfo(Language.PT, "BRL", ZoneInfo("America/Sao_Paulo"), minor_units=True),
    Market.CL: MarketInfo(Language.ES, "CLP", ZoneInfo("America/Santiago"), minor_units=False),
    Market.ES: MarketInfo(Language.ES, "EUR", ZoneInfo("Europe/Madrid"), minor_units=True),
}


def info(market: str) -> MarketInfo:
    return MARKETS[Market(market)]


def local_moment(market: str, moment: datetime) -> datetime:
    """A stored (UTC) moment as the member's clock shows it."""
    return as_utc(moment).astimezone(info(market).zone)


def local_today(market: str, now: datetime) -> date:
    return local_moment(market, now).date()


@cache
def _national_holidays(market: Market) -> Any:
    # National holidays only: regional ones differ by state and the sandbox's promises are
    # made country-wide.
    return holidays.country_holidays(market.value)


def is_business_day(market: str, day: date) -> bool:
    return day.weekday() < 5 and day not in _national_holidays(Market(market))


def add_business_days(market: str, start: date, days: int) -> date:
    """The day `days` business days after `start` (the day itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(market, day):
            remaining -= 1
    return day


def business_day_on_or_after(market: str, day: date) -> date:
    while not is_business_day(market, day):
        day += timedelta(days=1)
    return day

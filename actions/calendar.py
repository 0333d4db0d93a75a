"""Business days per market: weekends and national holidays do not count.

ANS deadlines (RN 566/2022) and promises to members are counted in business days. National
holidays only (the `holidays` package): a state's or a city's own holidays vary by where the member
is treated, so a deadline may land a day early there, never late.
"""

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

TIME_ZONES = {
    "BR": ZoneInfo("America/Sao_Paulo"),
    "CL": ZoneInfo("America/Santiago"),
    "ES": ZoneInfo("Europe/Madrid"),
}


def today_in(market: str) -> date:
    """Today where the member is (the action server may run in another zone, or in UTC)."""
    return datetime.now(TIME_ZONES[_market(market)]).date()


def is_business_day(day: date, market: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(_market(market))


def add_business_days(start: date, n: int, market: str) -> date:
    """The business day `n` business days after `start` (before it when n is negative).

    With n = 0, `start` itself when it is a business day, else the next one: what "counting
    starts on the next business day" means for a request opened on a Saturday.
    """
    step = 1 if n >= 0 else -1
    day = start
    if n == 0:
        while not is_business_day(day, market):
            day += timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day, market):
            remaining -= 1
    return day


def business_days_between(start: date, end: date, market: str) -> int:
    """Business days after `start` up to and including `end`; negative when `end` is earlier.

    From a Friday to the next Monday is 1; from Monday to Friday of the same week is 4; so
    add_business_days(start, business_days_between(start, end)) == end when end is a business
    day.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    count = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if is_business_day(low + timedelta(days=offset), market)
    )
    return sign * count


def _market(market: str) -> str:
    code = market.upper()
    if code not in TIME_ZONES:
        raise ValueError(f"unknown market {market!r}")
    return code


@cache
def _holidays(market: str) -> holidays.HolidayBase:
    # Years are filled in on demand as dates are looked up.
    return holidays.country_holidays(market)

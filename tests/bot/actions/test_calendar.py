"""Business days per market: weekends and national holidays do not count."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from actions.calendar import (
    add_business_days,
    business_days_between,
    is_business_day,
    today_in,
)


def test_black_consciousness_day_is_a_national_holiday_in_brazil() -> None:
    # 20 November, national since Lei 14.759/2023; a Friday in 2026.
    assert not is_business_day(date(2026, 11, 20), "BR")
    assert is_business_day(date(2026, 11, 20), "CL")
    assert is_business_day(date(2026, 11, 20), "ES")


def test_christmas_and_weekends() -> None:
    for market in ("BR", "CL", "ES"):
        assert not is_business_day(date(2026, 12, 25), market)
        assert not is_business_day(date(2026, 11, 21), market)  # Saturday
        assert not is_business_day(date(2026, 11, 22), market)  # Sunday
        assert is_business_day(date(2026, 11, 23), market)


def test_adding_business_days_jumps_the_holiday_and_the_weekend() -> None:
    thursday = date(2026, 11, 19)
    assert add_business_days(thursday, 1, "BR") == date(2026, 11, 23)
    assert add_business_days(thursday, 1, "CL") == date(2026, 11, 20)


def test_an_ans_deadline_across_christmas() -> None:
    # 7 business days (basic consultation) from Friday 18 Dec 2026: 21-24, 28-30 Dec.
    assert add_business_days(date(2026, 12, 18), 7, "BR") == date(2026, 12, 30)


def test_zero_days_from_a_weekend_is_the_next_business_day() -> None:
    assert add_business_days(date(2026, 11, 21), 0, "BR") == date(2026, 11, 23)
    assert add_business_days(date(2026, 11, 23), 0, "BR") == date(2026, 11, 23)


def test_all_souls_day_in_brazil() -> None:
    assert add_business_days(date(2026, 10, 30), 1, "BR") == date(2026, 11, 3)


def test_going_back() -> None:
    assert add_business_days(date(2026, 11, 23), -1, "BR") == date(2026, 11, 19)


def test_between_is_signed() -> None:
    assert business_days_between(date(2026, 11, 19), date(2026, 11, 23), "BR") == 1
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 19), "BR") == -1
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 27), "BR") == 4
    assert business_days_between(date(2026, 11, 23), date(2026, 11, 23), "BR") == 0
    assert business_days_between(date(2026, 11, 19), date(2026, 11, 23), "ES") == 2


@pytest.mark.parametrize("market", ["BR", "CL", "ES"])
def test_between_undoes_add(market: str) -> None:
    start = date(2026, 11, 4)  # a business day in all three (2 Nov is a holiday in Brazil)
    for n in range(0, 60, 5):
        end = add_business_days(start, n, market)
        assert business_days_between(start, end, market) == n


def test_today_is_the_markets_date() -> None:
    for market, zone in (
        ("BR", "America/Sao_Paulo"),
        ("CL", "America/Santiago"),
        ("ES", "Europe/Madrid"),
    ):
        before = datetime.now(ZoneInfo(zone)).date()
        found = today_in(market)
        after = datetime.now(ZoneInfo(zone)).date()
        assert before <= found <= after
    spread = {today_in(m) for m in ("BR", "CL", "ES")}
    assert max(spread) - min(spread) <= timedelta(days=1)


def test_an_unknown_market_is_an_error() -> None:
    with pytest.raises(ValueError):
        today_in("AR")

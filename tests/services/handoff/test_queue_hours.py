"""Business hours: open, closed, weekends, national holidays, and business-time arithmetic."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from pydantic import ValidationError

from handoff.queue.hours import HOURS_FILE, load_business_hours

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
SANTIAGO = ZoneInfo("America/Santiago")
HOURS = load_business_hours()


def sp(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SAO_PAULO)


@pytest.mark.parametrize(
    ("moment", "open_now"),
    [
        (sp("2025-11-18", "08:00"), True),  # Tuesday, opening time
        (sp("2025-11-18", "19:59"), True),
        (sp("2025-11-18", "20:00"), False),  # closing time is closed
        (sp("2025-11-18", "07:59"), False),
        (sp("2025-11-22", "13:59"), True),  # Saturday morning
        (sp("2025-11-22", "14:00"), False),
        (sp("2025-11-23", "11:00"), False),  # Sunday
        (sp("2025-04-21", "11:00"), False),  # Tiradentes, a national holiday on a Monday
        (sp("2025-11-20", "11:00"), False),  # Black Awareness Day, national since 2024
        (sp("2025-12-25", "11:00"), False),
    ],
)
def test_humans_are_on_within_opening_hours_only(moment: datetime, open_now: bool) -> None:
    assert HOURS.is_open(language="pt", at=moment) is open_now
    assert HOURS.is_open(language="pt", at=moment.astimezone(UTC)) is open_now


def test_outside_hours_the_member_is_told_when_people_are_back() -> None:
    friday_night = sp("2025-04-18", "21:00")  # Good Friday, then Saturday, Sunday, Tiradentes

    availability = HOURS.availability(language="pt", priority="green", now=friday_night)

    assert not availability.humans_on
    assert availability.next_opening_at == sp("2025-04-19", "08:00")
    holiday_monday = HOURS.availability(
        language="pt", priority="yellow", now=sp("2025-04-21", "09:00")
    )
    assert holiday_monday.next_opening_at == sp("2025-04-22", "08:00")
    assert holiday_monday.next_opening_at is not None
    assert holiday_monday.next_opening_at.tzinfo == SAO_PAULO


def test_red_has_people_around_the_clock() -> None:
    christmas_night = sp("2025-12-25", "03:00")

    availability = HOURS.availability(language="pt", priority="red", now=christmas_night)

    assert availability.humans_on and availability.next_opening_at is None


def test_while_open_the_next_opening_is_now() -> None:
    moment = sp("2025-11-18", "10:00")

    assert HOURS.availability(language="pt", priority="green", now=moment).humans_on
    assert HOURS.next_opening(language="pt", after=moment) == moment


def test_spanish_members_follow_their_own_calendar() -> None:
    # 18 September, Chile's national day: closed there, open in Brazil at the same instant.
    moment = datetime(2025, 9, 18, 11, 0, tzinfo=SANTIAGO)

    assert not HOURS.is_open(language="es", at=moment)
    assert HOURS.is_open(language="pt", at=moment)
    assert HOURS.is_open(language="es", at=datetime(2025, 9, 22, 11, 0, tzinfo=SANTIAGO))


def test_business_time_skips_nights_weekends_and_holidays() -> None:
    friday_evening = sp("2025-11-14", "19:00")

    # One hour on Friday; Saturday the 15th is a holiday (Proclamação da República);
    # Sunday closed; Monday from 08:00.
    due = HOURS.add_business_time(language="pt", start=friday_evening, duration=timedelta(hours=4))

    assert due == sp("2025-11-17", "11:00")
    assert HOURS.business_time_between(
        language="pt", start=friday_evening, end=sp("2025-11-17", "11:00")
    ) == timedelta(hours=4)
    # Started while closed: the clock starts at the opening.
    assert HOURS.add_business_time(
        language="pt", start=sp("2025-11-16", "12:00"), duration=timedelta(minutes=15)
    ) == sp("2025-11-17", "08:15")


def write_hours(tmp_path: Path, change: dict[str, object]) -> Path:
    document = yaml.safe_load(HOURS_FILE.read_text(encoding="utf-8"))
    document["calendars"]["pt"].update(change)
    path = tmp_path / "hours.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "America/Atlantis"},
        {"holidays_country": "XX"},
        {"week": {"mon": ["20:00-08:00"]}},
        {"week": {"mon": ["8h-20h"]}},
        {"week": {"funday": ["08:00-20:00"]}},
        {"week": {"mon": ["08:00-12:00", "11:00-18:00"]}},
        {"week": {}},
        {"opening": "always"},
    ],
)
def test_a_broken_hours_file_stops_the_start(tmp_path: Path, change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        load_business_hours(write_hours(tmp_path, change))


def test_every_language_needs_a_calendar(tmp_path: Path) -> None:
    document = yaml.safe_load(HOURS_FILE.read_text(encoding="utf-8"))
    del document["calendars"]["es"]
    path = tmp_path / "hours.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")

    with pytest.raises(ValidationError, match="no calendar for es"):
        load_business_hours(path)


def test_a_day_may_run_to_midnight_and_have_a_lunch_break(tmp_path: Path) -> None:
    hours = load_business_hours(
        write_hours(tmp_path, {"week": {"tue": ["08:00-12:00", "13:00-24:00"]}})
    )

    assert hours.is_open(language="pt", at=sp("2025-11-18", "23:59"))
    assert not hours.is_open(language="pt", at=sp("2025-11-18", "12:30"))
    assert hours.next_opening(language="pt", after=sp("2025-11-18", "12:30")) == sp(
        "2025-11-18", "13:00"
    )

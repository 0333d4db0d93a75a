"""When payment reminders go out: D-3, D-1 and D+3 at the member's local hour, moved off Sundays
and national holidays (earlier before the due date, later after it), never without consent."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from worker.reminders.cadence import (
    CadenceError,
    Reminder,
    due_dates_around,
    parse_cadence,
    reminder_cadence,
    reminder_due_now,
    reminders,
)

CADENCE = reminder_cadence()
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def local(reminder: Reminder, zone: str) -> str:
    return reminder.at.astimezone(ZoneInfo(zone)).strftime("%a %Y-%m-%d %H:%M")


def test_a_bill_due_on_a_wednesday_gets_three_reminders_at_ten_in_sao_paulo() -> None:
    sent = reminders(
        due=date(2026, 12, 9), market="BR", consented=True, now=LONG_AGO, cadence=CADENCE
    )
    assert [local(r, "America/Sao_Paulo") for r in sent] == [
        "Sat 2026-12-05 10:00",  # D-3 is a Sunday: the Saturday before
        "Tue 2026-12-08 10:00",
        "Sat 2026-12-12 10:00",
    ]


def test_no_reminder_without_consent() -> None:
    assert (
        reminders(
            due=date(2026, 12, 9), market="BR", consented=False, now=LONG_AGO, cadence=CADENCE
        )
        == []
    )


def test_national_holidays_move_reminders_earlier_before_the_due_date_and_later_after_it() -> None:
    # Due Monday 2026-12-28: D-1 is Sunday 27, D-3 Friday 25 (Christmas) -> Thursday 24.
    sent = reminders(
        due=date(2026, 12, 28), market="BR", consented=True, now=LONG_AGO, cadence=CADENCE
    )
    assert [local(r, "America/Sao_Paulo") for r in sent] == [
        "Thu 2026-12-24 10:00",
        "Sat 2026-12-26 10:00",
        "Thu 2026-12-31 10:00",
    ]


def test_the_hour_is_the_members_own_in_chile_and_spain() -> None:
    chile = reminders(
        due=date(2027, 3, 10), market="CL", consented=True, now=LONG_AGO, cadence=CADENCE
    )
    spain = reminders(
        due=date(2027, 3, 10), market="ES", consented=True, now=LONG_AGO, cadence=CADENCE
    )
    assert {local(r, "America/Santiago")[-5:] for r in chile} == {"10:00"}
    assert {local(r, "Europe/Madrid")[-5:] for r in spain} == {"10:00"}
    assert chile[0].at != spain[0].at


def test_reminders_already_past_are_not_sent() -> None:
    now = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)  # after D-1's 10:00 in São Paulo
    sent = reminders(due=date(2026, 12, 9), market="BR", consented=True, now=now, cadence=CADENCE)
    assert [r.offset_days for r in sent] == [3]


@pytest.mark.parametrize(
    "raw",
    [
        {
            "offsets_days": [-3],
            "send_at": "21:00",
            "quiet_hours": {"from": "08:00", "until": "20:00"},
        },
        {
            "offsets_days": [0],
            "send_at": "10:00",
            "quiet_hours": {"from": "08:00", "until": "20:00"},
        },
        {
            "offsets_days": [-3],
            "send_at": "ten",
            "quiet_hours": {"from": "08:00", "until": "20:00"},
        },
    ],
)
def test_a_cadence_outside_quiet_hours_or_malformed_stops_the_worker(raw: dict[str, Any]) -> None:
    with pytest.raises(CadenceError):
        parse_cadence(raw)


# --- the worker's pass: which reminder's moment has come -----------------------------------------


def due_now(
    due: date, market: str, zone: str, local_now: str, consented: bool = True
) -> int | None:
    """The offset of the reminder due at `local_now` ("2026-12-05 10:00" on the member's clock)."""
    now = datetime.fromisoformat(local_now).replace(tzinfo=ZoneInfo(zone))
    found = reminder_due_now(
        due=due, market=market, consented=consented, now=now.astimezone(UTC), cadence=CADENCE
    )
    return None if found is None else found.offset_days


BR, SAO_PAULO = "BR", "America/Sao_Paulo"


@pytest.mark.parametrize(
    ("local_now", "offset"),
    [
        ("2026-12-05 09:59", None),  # D-3 (Sunday the 6th, moved to Saturday), not yet 10:00
        ("2026-12-05 10:00", -3),
        ("2026-12-05 16:30", -3),  # a worker that was down still sends it the same afternoon
        ("2026-12-05 19:59", -3),
        ("2026-12-05 20:00", None),  # quiet hours: never in the evening
        ("2026-12-06 10:00", None),  # nor the next day
        ("2026-12-08 10:05", -1),
        ("2026-12-09 10:00", None),  # nothing on the due date itself
        ("2026-12-12 10:00", 3),
    ],
)
def test_the_reminder_due_now_in_sao_paulo(local_now: str, offset: int | None) -> None:
    assert due_now(date(2026, 12, 9), BR, SAO_PAULO, local_now) == offset


def test_nothing_is_due_without_consent() -> None:
    assert due_now(date(2026, 12, 9), BR, SAO_PAULO, "2026-12-05 10:00", consented=False) is None


def test_a_holiday_moves_the_moment_earlier_before_the_due_date_and_later_after_it() -> None:
    # Due Monday 2026-12-28: D-3 is Christmas Friday (-> Thursday 24); D+3 Thursday 31.
    # Due Thursday 2026-12-03: D+3 is Sunday 6 (-> Monday 7).
    assert due_now(date(2026, 12, 28), BR, SAO_PAULO, "2026-12-25 10:00") is None
    assert due_now(date(2026, 12, 28), BR, SAO_PAULO, "2026-12-24 10:00") == -3
    assert due_now(date(2026, 12, 3), BR, SAO_PAULO, "2026-12-06 10:00") is None
    assert due_now(date(2026, 12, 3), BR, SAO_PAULO, "2026-12-07 10:00") == 3


def test_chile_keeps_ten_oclock_across_the_end_of_summer_time() -> None:
    # Summer time ends on Sunday 2027-04-04: D-3 (Saturday 3rd) is UTC-3, D-1 (Tuesday 6th) UTC-4.
    due, zone = date(2027, 4, 7), "America/Santiago"
    assert due_now(due, "CL", zone, "2027-04-03 10:00") == -3
    assert due_now(due, "CL", zone, "2027-04-06 09:59") is None
    assert due_now(due, "CL", zone, "2027-04-06 10:00") == -1
    (_, d_minus_1, _) = reminders(
        due=due, market="CL", consented=True, now=LONG_AGO, cadence=CADENCE
    )
    assert d_minus_1.at == datetime(2027, 4, 6, 14, 0, tzinfo=UTC)


def test_spain_keeps_ten_oclock_across_the_start_of_summer_time() -> None:
    # Summer time starts on Sunday 2027-03-28: D-3 (Saturday 27th) is UTC+1, D-1 UTC+2.
    due, zone = date(2027, 3, 31), "Europe/Madrid"
    assert due_now(due, "ES", zone, "2027-03-27 10:00") == -3
    assert due_now(due, "ES", zone, "2027-03-30 10:00") == -1
    assert due_now(due, "ES", zone, "2027-03-30 20:00") is None
    (_, d_minus_1, _) = reminders(
        due=due, market="ES", consented=True, now=LONG_AGO, cadence=CADENCE
    )
    assert d_minus_1.at == datetime(2027, 3, 30, 8, 0, tzinfo=UTC)


def test_the_due_dates_looked_at_cover_every_reminder_that_can_fall_today() -> None:
    today = date(2026, 12, 5)
    first, last = due_dates_around(today, CADENCE)
    assert (first, last) == (date(2026, 11, 24), date(2026, 12, 16))
    # D+3 moved a week later, and D-3 moved a week earlier, still fall inside.
    assert first <= today - timedelta(days=3 + 7) and today + timedelta(days=3 + 7) <= last

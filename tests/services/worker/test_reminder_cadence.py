"""When payment reminders go out: D-3, D-1 and D+3 at the member's local hour, moved off Sundays
and national holidays (earlier before the due date, later after it), never without consent."""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from worker.reminders.cadence import (
    CadenceError,
    Reminder,
    parse_cadence,
    reminder_cadence,
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

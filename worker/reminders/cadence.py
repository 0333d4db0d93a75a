"""When each payment reminder may go out: D-3, D-1 and D+3 around a due date, at a decent hour of
the member's own clock, never on a Sunday or a national holiday, and only with their consent.

`reminders` plans them; `reminder_due_now` says which one to send at the worker's pass.
Pure: the caller gives the due date, the market, the consent and the moment; cadence.yml gives
the rules, validated when the worker starts.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import yaml

CADENCE_FILE = Path(__file__).with_name("cadence.yml")
MARKETS = {
    "BR": ZoneInfo("America/Sao_Paulo"),
    "CL": ZoneInfo("America/Santiago"),
    "ES": ZoneInfo("Europe/Madrid"),
}
SUNDAY = 6
# No reminder is moved further than this from its day; past it, it is dropped.
MOST_DAYS_MOVED = 7


class CadenceError(ValueError):
    """cadence.yml cannot be applied; the worker does not start."""


@dataclass(frozen=True)
class Cadence:
    offsets_days: tuple[int, ...]
    send_at: time
    quiet_from: time
    quiet_until: time


@dataclass(frozen=True)
class Reminder:
    offset_days: int
    at: datetime  # UTC


def reminders(
    *, due: date, market: str, consented: bool, now: datetime, cadence: Cadence
) -> list[Reminder]:
    """The reminders still to send for a bill due on `due`: none without consent, none in the
    past, each on an allowed day of the member's calendar."""
    if not consented:
        return []
    return [r for r in _planned(due=due, market=market, cadence=cadence) if r.at > now]


def reminder_due_now(
    *, due: date, market: str, consented: bool, now: datetime, cadence: Cadence
) -> Reminder | None:
    """The reminder whose moment has come: its time is past and its local day's quiet hours are
    not over yet. A worker that was down sends it when it is back, but never at night or on
    another day. Should two fall on one day, the one nearer the due date says more."""
    if not consented:
        return None
    zone = MARKETS[market]
    local_now = now.astimezone(zone)
    come = [
        r
        for r in _planned(due=due, market=market, cadence=cadence)
        if r.at <= now
        and r.at.astimezone(zone).date() == local_now.date()
        and local_now.time() < cadence.quiet_until
    ]
    return come[-1] if come else None


def due_dates_around(today: date, cadence: Cadence) -> tuple[date, date]:
    """The first and last due dates whose reminders may fall on `today`: the offsets, the days
    a reminder may be moved, and one more day either side for the markets' time zones."""
    slack = MOST_DAYS_MOVED + 1
    return (
        today - timedelta(days=max(cadence.offsets_days) + slack),
        today + timedelta(days=-min(cadence.offsets_days) + slack),
    )


def _planned(*, due: date, market: str, cadence: Cadence) -> list[Reminder]:
    """Every reminder of a bill due on `due`, in order, each on an allowed day at `send_at`."""
    zone = MARKETS[market]
    planned = []
    for offset in cadence.offsets_days:
        day = _allowed_day(due + timedelta(days=offset), market, earlier=offset < 0)
        if day is None or (offset < 0 and day >= due):
            continue
        at = datetime.combine(day, cadence.send_at, zone).astimezone(UTC)
        planned.append(Reminder(offset_days=offset, at=at))
    return planned


def _allowed_day(day: date, market: str, *, earlier: bool) -> date | None:
    step = timedelta(days=-1 if earlier else 1)
    for _ in range(MOST_DAYS_MOVED + 1):
        if day.weekday() != SUNDAY and day not in _holidays(market, day.year):
            return day
        day += step
    return None


@cache
def _holidays(market: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(market, years=year)


@cache
def reminder_cadence() -> Cadence:
    return parse_cadence(yaml.safe_load(CADENCE_FILE.read_text(encoding="utf-8")))


def parse_cadence(raw: Any) -> Cadence:
    try:
        offsets = tuple(int(d) for d in raw["offsets_days"])
        cadence = Cadence(
            offsets_days=offsets,
            send_at=time.fromisoformat(raw["send_at"]),
            quiet_from=time.fromisoformat(raw["quiet_hours"]["from"]),
            quiet_until=time.fromisoformat(raw["quiet_hours"]["until"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CadenceError(f"{CADENCE_FILE.name}: {type(error).__name__}: {error}") from error
    if not cadence.quiet_from <= cadence.send_at < cadence.quiet_until:
        raise CadenceError(f"{CADENCE_FILE.name}: send_at must fall inside quiet_hours")
    if not offsets or 0 in offsets:
        raise CadenceError(f"{CADENCE_FILE.name}: offsets_days are days before (-) or after (+)")
    return cadence

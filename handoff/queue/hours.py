"""Business hours: whether people are on now, when they next are, and business time arithmetic.

Loaded from hours.yml and validated when the service starts (`load_business_hours`), so a typo
stops the start instead of a member being told the wrong thing.
"""

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from handoff.queue.enums import Language, Priority
from handoff.queue.models import as_utc

HOURS_FILE = Path(__file__).with_name("hours.yml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar with hours somewhere finds them within a year, holidays and all.
_SEARCH_DAYS = 366
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def _parse_range(value: str) -> tuple[time, time | None]:
    """'08:00-20:00' → (08:00, 20:00); an end of 24:00 is None (midnight, end of the day)."""
    match = _RANGE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an HH:MM-HH:MM range")
    opens = time(int(match[1]), int(match[2]))
    end_hour, end_minute = int(match[3]), int(match[4])
    if end_hour == 24:
        if end_minute:
            raise ValueError(f"{value!r} ends after midnight")
        return opens, None
    closes = time(end_hour, end_minute)
    if closes <= opens:
        raise ValueError(f"{value!r} closes before it opens")
    return opens, closes


def _check_range(value: str) -> str:
    _parse_range(value)
    return value


OpeningRange = Annotated[str, AfterValidator(_check_range)]


class Calendar(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time_zone: str
    holidays_country: str
    holidays_subdivision: str | None = None
    week: dict[str, list[OpeningRange]]
    closed_dates: list[date] = Field(default_factory=list)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("week")
    @classmethod
    def _weekdays(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekdays {sorted(unknown)}; use {', '.join(WEEKDAYS)}")
        if not any(value.values()):
            raise ValueError("the week has no opening hours at all")
        for ranges in value.values():
            spans = sorted(_parse_range(item) for item in ranges)
            for (_, closes), (next_opens, _) in itertools.pairwise(spans):
                if closes is None or closes > next_opens:
                    raise ValueError(f"overlapping opening ranges {ranges}")
        return value

    @model_validator(mode="after")
    def _known_holidays(self) -> "Calendar":
        try:
            holidays.country_holidays(self.holidays_country, subdiv=self.holidays_subdivision)
        except NotImplementedError as error:
            raise ValueError(
                f"python-holidays has no calendar {self.holidays_country!r}"
                f"/{self.holidays_subdivision!r}"
            ) from error
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def public_holidays(self) -> Any:
        return holidays.country_holidays(self.holidays_country, subdiv=self.holidays_subdivision)

    def closed_on(self, day: date) -> bool:
        return day in self.closed_dates or day in self.public_holidays

    def opening_spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's opening hours as aware datetimes; none on holidays and closed dates."""
        if self.closed_on(day):
            return []
        spans = []
        for item in self.week.get(WEEKDAYS[day.weekday()], []):
            opens, closes = _parse_range(item)
            start = datetime.combine(day, opens, tzinfo=self.zone)
            end = (
                datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
                if closes is None
                else datetime.combine(day, closes, tzinfo=self.zone)
            )
            spans.append((start, end))
        return sorted(spans)


class HoursConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    calendars: dict[Language, Calendar]

    @field_validator("calendars")
    @classmethod
    def _every_language(cls, value: dict[Language, Calendar]) -> dict[Language, Calendar]:
        missing = [language.value for language in Language if language not in value]
        if missing:
            raise ValueError(f"no calendar for {', '.join(missing)}")
        return value


@dataclass(frozen=True)
class Availability:
    """What the bot tells a member about people being there."""

    humans_on: bool
    # When people are next on (None while they are on).
    next_opening_at: datetime | None


class BusinessHours:
    def __init__(self, config: HoursConfig) -> None:
        self._calendars = config.calendars

    def calendar(self, language: str) -> Calendar:
        return self._calendars[Language(language)]

    def is_open(self, *, language: str, at: datetime) -> bool:
        at = as_utc(at)
        day = at.astimezone(self.calendar(language).zone).date()
        return any(start <= at < end for start, end in self.calendar(language).opening_spans(day))

    def next_opening(self, *, language: str, after: datetime) -> datetime:
        """`after` itself while open; otherwise the start of the next opening span (in the
        calendar's zone, ready to be said to the member)."""
        after = as_utc(after)
        for start, end in self._spans_from(language, after):
            if end > after:
                return max(start, after).astimezone(self.calendar(language).zone)
        raise AssertionError("validated calendars always open again")  # pragma: no cover

    def availability(self, *, language: str, priority: str, now: datetime) -> Availability:
        """Red handoffs have people 24/7; others only within the language's hours."""
        if Priority(priority) == Priority.RED or self.is_open(language=language, at=now):
            return Availability(humans_on=True, next_opening_at=None)
        return Availability(
            humans_on=False, next_opening_at=self.next_opening(language=language, after=now)
        )

    def add_business_time(self, *, language: str, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of opening hours has passed since `start`."""
        start = as_utc(start)
        remaining = duration
        for span_start, span_end in self._spans_from(language, start):
            begin = max(span_start, start)
            if span_end <= begin:
                continue
            if begin + remaining <= span_end:
                return begin + remaining
            remaining -= span_end - begin
        raise AssertionError("validated calendars always open again")  # pragma: no cover

    def business_time_between(self, *, language: str, start: datetime, end: datetime) -> timedelta:
        """How much of [start, end) fell within opening hours."""
        start, end = as_utc(start), as_utc(end)
        total = timedelta(0)
        for span_start, span_end in self._spans_from(language, start):
            if span_start >= end:
                break
            total += max(timedelta(0), min(span_end, end) - max(span_start, start))
        return total

    def _spans_from(self, language: str, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        calendar = self.calendar(language)
        day = moment.astimezone(calendar.zone).date()
        for offset in range(_SEARCH_DAYS):
            yield from calendar.opening_spans(day + timedelta(days=offset))


def load_business_hours(path: Path = HOURS_FILE) -> BusinessHours:
    """Read and check hours.yml; raises pydantic.ValidationError naming what is wrong."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return BusinessHours(HoursConfig.model_validate(document))

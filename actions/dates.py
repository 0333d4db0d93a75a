"""Dates as members write them, in Portuguese and Spanish: a birth date, a day for an appointment.

Always day first ("03/04" is the 3rd of April), as in Brazil, Chile and Spain. A small grammar of
our own rather than dateparser: these are the few forms members use, and a general parser's
guesses (month first, relative phrases read as times, a year filled in from the clock) are exactly
what an identity check and an appointment must not get wrong.

`today` is always the caller's (calendar.today_in(market)), so "amanhã" is the member's tomorrow.
"""

import re
import unicodedata
from contextlib import suppress
from datetime import date, timedelta

from text_to_num import alpha2digit

OLDEST_AGE = 120
# "05/01" said in December is next January; "10/11" said on 24/11 is a past day, not next year's.
YEARLESS_HORIZON = timedelta(days=183)

# Portuguese and Spanish month names do not collide, so one table serves both; accents removed.
MONTHS = {
    **dict.fromkeys(["janeiro", "enero", "jan", "ene"], 1),
    **dict.fromkeys(["fevereiro", "febrero", "fev", "feb"], 2),
    **dict.fromkeys(["marco", "marzo", "mar"], 3),
    **dict.fromkeys(["abril", "abr"], 4),
    **dict.fromkeys(["maio", "mayo", "mai", "may"], 5),
    **dict.fromkeys(["junho", "junio", "jun"], 6),
    **dict.fromkeys(["julho", "julio", "jul"], 7),
    **dict.fromkeys(["agosto", "ago"], 8),
    **dict.fromkeys(["setembro", "septiembre", "setiembre", "set", "sep", "sept"], 9),
    **dict.fromkeys(["outubro", "octubre", "out", "oct"], 10),
    **dict.fromkeys(["novembro", "noviembre", "nov"], 11),
    **dict.fromkeys(["dezembro", "diciembre", "dez", "dic"], 12),
}
WEEKDAYS = {
    **dict.fromkeys(["segunda", "lunes"], 0),
    **dict.fromkeys(["terca", "martes"], 1),
    **dict.fromkeys(["quarta", "miercoles"], 2),
    **dict.fromkeys(["quinta", "jueves"], 3),
    **dict.fromkeys(["sexta", "viernes"], 4),
    **dict.fromkeys(["sabado"], 5),
    **dict.fromkeys(["domingo"], 6),
}

_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?![\d:h])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
_WORDS = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:o|a|º|°|ª)?\s+(?:de\s+)?([a-z]+)\.?(?:\s+(?:de|del)?\s*(\d{4}|\d{2}))?(?![\d:h])"
)
_DAY_OF_MONTH = re.compile(r"\b(?:dia|el)\s+(\d{1,2})(?!\s*[/.-]?\s*\d)")
_FIRST = re.compile(r"\b(primeiro|primero)\b")

_RELATIVE = {
    "depois de amanha": 2,
    "pasado manana": 2,
    "hoje": 0,
    "hoy": 0,
    "amanha": 1,
    "manana": 1,
}
# Longest first, so "depois de amanhã" is not also "amanhã"; "la mañana" is the morning.
_RELATIVE_DAY = re.compile(
    r"\bdepois de amanha\b|\bpasado manana\b|\bhoje\b|\bhoy\b|\bamanha\b|(?<!la )\bmanana\b"
)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_WEEKDAY_MARK = re.compile(r"<(\d)>")


def parse_birth_date(text: str, language: str, today: date) -> date | None:
    """The birth date in the member's answer ("14/03/1985", "14-3-85", "14.03.1985", "14 de
    março de 1985", "nasci em 14/03/1985", "catorce de marzo de 1985"), or None when there is
    none, it is in the future, or it would make the member older than 120.

    A two-digit year is the most recent one not in the future: "85" is 1985, "05" is 2005.
    """
    for found in _dates(_normalise(text, language), today, past=True):
        if found <= today and _years_between(found, today) <= OLDEST_AGE:
            return found
    return None


def parse_day(text: str, language: str, today: date) -> date | None:
    """The day the member means for something still to happen, never before `today`.

    An explicit date wins: "20/12" or "20 de dezembro" without a year is the next such date when
    that is within about six months, with a year it is that date, and a date already past is
    None (a typo, or something to ask about).
    Then "hoje"/"hoy", "amanhã"/"mañana", "depois de amanhã"/"pasado mañana" (the last one named,
    so "hoje não, amanhã" is tomorrow; "por la mañana" is a time of day, not tomorrow); then
    "dia 3"/"el 3", the next 3rd of a month; then a weekday ("sexta", "el lunes"), its next
    occurrence after today. Vague answers ("semana que vem", "la próxima semana", "mês que vem")
    are None: the journey asks for a day.
    """
    plain = _normalise(text, language)
    dates = _dates(plain, today, past=False)
    if dates:
        return dates[0] if dates[0] >= today else None
    relative = [
        today + timedelta(days=_RELATIVE[m.group(0)]) for m in _RELATIVE_DAY.finditer(plain)
    ]
    if relative:
        return relative[-1]
    day_of_month = _DAY_OF_MONTH.search(plain)
    if day_of_month:
        return _next_day_of_month(int(day_of_month.group(1)), today)
    weekday = _WEEKDAY_MARK.search(plain)
    if weekday:
        ahead = (int(weekday.group(1)) - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    return None


def _normalise(text: str, language: str) -> str:
    """Lower case, no accents, numbers in words as digits ("catorce" → "14")."""
    plain = _strip_accents(text.lower())
    # Weekdays first: text2num reads "sexta" as the ordinal 6ª.
    plain = _WEEKDAY.sub(lambda m: f"<{WEEKDAYS[m.group(1)]}>", plain)
    plain = _FIRST.sub("1", plain)
    if language[:2] in ("pt", "es"):
        plain = alpha2digit(plain, language[:2], threshold=0)
    return plain


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _dates(plain: str, today: date, *, past: bool) -> list[date]:
    """Every calendar date written in the text, in order. For a date in the `past` (a birth date)
    the year is required and a two-digit one makes the latest such date not in the future;
    otherwise a missing year is the next occurrence and a two-digit one is in this century."""
    found: list[tuple[int, date]] = []
    for match in _ISO.finditer(plain):
        _add(found, match.start(), int(match[1]), int(match[2]), int(match[3]))
    for match in _COMPACT.finditer(plain):
        _add(found, match.start(), int(match[3]), int(match[2]), int(match[1]))
    for match in _NUMERIC.finditer(plain):
        if _inside_iso(plain, match.start()):
            continue
        day, month, year = int(match[1]), int(match[3]), match[4]
        _add_resolved(found, match.start(), day, month, year, today, past)
    for match in _WORDS.finditer(plain):
        named = MONTHS.get(match[2])
        if named:
            _add_resolved(found, match.start(), int(match[1]), named, match[3], today, past)
    return [value for _, value in sorted(found, key=lambda item: item[0])]


def _inside_iso(plain: str, start: int) -> bool:
    return any(m.start() <= start < m.end() for m in _ISO.finditer(plain))


def _add_resolved(
    found: list[tuple[int, date]],
    at: int,
    day: int,
    month: int,
    year: str | None,
    today: date,
    past: bool,
) -> None:
    if year is None:
        if not past:
            _add_next(found, at, day, month, today)
        return
    full = int(year) if len(year) == 4 else today.year - today.year % 100 + int(year)
    if past and len(year) == 2 and (full, month, day) > (today.year, today.month, today.day):
        full -= 100  # a birth date in two digits is the latest one not in the future
    _add(found, at, full, month, day)


def _add(found: list[tuple[int, date]], at: int, year: int, month: int, day: int) -> None:
    with suppress(ValueError):  # 31/02, month 13: not a date
        found.append((at, date(year, month, day)))


def _add_next(found: list[tuple[int, date]], at: int, day: int, month: int, today: date) -> None:
    """The next day/month on or after today, if it is within the horizon; else the date this
    year, already past, so that the caller answers None rather than guess a year ahead."""
    with suppress(ValueError):  # 31/04: not a date
        this_year = date(today.year, month, day)
        if this_year >= today:
            found.append((at, this_year))
        elif this_year.replace(year=today.year + 1) - today <= YEARLESS_HORIZON:
            found.append((at, this_year.replace(year=today.year + 1)))
        else:
            found.append((at, this_year))


def _next_day_of_month(day: int, today: date) -> date | None:
    """The next date on or after today whose day of the month is `day` (skipping short months)."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    return years - ((later.month, later.day) < (earlier.month, earlier.day))

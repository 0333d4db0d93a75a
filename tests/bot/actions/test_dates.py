"""Dates as members write them: birth dates for the identity check, days for appointments."""

from datetime import date

import pytest

from actions.dates import parse_birth_date, parse_day

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("14/03/1985", "pt"),
        ("14-3-85", "pt"),
        ("14.03.1985", "es"),
        ("14 de março de 1985", "pt"),
        ("14 de marco de 1985", "pt"),
        ("14 de marzo de 1985", "es"),
        ("nasci em 14/03/1985", "pt"),
        ("nací el 14 de marzo del 1985", "es"),
        ("14 mar 1985", "pt"),
        ("catorce de marzo de mil novecientos ochenta y cinco", "es"),
        ("quatorze de março de mil novecentos e oitenta e cinco", "pt"),
        ("1985-03-14", "pt"),
        ("14031985", "pt"),
    ],
)
def test_birth_date_forms(text: str, language: str) -> None:
    assert parse_birth_date(text, language, TODAY) == date(1985, 3, 14)


def test_day_first_always() -> None:
    assert parse_birth_date("03/04/1990", "pt", TODAY) == date(1990, 4, 3)
    assert parse_birth_date("1º de abril de 1990", "pt", TODAY) == date(1990, 4, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02/07/90", date(1990, 7, 2)),
        ("01/01/05", date(2005, 1, 1)),  # a two-digit year is the latest not in the future
        ("01/01/26", date(2026, 1, 1)),
        ("01/12/26", date(1926, 12, 1)),  # 2026-12-01 has not come yet
    ],
)
def test_two_digit_years(text: str, expected: date) -> None:
    assert parse_birth_date(text, "pt", TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "30/02/1990",  # no such day
        "14/13/1985",  # no such month
        "25/11/2026",  # tomorrow: not born yet
        "01/01/1900",  # 126 years old
        "14/03",  # no year: a birth date needs one
        "não lembro",
        "",
    ],
)
def test_not_a_birth_date(text: str) -> None:
    assert parse_birth_date(text, "pt", TODAY) is None


def test_the_oldest_member_is_120() -> None:
    assert parse_birth_date("25/11/1905", "pt", TODAY) == date(1905, 11, 25)  # 121 tomorrow
    assert parse_birth_date("24/11/1905", "pt", TODAY) is None  # 121 today


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("20/12", "pt", date(2026, 12, 20)),
        ("20/12/2026", "pt", date(2026, 12, 20)),
        ("20/12/26", "pt", date(2026, 12, 20)),
        ("dia 20 de dezembro às 14h", "pt", date(2026, 12, 20)),
        ("el 5 de enero", "es", date(2027, 1, 5)),
        ("dia 3", "pt", date(2026, 12, 3)),
        ("día 30", "es", date(2026, 11, 30)),
        ("dia 24", "pt", TODAY),
        ("dia dois", "pt", date(2026, 12, 2)),
        ("hoje", "pt", TODAY),
        ("hoy", "es", TODAY),
        ("amanhã", "pt", date(2026, 11, 25)),
        ("amanha de manhã", "pt", date(2026, 11, 25)),
        ("mañana", "es", date(2026, 11, 25)),
        ("hoy por la mañana", "es", TODAY),
        ("depois de amanhã", "pt", date(2026, 11, 26)),
        ("pasado mañana", "es", date(2026, 11, 26)),
        ("hoje não, só amanhã", "pt", date(2026, 11, 25)),
        ("sexta", "pt", date(2026, 11, 27)),
        ("na sexta-feira", "pt", date(2026, 11, 27)),
        ("terça", "pt", date(2026, 12, 1)),  # said on a Tuesday: the next one
        ("el lunes", "es", date(2026, 11, 30)),
        ("el miércoles", "es", date(2026, 11, 25)),
    ],
)
def test_appointment_days(text: str, language: str, expected: date) -> None:
    assert parse_day(text, language, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "semana que vem",  # vague: the journey asks for a day
        "la próxima semana",
        "mês que vem",
        "10/11/2026",  # past
        "10/11",  # earlier this month: not next year's 10 November
        "31/04",  # no such day
        "quando der",
    ],
)
def test_no_appointment_day(text: str) -> None:
    assert parse_day(text, "pt", TODAY) is None


def test_a_yearless_date_early_next_year_is_next_year() -> None:
    assert parse_day("05/01", "pt", date(2026, 12, 20)) == date(2027, 1, 5)


def test_day_31_skips_short_months() -> None:
    assert parse_day("dia 31", "pt", date(2026, 11, 24)) == date(2026, 12, 31)
    assert parse_day("dia 31", "pt", date(2027, 1, 31)) == date(2027, 1, 31)
    assert parse_day("dia 31", "pt", date(2027, 2, 1)) == date(2027, 3, 31)


def test_never_a_past_day() -> None:
    texts = ["20/12", "dia 3", "amanhã", "sexta", "01/01", "dia 1", "30/11", "hoje"]
    for offset in range(0, 400, 7):
        today = date.fromordinal(TODAY.toordinal() + offset)
        for text in texts:
            found = parse_day(text, "pt", today)
            assert found is None or found >= today, (text, today)

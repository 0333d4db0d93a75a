"""Money and dates as members of each market read them."""

from datetime import date

from actions.formatting import NBSP, long_day, money, short_day


def test_reais() -> None:
    assert money(123456, "BRL", "pt") == f"R${NBSP}1.234,56"
    assert money(123456, "BRL", "pt-BR") == f"R${NBSP}1.234,56"
    assert money(5, "BRL", "pt") == f"R${NBSP}0,05"
    assert money(8999000, "BRL", "pt") == f"R${NBSP}89.990,00"


def test_chilean_pesos_have_no_decimals() -> None:
    # The API's cents field holds pesos times 100 for CLP too.
    assert money(1234500, "CLP", "es") == f"${NBSP}12.345"
    assert money(1234500, "CLP", "es-CL") == f"${NBSP}12.345"


def test_euros() -> None:
    assert money(123456, "EUR", "es") == f"1.234,56{NBSP}€"
    assert money(123456, "EUR", "es-ES") == f"1.234,56{NBSP}€"


def test_short_day_is_day_first_everywhere() -> None:
    for language in ("pt", "es", "es-CL", "es-ES"):
        assert short_day(date(2026, 11, 20), language) == "20/11/2026"


def test_long_day() -> None:
    assert long_day(date(2026, 11, 20), "pt") == "sexta-feira, 20 de novembro"
    assert long_day(date(2026, 11, 20), "es") == "viernes, 20 de noviembre"
    assert long_day(date(2026, 11, 20), "es-CL") == "viernes, 20 de noviembre"


def test_long_day_names_the_year_only_when_it_is_another() -> None:
    today = date(2026, 11, 24)
    assert long_day(date(2026, 12, 1), "pt", today) == "terça-feira, 1 de dezembro"
    assert long_day(date(2027, 1, 5), "pt", today) == "terça-feira, 5 de janeiro de 2027"
    assert long_day(date(2027, 1, 5), "es", today) == "martes, 5 de enero de 2027"

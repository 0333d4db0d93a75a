"""The pieces the answers are made of: keyword classification, business days per market, the
boleto's due-date factor around its 2025 restart, late fees in whole units, masks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sandbox.billing.boleto import due_factor, make_boleto
from sandbox.billing.duplicate import terms_today
from sandbox.billing.late_fees import late_charges
from sandbox.billing.models import Invoice
from sandbox.documents import masked
from sandbox.markets import add_business_days
from sandbox.members.models import Member
from sandbox.phones import masked as masked_phone
from sandbox.rules import LateFees, load_rules
from tests.services.sandbox.decoders import decode_boleto

RULES = load_rules()


@pytest.mark.parametrize(
    ("procedure", "category"),
    [
        ("Ressonância magnética do joelho", "high_complexity"),
        ("RESONANCIA de rodilla", "high_complexity"),
        ("consulta com cardiologista", "specialist_consultation"),  # longest keyword wins
        ("Consulta", "basic_consultation"),
        ("exames de sangue", "lab_test"),  # plural
        ("análisis de sangre", "lab_test"),
        ("raio-x do braço", "diagnostic_therapy"),
        ("sesiones de fisioterapia", "diagnostic_therapy"),
        ("pronto-socorro", "urgency"),
        ("internação para cirurgia", "elective_admission"),
        ("cirurgia estética", "aesthetic"),  # a tie goes to the exclusion
        ("tacto", "diagnostic_therapy"),  # "tac" is a whole word only: not recognised
    ],
)
def test_classification(procedure: str, category: str) -> None:
    assert RULES.classify(procedure).category == category


def test_unrecognised_and_excluded() -> None:
    assert RULES.classify("tacto").recognised is False
    assert RULES.classify("botox").excluded is True
    assert RULES.classify("hemograma").excluded is False


@pytest.mark.parametrize(
    ("market", "start", "days", "promised"),
    [
        ("BR", date(2026, 11, 18), 3, date(2026, 11, 24)),  # Zumbi day, Friday the 20th
        ("BR", date(2026, 11, 18), 0, date(2026, 11, 18)),
        ("CL", date(2026, 9, 17), 1, date(2026, 9, 21)),  # Fiestas Patrias, 18 and 19 September
        ("ES", date(2026, 12, 4), 3, date(2026, 12, 10)),  # Immaculate Conception, 8 December
        ("ES", date(2026, 12, 4), 21, date(2027, 1, 8)),  # Christmas, New Year, Epiphany
    ],
)
def test_business_days(market: str, start: date, days: int, promised: date) -> None:
    assert add_business_days(market, start, days) == promised


def test_due_date_factor_restarts_at_1000_on_2025_02_22() -> None:
    assert due_factor(date(2000, 7, 3)) == 1000
    assert due_factor(date(2025, 2, 21)) == 9999
    assert due_factor(date(2025, 2, 22)) == 1000
    assert due_factor(date(2026, 11, 18)) == 1000 + 634
    with pytest.raises(ValueError):
        due_factor(date(2049, 10, 14))


def test_a_published_bank_001_example() -> None:
    # The example of Banco do Brasil's boleto specification: factor 3737 (old count), R$ 1,00.
    barcode = "00193373700000001000500940144816060680935031"
    line = "00190500954014481606906809350314337370000000100"

    boleto = make_boleto(
        bank_code="001",
        free_field=barcode[19:],
        due=date(1997, 10, 7) + timedelta(days=3737),
        amount_cents=100,
    )

    assert (boleto.barcode, boleto.digitable_line) == (barcode, line)
    assert decode_boleto(barcode, line, around=date(2008, 1, 1)).amount_cents == 100


def test_late_fees_round_to_the_currencys_unit() -> None:
    fees = LateFees(fine_percent=Decimal(2), monthly_interest_percent=Decimal(1))
    brl = late_charges(54990, days_late=15, fees=fees, minor_units=True)
    clp = late_charges(4_512_300, days_late=7, fees=fees, minor_units=False)

    assert (brl.fine_cents, brl.interest_cents) == (1100, 275)
    assert clp.fine_cents % 100 == 0 and clp.interest_cents % 100 == 0
    assert (clp.fine_cents, clp.interest_cents) == (90200, 10500)
    assert late_charges(54990, days_late=0, fees=fees, minor_units=True).total_cents == 0


def test_masks() -> None:
    assert masked("cpf", "52998224725") == "***.***.247-25"
    assert masked("rut", "12345678K") == "**.***.678-K"
    assert masked("dni", "12345678Z") == "*****678Z"
    assert masked("nie", "X1234567L") == "X****567L"
    assert masked_phone("+5511987654321") == "+55 11 *****-4321"
    assert masked_phone("+56912345678") == "+56 *****-5678"


def test_the_contracts_duplicate_example() -> None:
    # docs/insurer-api.md: 89990 due 2026-11-10, reissued on 2026-11-24 → 92300 due 2026-11-27.
    invoice = Invoice(id="INV-000321", due_date=date(2026, 11, 10), amount_cents=89990)
    terms = terms_today(
        invoice, member=Member(market="BR"), billing=RULES.billing, today=date(2026, 11, 24)
    )

    assert (terms.amount_cents, terms.due_date) == (92300, date(2026, 11, 27))

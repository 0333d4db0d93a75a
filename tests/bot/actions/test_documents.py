"""Identity documents found in what members write, checked, and shown back masked."""

import pytest

from actions.documents import clean_document, document_kind_for, find_document, masked


@pytest.mark.parametrize(
    "text",
    [
        "529.982.247-25",
        "52998224725",
        "meu cpf é 529.982.247-25",
        "CPF: 529 982 247 25, obrigada",
        "é 529982247-25",
    ],
)
def test_a_cpf_in_free_text_comes_back_compact(text: str) -> None:
    assert clean_document(text, "BR") == "52998224725"
    assert clean_document(text, "pt") == "52998224725"


@pytest.mark.parametrize(
    "text",
    [
        "529.982.247-26",  # wrong check digit: a typo must not become someone else
        "111.111.111-11",  # passes the arithmetic, but no CPF is all one digit
        "5299822472",  # ten digits
        "meu telefone é 11 98765-4321",
        "não sei",
    ],
)
def test_no_valid_cpf_is_none(text: str) -> None:
    assert clean_document(text, "BR") is None


def test_a_cpf_inside_a_longer_number_is_not_taken() -> None:
    assert clean_document("protocolo 0052998224725", "BR") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.345.678-5", "123456785"),
        ("mi rut es 12345678-5", "123456785"),
        ("123456785", "123456785"),
        ("rut 1.234.567-4", "12345674"),
    ],
)
def test_a_chilean_rut(text: str, expected: str) -> None:
    assert clean_document(text, "CL") == expected


def test_a_rut_with_k_as_check_digit() -> None:
    # 10.000.013-K: the mod-11 check of 10000013 is 10, written K.
    assert clean_document("mi rut es 10.000.013-k", "CL") == "10000013K"


def test_a_rut_with_a_wrong_check_digit_is_none() -> None:
    assert clean_document("12.345.678-9", "CL") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12345678Z", "12345678Z"),
        ("mi dni es 12345678-z", "12345678Z"),
        ("12.345.678-Z", "12345678Z"),
        ("NIE X1234567L", "X1234567L"),
        ("x-1234567-l", "X1234567L"),
    ],
)
def test_a_spanish_dni_or_nie(text: str, expected: str) -> None:
    assert clean_document(text, "ES") == expected


def test_a_dni_with_the_wrong_letter_is_none() -> None:
    assert clean_document("12345678A", "ES") is None


def test_spanish_before_the_market_is_known_takes_a_rut_or_a_dni() -> None:
    assert find_document("mi rut es 12.345.678-5", "es") == ("rut", "123456785")
    assert find_document("mi dni es 12345678Z", "es") == ("dni", "12345678Z")
    assert find_document("X1234567L", "es") == ("nie", "X1234567L")


def test_each_market_takes_only_its_own_document() -> None:
    assert clean_document("12345678Z", "CL") is None
    assert clean_document("12.345.678-5", "ES") is None
    assert clean_document("529.982.247-25", "CL") is None


def test_which_document_to_ask_for() -> None:
    assert document_kind_for("pt") == "cpf"
    assert document_kind_for("pt-BR") == "cpf"
    assert document_kind_for("BR") == "cpf"
    assert document_kind_for("CL") == "rut"
    assert document_kind_for("ES") == "dni"  # the market: Spain
    assert document_kind_for("es-ES") == "dni"
    assert document_kind_for("es") == "rut_or_dni"  # the language: Chile or Spain
    with pytest.raises(ValueError):
        document_kind_for("fr")


@pytest.mark.parametrize(
    ("document", "kind", "shown"),
    [
        ("52998224725", "cpf", "***.***.247-25"),
        ("529.982.247-25", "cpf", "***.***.247-25"),
        ("123456785", "rut", "**.***.678-5"),
        ("12.345.678-5", "rut", "**.***.678-5"),
        ("12345674", "rut", "*.***.567-4"),
        ("12345678Z", "dni", "*****678Z"),
        ("X1234567L", "nie", "X****567L"),
        ("1234", "cpf", "***"),
        ("52998224725", "dni", "***"),
    ],
)
def test_masked_never_shows_the_whole_number(document: str, kind: str, shown: str) -> None:
    assert masked(document, kind) == shown
    digits = "".join(c for c in document if c.isdigit())
    assert digits not in shown

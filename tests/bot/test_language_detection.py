"""The language the assistant answers in is the member's: pt or es, and en recognised."""

import pytest

from bot.language_detection import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("oi", "pt"),
        ("Olá!", "pt"),
        ("obg", "pt"),
        ("vlw", "pt"),
        ("bom dia", "pt"),
        ("o que vc faz?", "pt"),
        ("QUERO FALAR COM UM ATENDENTE AGORA!!!", "pt"),
        ("meu filho esta com febre alta e preciso de autorizacao", "pt"),
        ("hola", "es"),
        ("gracias", "es"),
        ("buenos dias", "es"),
        ("¿qué puedes hacer?", "es"),
        ("necesito ayuda", "es"),
        ("mi hija tiene fiebre muy alta, necesito una autorización", "es"),
        ("what can you do", "en"),
    ],
)
def test_detects_the_language_members_write_in(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["ok", "👍", "", "   ", "123", "?!", "kkkkk"])
def test_says_nothing_when_the_message_does_not_tell(text: str) -> None:
    # None keeps the conversation's language: "ok" after a Spanish turn must stay Spanish.
    assert detect_language(text) is None


def test_copes_with_a_huge_message() -> None:
    assert detect_language("preciso de ajuda com meu reembolso " * 2000) == "pt"

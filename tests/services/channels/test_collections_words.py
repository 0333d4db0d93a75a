"""The collections language guard (actions/negotiation/language_guard.yml) over what the services
say about payments: the reminder templates and the thank-you for a payment, in pt and es.

The services cannot import actions/, so the whole-word matching is this file's own, the same rule
the bot's guard test applies: accents and case aside, whole words, or word starts for a term
ending in *.
"""

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from channels import payment_thanks

ROOT = Path(__file__).resolve().parents[3]
GUARD = yaml.safe_load(
    (ROOT / "actions/negotiation/language_guard.yml").read_text(encoding="utf-8")
)
TEMPLATES_FILE = ROOT / "channels/whatsapp/templates.yml"
TEMPLATES = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))["templates"]
PAYMENT_TEMPLATES = ("payment_reminder", "payment_overdue_reminder", "payment_received")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def mentions(text: str, term: str) -> bool:
    pattern = rf"(?<!\w){re.escape(term.rstrip('*'))}" + ("" if term.endswith("*") else r"(?!\w)")
    return re.search(pattern, fold(text)) is not None


def payment_texts(language: str) -> list[tuple[str, str]]:
    texts = [(name, TEMPLATES[name][language]["text"]) for name in PAYMENT_TEMPLATES]
    for words in ("THANKS", "INSTALLMENT", "SETTLED", "REFERENCE"):
        texts.append((f"payment_thanks.{words}", getattr(payment_thanks, words)[language]))
    return texts


@pytest.mark.parametrize("language", ["pt", "es"])
def test_no_payment_message_threatens_shames_or_names_a_medical_matter(language: str) -> None:
    found = [
        (kind, term, where)
        for kind, terms in GUARD["forbidden"].items()
        for term in terms[language]
        for where, text in payment_texts(language)
        if mentions(text, term)
    ]
    assert found == []


def test_the_matching_catches_what_it_is_meant_to_catch() -> None:
    assert mentions("Último aviso: evite o SERASA", "ultimo aviso")
    assert mentions("Não seja caloteiro", "caloteir*")
    assert not mentions("processamento do pagamento", "processo")

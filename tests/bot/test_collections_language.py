"""The language guard: no collections message, in either language, says a coercive, shaming or
medical word (actions/negotiation/language_guard.yml)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.words import mentions

ROOT = Path(__file__).resolve().parents[2]
GUARD = yaml.safe_load(
    (ROOT / "actions/negotiation/language_guard.yml").read_text(encoding="utf-8")
)
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
WORDS = yaml.safe_load((ROOT / "actions/words.yml").read_text(encoding="utf-8"))


def variation_language(variation: dict[str, Any]) -> str:
    conditions = variation.get("condition") or []
    return next((c["value"] for c in conditions if c["name"] == "language"), "pt")


def collections_texts(language: str) -> list[tuple[str, str]]:
    texts = []
    for name in GUARD["responses"]:
        for variation in DOMAIN["responses"][name]:
            if variation_language(variation) == language:
                texts.append((name, variation["text"]))
                texts += [(f"{name} button", b["title"]) for b in variation.get("buttons") or []]
    for group in GUARD["words"]:
        values = WORDS[language][group]
        phrases = values.values() if isinstance(values, dict) else [values]
        texts += [(f"words.yml {group}", str(v)) for v in phrases]
    return texts


@pytest.mark.parametrize("language", ["pt", "es"])
def test_no_collections_message_threatens_shames_or_names_a_medical_matter(language: str) -> None:
    texts = collections_texts(language)
    assert len(texts) >= len(GUARD["responses"])  # every listed response has this language
    found = [
        (kind, term, where)
        for kind, terms in GUARD["forbidden"].items()
        for term in terms[language]
        for where, text in texts
        if mentions(text, [term])
    ]
    assert found == []


def test_the_guard_catches_what_it_is_meant_to_catch() -> None:
    # The check itself, on words it must refuse and words it must let through.
    terms = GUARD["forbidden"]["coercive"]["pt"] + GUARD["forbidden"]["shaming"]["pt"]
    caught = [t for t in terms if mentions("Seu nome vai para o SERASA, caloteiro", [t])]
    assert {"serasa", "caloteir*"} <= set(caught)
    assert not mentions("Vamos deixar tudo em dia juntos", terms)

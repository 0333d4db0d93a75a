"""The trained model measured on the held-out set in this folder (never trained on).

Thresholds from the NLU issue: macro-F1 >= 0.90 per language; every red case red; at most 5 %
false reds on everything else. Runs on models/acolhe.tar.gz, after `make train`.
"""

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

HERE = Path(__file__).parent
MODEL = Path(os.environ.get("RASA_MODEL", HERE.parents[1] / "models" / "acolhe.tar.gz"))
URGENCY = yaml.safe_load((HERE / "urgency.yml").read_text(encoding="utf-8"))
LANGUAGES = ["pt", "es"]


@pytest.fixture(scope="module")
def parse() -> Iterator[Any]:
    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()

    def parse_text(text: str) -> dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    yield parse_text
    loop.close()


def held_out(language: str) -> list[tuple[str, str]]:
    data = load_data(str(HERE / f"{language}.yml"))
    return [(example.get("text"), example.get("intent")) for example in data.intent_examples]


@pytest.mark.parametrize("language", LANGUAGES)
def test_intents_macro_f1_at_least_0_90(parse: Any, language: str) -> None:
    examples = held_out(language)
    expected = [intent for _, intent in examples]
    predicted = [parse(text)["intent"]["name"] for text, _ in examples]
    macro_f1 = f1_score(expected, predicted, average="macro", labels=sorted(set(expected)))
    misses = [(t, e, p) for (t, e), p in zip(examples, predicted, strict=True) if e != p]
    print(f"{language} macro-F1 {macro_f1:.3f}")
    assert macro_f1 >= 0.90, f"macro-F1 {macro_f1:.3f}; misses: {misses[:15]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_red_case_is_red(parse: Any, language: str) -> None:
    missed = [text for text in URGENCY[language]["red"] if parse(text)["urgency"]["level"] != "red"]
    assert not missed


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_most_5_percent_false_reds(parse: Any, language: str) -> None:
    cases = URGENCY[language]["not_red"] + URGENCY[language]["yellow"]
    cases += [text for text, intent in held_out(language) if intent != "report_emergency"]
    false_reds = [text for text in cases if parse(text)["urgency"]["level"] == "red"]
    assert len(false_reds) <= 0.05 * len(cases), false_reds

"""NLU benchmark: Acolhe's pipeline against Rasa's default one, same data, same run.

    .venv-bot/bin/python -m bench.nlu     (or `make bench-nlu`)

Both are trained on data/ and measured on the held-out set in tests/nlu/: macro-F1 per language,
the worst intents, entity F1 (exact spans), urgency precision/recall on tests/nlu/urgency.yml,
training time and parse latency. Rasa's default pipeline has no urgency signal; for it, a message
counts as red when its intent is report_emergency.
"""

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from rasa.core.agent import Agent
from rasa.model_training import train_nlu
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "nlu"
LANGUAGES = ["pt", "es"]
NOT_SCORED = "language"  # added by our detector to say the language, not an entity members wrote

# What `rasa init` writes for Rasa 3.6 when the pipeline is left to its defaults.
RASA_DEFAULT_CONFIG = {
    "recipe": "default.v1",
    "language": "pt",
    "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer"},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
        {"name": "EntitySynonymMapper"},
        {"name": "ResponseSelector", "epochs": 100, "constrain_similarities": True},
        {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
    ],
}


def train(config: Path, output: Path, name: str) -> tuple[Path, float]:
    started = time.perf_counter()
    model = train_nlu(str(config), str(ROOT / "data"), str(output), fixed_model_name=name)
    return Path(str(model)), time.perf_counter() - started


def entity_spans(entities: list[dict[str, Any]]) -> set[tuple[str, int, int]]:
    return {(e["entity"], e["start"], e["end"]) for e in entities if e["entity"] != NOT_SCORED}


def is_red(parse: dict[str, Any]) -> bool:
    urgency = parse.get("urgency")
    if isinstance(urgency, dict):
        return urgency.get("level") == "red"
    return parse["intent"]["name"] == "report_emergency"


async def measure(model: Path) -> dict[str, Any]:
    agent = Agent.load(str(model))
    results: dict[str, Any] = {"latencies": []}

    async def parse(text: str) -> dict[str, Any]:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        results["latencies"].append(time.perf_counter() - started)
        return parsed

    found = expected = correct = 0
    for language in LANGUAGES:
        examples = load_data(str(HELD_OUT / f"{language}.yml")).intent_examples
        truth, predicted = [], []
        for example in examples:
            parsed = await parse(example.get("text"))
            truth.append(example.get("intent"))
            predicted.append(parsed["intent"]["name"])
            gold = entity_spans(example.get("entities") or [])
            guess = entity_spans(parsed["entities"])
            found, expected, correct = (
                found + len(guess),
                expected + len(gold),
                correct + len(gold & guess),
            )
        labels = sorted(set(truth))
        per_intent = f1_score(truth, predicted, average=None, labels=labels)
        results[f"macro_f1_{language}"] = f1_score(truth, predicted, average="macro", labels=labels)
        results[f"worst_{language}"] = sorted(zip(per_intent, labels, strict=True))[:3]

    precision = correct / found if found else 0.0
    recall = correct / expected if expected else 0.0
    results["entity_f1"] = 2 * precision * recall / (precision + recall) if correct else 0.0

    urgency = yaml.safe_load((HELD_OUT / "urgency.yml").read_text(encoding="utf-8"))
    true_red = false_red = missed_red = 0
    for language in LANGUAGES:
        for text in urgency[language]["red"]:
            if is_red(await parse(text)):
                true_red += 1
            else:
                missed_red += 1
        for text in urgency[language]["not_red"] + urgency[language]["yellow"]:
            false_red += is_red(await parse(text))
    results["red_precision"] = true_red / (true_red + false_red) if true_red + false_red else 0.0
    results["red_recall"] = true_red / (true_red + missed_red)
    return results


def report(name: str, seconds: float, results: dict[str, Any]) -> None:
    latencies = sorted(results["latencies"])
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(f"\n{name}")
    print(f"  training time          {seconds:8.1f} s")
    for language in LANGUAGES:
        worst = ", ".join(f"{intent} {f1:.2f}" for f1, intent in results[f"worst_{language}"])
        macro_f1 = results[f"macro_f1_{language}"]
        print(f"  macro-F1 {language}            {macro_f1:8.3f}   worst: {worst}")
    print(f"  entity F1 (exact span) {results['entity_f1']:8.3f}")
    print(f"  red urgency precision  {results['red_precision']:8.3f}")
    print(f"  red urgency recall     {results['red_recall']:8.3f}")
    print(f"  parse latency p50/p95  {p50:8.1f} / {p95:.1f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="acolhe-nlu-bench-") as folder:
        output = Path(folder)
        default_config = output / "rasa-default.yml"
        default_config.write_text(yaml.safe_dump(RASA_DEFAULT_CONFIG), encoding="utf-8")
        for name, config in [
            ("Acolhe pipeline", ROOT / "config.yml"),
            ("Rasa default pipeline", default_config),
        ]:
            model, seconds = train(config, output, name.split()[0].lower())
            report(name, seconds, asyncio.run(measure(model)))


if __name__ == "__main__":
    main()

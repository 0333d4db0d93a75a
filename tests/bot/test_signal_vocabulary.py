"""Vocabulary phrases match the way members write, and a broken vocabulary file fails loudly."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from bot.signals import load_vocabularies, vocabulary
from bot.signals.frustration import frustration_vocabulary
from bot.signals.phrases import MatchOptions, PhraseError, PhraseMatcher
from bot.signals.text import tokenize
from bot.signals.urgency import urgency_vocabulary
from bot.signals.writing import writing_by_language


def finds(phrase: str, text: str, **options: float) -> bool:
    matcher = PhraseMatcher(
        [("cue", phrase)],
        MatchOptions(**options),  # type: ignore[arg-type]
        {"place": ["upa", "pronto socorro"], "at": ["na", "no"]},
    )
    return bool(matcher.find(tokenize(text)))


@pytest.mark.parametrize(
    ("phrase", "text", "options", "found"),
    [
        ("dor peito", "dor no peito", {"max_gap": 2}, True),
        ("dor peito", "dor muito forte no peito", {"max_gap": 3}, True),
        ("dor peito", "dor no joelho e no braço, peito ok", {"max_gap": 3}, False),
        ("dor peito", "DÓR NO PEITOOO", {"max_gap": 2}, True),
        ("dor peito", "dor, peito", {"max_gap": 2}, False),  # another clause
        ("desmai*", "ela desmaiou", {}, True),
        ("desmai*", "ela desmaiada", {}, True),
        ("desmaiou", "ela desmaoiu", {"typo_tolerance_from": 6}, True),
        ("desmaiou", "ela desmaiu", {"typo_tolerance_from": 6}, True),
        ("desmaiou", "ela desmaiou", {"typo_tolerance_from": 6}, True),
        ("desmaiou", "ela desmaou", {}, False),  # no typo tolerance asked for
        ("peito", "perto", {"typo_tolerance_from": 6}, False),  # too short to forgive
        ("{at}+{place}", "to na upa", {"max_gap": 3}, True),
        ("{at}+{place}", "to no pronto-socorro", {"max_gap": 3}, True),
        ("{at}+{place}", "na cidade tem upa", {"max_gap": 3}, False),
        (
            "febre @high_temperature",
            "febre de 39,5",
            {"max_gap": 2, "high_temperature": 39.5},
            True,
        ),
        (
            "febre @high_temperature",
            "febre de 39 e meio",
            {"max_gap": 2, "high_temperature": 39.5},
            True,
        ),
        ("febre @high_temperature", "febre de 39", {"max_gap": 2, "high_temperature": 39.5}, False),
        ("com @high_temperature", "com 40 anos", {"high_temperature": 39.5}, False),
        ("@high_temperature graus", "40° agora", {"high_temperature": 39.5}, True),
        ("ha @number dias", "ha 5 dias", {}, True),
    ],
)
def test_phrase_matching(phrase: str, text: str, options: dict, found: bool) -> None:
    assert finds(phrase, text, **options) is found


@pytest.mark.parametrize(
    "phrase", ["{unknown} febre", "+febre", "febre+", "ab*", "@temperature", "@high_temperature"]
)
def test_a_phrase_that_cannot_match_is_refused(phrase: str) -> None:
    with pytest.raises(PhraseError):
        PhraseMatcher([("cue", phrase)], MatchOptions())


def test_the_shipped_vocabularies_load() -> None:
    load_vocabularies()


@pytest.fixture
def vocabulary_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("urgency.yml", "frustration.yml", "writing.yml"):
        shutil.copy(vocabulary.HERE / name, tmp_path / name)
    monkeypatch.setattr(vocabulary, "HERE", tmp_path)
    _clear_caches()
    yield tmp_path
    _clear_caches()


def _clear_caches() -> None:
    urgency_vocabulary.cache_clear()
    frustration_vocabulary.cache_clear()
    writing_by_language.cache_clear()


def edit(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    path = folder / name
    content = yaml.load(path.read_text(encoding="utf-8"), Loader=vocabulary.WordsLoader)  # noqa: S506
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("urgency.yml", lambda c: c["reasons"]["chest_pain"].update(level="orange"), "level"),
        (
            "urgency.yml",
            lambda c: c["reasons"]["chest_pain"].update(supersedes=["x"]),
            "supersedes",
        ),
        ("urgency.yml", lambda c: c["reasons"]["chest_pain"].update(colour="red"), "colour"),
        ("urgency.yml", lambda c: c["reasons"]["fever"].update(pt=["{fevers}"]), "fevers"),
        ("urgency.yml", lambda c: c["reasons"]["fever"].update(pt=[{"all": ["febre"]}]), "all"),
        ("urgency.yml", lambda c: c["settings"].update(max_words_between=99), "max_words"),
        ("urgency.yml", lambda c: c["languages"].update(fr={}), "fr"),
        ("frustration.yml", lambda c: c["weights"].update(insult=1.5), "insult"),
        ("frustration.yml", lambda c: c["weights"].pop("insult"), "insult"),
        ("frustration.yml", lambda c: c["languages"]["pt"]["cues"].update(rage=["x"]), "rage"),
        ("writing.yml", lambda c: c["pt"].update(negations="nao"), "negations"),
    ],
)
def test_a_broken_vocabulary_names_the_file_and_the_key(
    vocabulary_copy: Path, name: str, change: Callable[[dict], None], message: str
) -> None:
    edit(vocabulary_copy, name, change)
    with pytest.raises(vocabulary.VocabularyError, match=message):
        load_vocabularies()


def test_spanish_no_is_a_word_not_a_boolean(vocabulary_copy: Path) -> None:
    # YAML 1.1 would read an unquoted `no` as false; the Spanish negation must survive.
    assert "no" in writing_by_language()["es"].negations

"""Frustration rises with what members say, how they write it, and what keeps going wrong."""

import time

import pytest

from bot.signals import assess_frustration


def score(text: str, language: str | None = "pt", history: dict | None = None) -> float:
    return assess_frustration(text, language, history)["score"]


def cues(text: str, language: str | None = "pt", history: dict | None = None) -> list[str]:
    return assess_frustration(text, language, history)["cues"]


@pytest.mark.parametrize(
    ("language", "calm", "annoyed", "threatening"),
    [
        (
            "pt",
            "oi, queria saber do meu reembolso",
            "de novo isso? que absurdo",
            "vou reclamar na ANS, isso é um absurdo",
        ),
        (
            "pt",
            "bom dia, como peço a segunda via?",
            "já falei 3 vezes, ninguém resolve nada",
            "ninguém resolve, vou no Procon e no Reclame Aqui",
        ),
        (
            "es",
            "hola, ¿cómo pido un reembolso?",
            "una vergüenza, nadie responde",
            "una vergüenza, voy a poner un reclamo en el SERNAC",
        ),
        (
            "es",
            "buenas, quiero saber de mi autorización",
            "otra vez lo mismo, ya lo dije",
            "ya lo dije mil veces, los voy a demandar",
        ),
    ],
)
def test_calm_is_below_annoyed_is_below_threatening(
    language: str, calm: str, annoyed: str, threatening: str
) -> None:
    assert score(calm, language) == 0.0
    assert 0.0 < score(annoyed, language) < score(threatening, language) <= 1.0


@pytest.mark.parametrize(
    ("language", "text", "cue"),
    [
        ("pt", "que absurdo", "negative_wording"),
        ("pt", "atendimento PÉSSIMO", "negative_wording"),
        ("pt", "isso é ridículo", "negative_wording"),
        ("pt", "que vergonha", "negative_wording"),
        ("pt", "é um descaso com o cliente", "negative_wording"),
        ("pt", "ninguem resolve", "nobody_solves"),
        ("pt", "ninguém me responde nesse chat", "nobody_solves"),
        ("pt", "ja falei isso", "already_said"),
        ("pt", "quantas vezes vou ter que explicar", "already_said"),
        ("pt", "cansei", "giving_up"),
        ("pt", "não aguento mais esse plano", "giving_up"),
        ("pt", "de novo?", "again"),
        ("pt", "mandei os documentos ha 5 dias e nada", "long_wait"),
        ("pt", "prometeram 48 horas e até agora nada", "long_wait"),
        ("pt", "nao consigo acessar o app", "struggling"),
        ("pt", "vou abrir reclamação na ANS", "complaint_threat"),
        ("pt", "vou no procon", "complaint_threat"),
        ("pt", "vou postar no reclame aqui", "complaint_threat"),
        ("pt", "vou entrar na justiça", "complaint_threat"),
        ("pt", "meu advogado vai ligar", "complaint_threat"),
        ("pt", "bando de incompetentes", "insult"),
        ("pt", "seus ladroes", "insult"),
        ("es", "es una vergüenza", "negative_wording"),
        ("es", "pésimo servicio", "negative_wording"),
        ("es", "esto es una burla", "negative_wording"),
        ("es", "nadie responde", "nobody_solves"),
        ("es", "otra vez", "again"),
        ("es", "ya lo dije", "already_said"),
        ("es", "estoy harto", "giving_up"),
        ("es", "voy a ir a la Superintendencia de Salud", "complaint_threat"),
        ("es", "los denuncio en el SERNAC", "complaint_threat"),
        ("es", "voy a reclamar a la OCU", "complaint_threat"),
        ("es", "hablaré con mi abogado", "complaint_threat"),
        ("es", "les pondré una demanda", "complaint_threat"),
        ("es", "son unos ladrones", "insult"),
        ("es", "hace 5 días que envié los papeles y nada todavía", "long_wait"),
    ],
)
def test_wording_cues(language: str, text: str, cue: str) -> None:
    assert cue in cues(text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("pt", "obrigado de novo!"),
        ("pt", "tenho vergonha de estar devendo"),
        ("pt", "sem problema, obrigado"),
        ("pt", "não é absurdo não, tudo certo"),
        ("pt", "qual o prazo da ANS pra autorizar?"),
        ("pt", "nao consigo pagar esse mes"),
        ("pt", "quero negociar minha divida"),
        ("es", "gracias otra vez"),
        ("es", "me da vergüenza pero no puedo pagar"),
        ("es", "¿cuál es el plazo para el reembolso?"),
        ("es", "hola de nuevo"),
    ],
)
def test_polite_or_neutral_messages_score_zero(language: str, text: str) -> None:
    assert assess_frustration(text, language) == {"score": 0.0, "cues": []}


def test_shouting_needs_three_words_mostly_in_capitals() -> None:
    assert "shouting" in cues("QUERO FALAR COM UM ATENDENTE")
    assert "shouting" in cues("QUERO FALAR COM UM ATENDENTE agora")
    assert "shouting" not in cues("OI")
    assert "shouting" not in cues("BOM DIA")
    assert "shouting" not in cues("meu CPF e o protocolo da ANS")


def test_repeated_punctuation() -> None:
    assert "repeated_punctuation" in cues("cadê meu reembolso???")
    assert "repeated_punctuation" in cues("respondam!!!")
    assert "repeated_punctuation" in cues("¡¡¡RESPONDAN!!!", "es")
    assert "repeated_punctuation" in cues("sério?!?")
    assert "repeated_punctuation" not in cues("cadê meu reembolso?")
    assert "repeated_punctuation" not in cues("oi!")


def test_capitals_and_punctuation_raise_the_score() -> None:
    plain = score("cade meu reembolso")
    shouted = score("CADE MEU REEMBOLSO")
    shouted_and_punctuated = score("CADE MEU REEMBOLSO???")
    assert plain < shouted < shouted_and_punctuated


def test_angry_emoji() -> None:
    assert cues("😡😡😡", None) == ["angry_emoji"]
    assert cues("👍", None) == []


def test_the_same_question_again_raises_the_score() -> None:
    question = "cadê o meu reembolso?"
    history = {"recent_member_texts": ["oi", "cade meu reembolso", "alguém?"]}
    assert "repeated_question" in cues(question, history=history)
    assert score(question, history=history) > score(question)


def test_the_same_question_twice_before_raises_it_more() -> None:
    question = "minha autorizacao ja saiu?"
    once = {"recent_member_texts": ["minha autorização já saiu?"]}
    twice = {"recent_member_texts": ["minha autorização já saiu?", "minha autorizacao ja saiu??"]}
    assert 0 < score(question, history=once) < score(question, history=twice)


@pytest.mark.parametrize(
    "earlier",
    [
        ["quero a segunda via do boleto"],  # a different question
        ["sim"],  # short answers repeat naturally
        [],
    ],
)
def test_a_different_or_short_message_is_not_a_repeat(earlier: list[str]) -> None:
    history = {"recent_member_texts": earlier}
    assert "repeated_question" not in cues("cade o meu reembolso?", history=history)
    assert "repeated_question" not in cues("sim", history={"recent_member_texts": ["sim", "sim"]})


def test_fallbacks_in_a_row_raise_the_score_step_by_step() -> None:
    scores = [score("ok", history={"fallbacks_in_a_row": n}) for n in range(5)]
    assert scores[0] == 0.0
    assert scores == sorted(scores)
    assert len(set(scores)) == 5
    assert "repeated_fallbacks" in cues("ok", history={"fallbacks_in_a_row": 2})


@pytest.mark.parametrize(
    "history",
    [
        {"recent_member_texts": "not a list", "fallbacks_in_a_row": "two"},
        {"recent_member_texts": [None, 3, {"x": 1}], "fallbacks_in_a_row": -4},
        {"fallbacks_in_a_row": True},
        {},
    ],
)
def test_malformed_history_is_ignored(history: dict) -> None:
    assert assess_frustration("ok", "pt", history) == {"score": 0.0, "cues": []}


def test_score_is_deterministic_and_bounded() -> None:
    text = "ABSURDO!!! JA FALEI, NINGUEM RESOLVE, VOU NO PROCON, BANDO DE LADROES 🤬"
    history = {"recent_member_texts": [text] * 5, "fallbacks_in_a_row": 10}
    first = assess_frustration(text, "pt", history)
    assert first == assess_frustration(text, "pt", history)
    assert 0.99 < first["score"] < 1.0


def test_cues_are_reported_once_in_a_stable_order() -> None:
    result = assess_frustration("que absurdo, um absurdo, vou no procon!!!", "pt")
    assert result["cues"] == ["complaint_threat", "negative_wording", "repeated_punctuation"]


@pytest.mark.parametrize(
    "text", ["", "   ", "👍", "🙏🙏", "?", "....", "123", "\x00", "a" * 1_000_000, "!?" * 100_000]
)
def test_empty_emoji_and_huge_inputs_do_not_crash(text: str) -> None:
    result = assess_frustration(text, None, {"recent_member_texts": [text, text]})
    assert 0.0 <= result["score"] <= 1.0


def test_a_long_history_of_long_messages_is_quick() -> None:
    started = time.monotonic()
    text = "cadê meu reembolso, ninguém resolve " * 300
    assess_frustration(text, "pt", {"recent_member_texts": [text] * 50})
    assert time.monotonic() - started < 5

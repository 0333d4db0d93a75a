"""Which language a member writes in: Portuguese, Spanish or English.

Statistical detection (lingua) is reliable from a few words on; WhatsApp messages are often one
word ("oi", "hola", "obg") or none at all ("👍"). For those, a short list of words that only one
language uses decides, and when nothing decides, the answer is None so that the conversation keeps
the language it already has.
"""

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LINGUA_CODES = {Language.PORTUGUESE: "pt", Language.SPANISH: "es", Language.ENGLISH: "en"}

# Words that, written alone, say the language. Written without accents too, as members type them.
MARKER_WORDS = {
    "pt": {
        "oi",
        "oie",
        "ola",
        "olá",
        "obrigado",
        "obrigada",
        "obg",
        "brigado",
        "brigada",
        "vlw",
        "valeu",
        "tchau",
        "bom",
        "boa",
        "sim",
        "nao",
        "não",
        "vc",
        "voce",
        "você",
        "pfv",
        "blz",
        "beleza",
        "td",
        "tudo",
        "ajuda",
        "quero",
        "preciso",
        "eu",
        "meu",
        "minha",
        "tô",
        "to",
    },
    "es": {
        "hola",
        "holi",
        "gracias",
        "grax",
        "adios",
        "adiós",
        "chao",
        "chau",
        "buenos",
        "buenas",
        "buen",
        "si",
        "sí",
        "usted",
        "xfa",
        "porfa",
        "vale",
        "ayuda",
        "quiero",
        "necesito",
        "yo",
        "mi",
        "estoy",
        "muchas",
    },
    "en": {"hello", "hi", "hey", "thanks", "thank", "please", "yes", "bye", "help"},
}

WORD = re.compile(r"[^\W\d_]+")
# Two words decide only when lingua is very sure; from three on its ordinary margin is enough.
TWO_WORD_MIN_CONFIDENCE = 0.8
MIN_RELATIVE_DISTANCE = 0.15


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Built once per process: lingua loads its models lazily and keeps them.
    return (
        LanguageDetectorBuilder.from_languages(*LINGUA_CODES)
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .build()
    )


def detect_language(text: str) -> str | None:
    """Return "pt", "es", "en", or None when the text does not say."""
    words = WORD.findall(text.lower())
    if len(words) >= 3:
        detected = _detector().detect_language_of(text)
        if detected is not None:
            return LINGUA_CODES[detected]
    elif len(words) == 2:
        best = _detector().compute_language_confidence_values(text)[0]
        if best.value >= TWO_WORD_MIN_CONFIDENCE:
            return LINGUA_CODES[best.language]
    return _by_marker_words(words)


def _by_marker_words(words: list[str]) -> str | None:
    hits = {
        language: sum(word in markers for word in words)
        for language, markers in MARKER_WORDS.items()
    }
    best = max(hits, key=lambda language: hits[language])
    others = [count for language, count in hits.items() if language != best]
    if hits[best] > 0 and hits[best] > max(others):
        return best
    return None

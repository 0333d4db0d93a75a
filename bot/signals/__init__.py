"""Urgency and frustration signals read from a member's message: pure Python, no Rasa.

    assess_urgency("meu filho está com febre de 40", "pt")
    -> {"level": "red", "reasons": ["child_high_fever"]}
    assess_frustration("já falei 3 vezes, vou na ANS!!!", "pt")
    -> {"score": 0.856, "cues": ["complaint_threat", "already_said", "repeated_punctuation"]}

The vocabularies are YAML files in this folder (urgency.yml, frustration.yml, writing.yml), read
and checked once per process; `load_vocabularies()` reads them eagerly, to fail at start-up.
"""

from bot.signals.frustration import Frustration, History, assess_frustration, frustration_vocabulary
from bot.signals.urgency import Urgency, assess_urgency, urgency_vocabulary


def load_vocabularies() -> None:
    """Read and check every vocabulary now, so that a bad edit fails loudly at start-up."""
    urgency_vocabulary()
    frustration_vocabulary()


__all__ = [
    "Frustration",
    "History",
    "Urgency",
    "assess_frustration",
    "assess_urgency",
    "load_vocabularies",
]

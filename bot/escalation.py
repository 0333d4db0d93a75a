"""When the assistant hands a conversation to a person, why, and to whom (bot/escalation.yml).

Shared by the dialogue policy that decides to hand over (bot/escalation_policy.py) and the action
that does it (actions/escalation.py), so the two never disagree. Works on plain parse results
(the dicts Rasa stores for each member message), which both sides have.
"""

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

POLICY_FILE = Path(__file__).with_name("escalation.yml")
PRIORITIES = ("red", "yellow", "green")
SKILLS = ("front_line", "technical", "clinical", "collections", "supervisor")
# Reasons the dialogue or the journeys decide; the triggers add "frustration" and their cues.
FIXED_REASONS = (
    "emergency",
    "member_asked",
    "not_understood",
    "backend_failure",
    "identity_failed",
)

ParseData = Mapping[str, Any]


class EscalationPolicyError(ValueError):
    """bot/escalation.yml does not say what the code needs."""


@dataclass(frozen=True)
class Route:
    priority: str
    skill: str


@dataclass(frozen=True)
class FrustrationTrigger:
    at_least: float
    rising_turns: int
    rising_to: float


@dataclass(frozen=True)
class EscalationRules:
    frustration: FrustrationTrigger
    cues: tuple[str, ...]
    routing: Mapping[str, Route]
    summary_turns: int

    def trigger(self, member_messages: Sequence[ParseData]) -> str | None:
        """The reason to hand over after the last of these member messages (oldest first), or
        None. Cues first: they say more precisely what went wrong than the score."""
        if not member_messages:
            return None
        latest = _frustration(member_messages[-1])
        for cue in self.cues:
            if cue in latest["cues"]:
                return cue
        if latest["score"] >= self.frustration.at_least:
            return "frustration"
        recent = [
            _frustration(m)["score"] for m in member_messages[-self.frustration.rising_turns :]
        ]
        rising = all(before < after for before, after in itertools.pairwise(recent))
        if (
            len(recent) == self.frustration.rising_turns
            and rising
            and recent[-1] >= self.frustration.rising_to
        ):
            return "frustration"
        return None

    def route(self, reason: str, urgency_level: str | None) -> Route:
        """Priority and skill for a reason, raised by the urgency of the member's words."""
        if reason == "emergency" or urgency_level == "red":
            return self.routing["emergency"]
        route = self.routing[reason]
        if urgency_level == "yellow" and route.priority == "green":
            return Route(priority="yellow", skill=route.skill)
        return route


def _frustration(parse_data: ParseData) -> dict[str, Any]:
    value = parse_data.get("frustration")
    if not isinstance(value, Mapping):
        return {"score": 0.0, "cues": []}
    score = value.get("score")
    cues = value.get("cues")
    return {
        "score": float(score) if isinstance(score, (int, float)) else 0.0,
        "cues": list(cues) if isinstance(cues, list) else [],
    }


@lru_cache(maxsize=1)
def escalation_rules(path: Path = POLICY_FILE) -> EscalationRules:
    with path.open(encoding="utf-8") as file:
        raw = yaml.safe_load(file)
    return parse_rules(raw, source=str(path))


def parse_rules(raw: Any, *, source: str) -> EscalationRules:
    try:
        triggers = raw["triggers"]
        frustration = triggers["frustration"]
        trigger = FrustrationTrigger(
            at_least=_fraction(frustration["at_least"], "triggers.frustration.at_least"),
            rising_turns=int(frustration["rising_turns"]),
            rising_to=_fraction(frustration["rising_to"], "triggers.frustration.rising_to"),
        )
        cues = tuple(str(cue) for cue in triggers["cues"])
        routing = {
            str(reason): _route(value, f"routing.{reason}")
            for reason, value in raw["routing"].items()
        }
        summary_turns = int(raw["summary_turns"])
    except (KeyError, TypeError) as error:
        raise EscalationPolicyError(f"{source}: missing or malformed {error}") from error
    if trigger.rising_turns < 2:
        raise EscalationPolicyError(f"{source}: triggers.frustration.rising_turns must be >= 2")
    missing = [r for r in (*FIXED_REASONS, "frustration", *cues) if r not in routing]
    if missing:
        raise EscalationPolicyError(f"{source}: routing has no entry for {', '.join(missing)}")
    return EscalationRules(
        frustration=trigger, cues=cues, routing=routing, summary_turns=summary_turns
    )


def _fraction(value: Any, key: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise EscalationPolicyError(f"{key} must be between 0 and 1, not {value!r}")
    return number


def _route(value: Any, key: str) -> Route:
    priority, skill = value["priority"], value["skill"]
    if priority not in PRIORITIES:
        raise EscalationPolicyError(f"{key}.priority must be one of {PRIORITIES}, not {priority!r}")
    if skill not in SKILLS:
        raise EscalationPolicyError(f"{key}.skill must be one of {SKILLS}, not {skill!r}")
    return Route(priority=priority, skill=skill)

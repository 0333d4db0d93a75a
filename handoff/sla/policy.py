"""The SLA policy (sla.yml), checked when the service starts: `load_sla_policy()`."""

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from handoff.agents.models import Skill
from handoff.queue.enums import Priority

SLA_FILE = Path(__file__).with_name("sla.yml")
FIRST_RESPONSE = "first_response"


class Clock(StrEnum):
    ALWAYS = "always"
    BUSINESS_HOURS = "business_hours"


class Milestone(StrEnum):
    FIRST_RESPONSE = "first_response"  # an agent replied
    RESOLUTION = "resolution"  # the handoff was resolved


class Audience(StrEnum):
    TEAM = "team"
    SUPERVISORS = "supervisors"
    MANAGERS = "managers"


class FirstResponseTarget(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    minutes: PositiveInt
    by_skill: dict[Skill, PositiveInt] = Field(default_factory=dict)
    notify: Audience = Audience.TEAM

    def minutes_for(self, skill: str) -> int:
        return self.by_skill.get(Skill(skill), self.minutes)

    @property
    def longest(self) -> int:
        return max([self.minutes, *self.by_skill.values()])


class EscalationRung(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: str
    after_minutes: PositiveInt
    until: Milestone
    notify: Audience

    @field_validator("stage")
    @classmethod
    def _stage_name(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z_]{0,39}", value) or value == FIRST_RESPONSE:
            raise ValueError(
                f"stage {value!r}: lower-case letters and _, and not {FIRST_RESPONSE!r}"
            )
        return value


class PriorityTargets(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clock: Clock
    first_response: FirstResponseTarget
    escalations: list[EscalationRung] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ladder_climbs(self) -> "PriorityTargets":
        names = [rung.stage for rung in self.escalations]
        if len(set(names)) != len(names):
            raise ValueError(f"stage names repeat: {names}")
        afters = [rung.after_minutes for rung in self.escalations]
        if afters != sorted(set(afters)):
            raise ValueError(f"escalations must come later and later: {afters}")
        # The evaluator relies on this order: a ladder's rungs fall due one after the other.
        if afters and afters[0] <= self.first_response.longest:
            raise ValueError(
                f"escalations come after the first-response target ({self.first_response.longest}"
                f" minutes for the slowest skill), not at {afters[0]}"
            )
        return self


@dataclass(frozen=True)
class Rung:
    """One step of a ladder, as the evaluator uses it."""

    stage: str  # "first_response" or an escalation's name
    level: int
    after: timedelta
    until: Milestone
    notify: Audience


class SlaPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    priorities: dict[Priority, PriorityTargets]

    @field_validator("priorities")
    @classmethod
    def _every_priority(
        cls, value: dict[Priority, PriorityTargets]
    ) -> dict[Priority, PriorityTargets]:
        missing = [priority.value for priority in Priority if priority not in value]
        if missing:
            raise ValueError(f"no targets for {', '.join(missing)}")
        return value

    def clock(self, priority: str) -> Clock:
        return self.priorities[Priority(priority)].clock

    def first_response_target(self, *, priority: str, skill: str) -> timedelta:
        targets = self.priorities[Priority(priority)].first_response
        return timedelta(minutes=targets.minutes_for(skill))

    def ladder(self, *, priority: str, skill: str) -> list[Rung]:
        targets = self.priorities[Priority(priority)]
        first = Rung(
            stage=FIRST_RESPONSE,
            level=1,
            after=self.first_response_target(priority=priority, skill=skill),
            until=Milestone.FIRST_RESPONSE,
            notify=targets.first_response.notify,
        )
        return [first] + [
            Rung(
                stage=rung.stage,
                level=level,
                after=timedelta(minutes=rung.after_minutes),
                until=rung.until,
                notify=rung.notify,
            )
            for level, rung in enumerate(targets.escalations, start=2)
        ]


def load_sla_policy(path: Path = SLA_FILE) -> SlaPolicy:
    """Read and check sla.yml; raises pydantic.ValidationError naming what is wrong."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return SlaPolicy.model_validate(document)

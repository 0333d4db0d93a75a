"""sla.yml: the shipped defaults, and the mistakes that stop the service from starting."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from handoff.sla.policy import SLA_FILE, Audience, Clock, Milestone, load_sla_policy


def test_the_shipped_policy_holds_the_documented_defaults() -> None:
    policy = load_sla_policy()

    assert policy.clock("red") == Clock.ALWAYS
    assert policy.clock("yellow") == policy.clock("green") == Clock.BUSINESS_HOURS
    assert policy.first_response_target(priority="red", skill="clinical") == timedelta(minutes=5)
    # The escalation matrix: front line 15, technical 30, clinical 45.
    assert [
        policy.first_response_target(priority="yellow", skill=skill).total_seconds() / 60
        for skill in ("front_line", "technical", "clinical")
    ] == [15, 30, 45]
    # A human within 4 h, a manager within 8 h.
    green = policy.ladder(priority="green", skill="front_line")
    assert [(r.stage, r.level, r.after, r.until, r.notify) for r in green] == [
        ("first_response", 1, timedelta(hours=4), Milestone.FIRST_RESPONSE, Audience.TEAM),
        ("manager", 2, timedelta(hours=8), Milestone.RESOLUTION, Audience.MANAGERS),
    ]
    assert [r.level for r in policy.ladder(priority="yellow", skill="clinical")] == [1, 2, 3]


def write_policy(tmp_path: Path, edit: Any) -> Path:
    document = yaml.safe_load(SLA_FILE.read_text(encoding="utf-8"))
    edit(document["priorities"])
    path = tmp_path / "sla.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _drop_green(priorities: dict[str, Any]) -> None:
    del priorities["green"]


def _escalate_before_first_response(priorities: dict[str, Any]) -> None:
    priorities["yellow"]["escalations"][0]["after_minutes"] = 40  # clinical's target is 45


def _repeat_a_stage(priorities: dict[str, Any]) -> None:
    priorities["yellow"]["escalations"][1]["stage"] = "supervisor"


def _go_backwards(priorities: dict[str, Any]) -> None:
    priorities["yellow"]["escalations"][1]["after_minutes"] = 50


def _unknown_skill(priorities: dict[str, Any]) -> None:
    priorities["yellow"]["first_response"]["by_skill"]["astrology"] = 10


def _unknown_audience(priorities: dict[str, Any]) -> None:
    priorities["red"]["escalations"][0]["notify"] = "everyone"


def _unknown_key(priorities: dict[str, Any]) -> None:
    priorities["red"]["first_reponse_minutes"] = 5


def _zero_minutes(priorities: dict[str, Any]) -> None:
    priorities["red"]["first_response"]["minutes"] = 0


def _stage_named_first_response(priorities: dict[str, Any]) -> None:
    priorities["red"]["escalations"][0]["stage"] = "first_response"


@pytest.mark.parametrize(
    "edit",
    [
        _drop_green,
        _escalate_before_first_response,
        _repeat_a_stage,
        _go_backwards,
        _unknown_skill,
        _unknown_audience,
        _unknown_key,
        _zero_minutes,
        _stage_named_first_response,
    ],
)
def test_a_broken_policy_stops_the_start(tmp_path: Path, edit: Any) -> None:
    with pytest.raises(ValidationError):
        load_sla_policy(write_policy(tmp_path, edit))

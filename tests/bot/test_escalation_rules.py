"""bot/escalation.yml as the policy and the action read it: when to hand over, and to whom."""

from typing import Any

import pytest

from bot.escalation import EscalationPolicyError, escalation_rules, parse_rules


def said(score: float, *cues: str) -> dict[str, Any]:
    return {"text": "...", "frustration": {"score": score, "cues": list(cues)}}


def test_a_calm_conversation_stays_with_the_bot() -> None:
    rules = escalation_rules()
    assert rules.trigger([said(0.0), said(0.1), said(0.0)]) is None
    assert rules.trigger([]) is None
    assert rules.trigger([{"text": "no signals at all"}]) is None


def test_one_very_frustrated_message_hands_over() -> None:
    assert escalation_rules().trigger([said(0.1), said(0.8)]) == "frustration"


def test_frustration_rising_over_three_messages_hands_over() -> None:
    rules = escalation_rules()
    assert rules.trigger([said(0.15), said(0.3), said(0.45)]) == "frustration"
    # Rising, but still low; or high but not rising.
    assert rules.trigger([said(0.05), said(0.1), said(0.2)]) is None
    assert rules.trigger([said(0.5), said(0.45), said(0.5)]) is None


def test_a_cue_hands_over_whatever_the_score_and_names_itself() -> None:
    rules = escalation_rules()
    assert rules.trigger([said(0.2, "repeated_question")]) == "repeated_question"
    assert rules.trigger([said(0.9, "shouting", "complaint_threat")]) == "complaint_threat"


def test_red_urgency_always_goes_to_a_clinical_person_at_red() -> None:
    rules = escalation_rules()
    route = rules.route("member_asked", "red")
    assert (route.priority, route.skill) == ("red", "clinical")
    assert rules.route("member_asked", "yellow").priority == "yellow"
    assert rules.route("member_asked", None).priority == "green"


def test_a_broken_policy_file_is_refused_with_the_key() -> None:
    good = {
        "triggers": {
            "frustration": {"at_least": 0.7, "rising_turns": 3, "rising_to": 0.4},
            "cues": ["complaint_threat"],
        },
        "routing": {
            reason: {"priority": "green", "skill": "front_line"}
            for reason in (
                "emergency",
                "member_asked",
                "not_understood",
                "backend_failure",
                "identity_failed",
                "frustration",
                "complaint_threat",
            )
        },
        "summary_turns": 10,
    }
    parse_rules(good, source="test")
    bad_priority = {
        **good,
        "routing": {**good["routing"], "emergency": {"priority": "hot", "skill": "clinical"}},
    }
    missing_route = {
        **good,
        "routing": {k: v for k, v in good["routing"].items() if k != "frustration"},
    }
    bad_score = {
        **good,
        "triggers": {
            **good["triggers"],
            "frustration": {"at_least": 7, "rising_turns": 3, "rising_to": 0.4},
        },
    }
    with pytest.raises(EscalationPolicyError, match=r"routing\.emergency\.priority"):
        parse_rules(bad_priority, source="test")
    with pytest.raises(EscalationPolicyError, match="frustration"):
        parse_rules(missing_route, source="test")
    with pytest.raises(EscalationPolicyError, match="at_least"):
        parse_rules(bad_score, source="test")

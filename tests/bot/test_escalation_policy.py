"""The escalation policy in Rasa's own terms: which member messages make it predict the handoff."""

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation_policy import HANDOFF_ACTION, EscalationPolicy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path: Path) -> EscalationPolicy:
    return EscalationPolicy.create(
        EscalationPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("escalation"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def message(
    text: str, intent: str = "complain", score: float = 0.0, *cues: str, urgency: str = "none"
) -> UserUttered:
    parse: dict[str, Any] = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
        "frustration": {"score": score, "cues": list(cues)},
        "urgency": {"level": urgency, "reasons": []},
    }
    return UserUttered(text, intent=parse["intent"], parse_data=parse)


def predicts_handoff(policy: EscalationPolicy, domain: Domain, events: list[Event]) -> bool:
    tracker = DialogueStateTracker.from_events(
        "member", [ActionExecuted("action_listen"), *events], domain.slots
    )
    prediction = policy.predict_action_probabilities(tracker, domain)
    return prediction.probabilities[domain.index_for_action(HANDOFF_ACTION)] == 1.0


def test_a_complaint_threat_is_handed_over_above_the_rules(
    policy: EscalationPolicy, domain: Domain
) -> None:
    assert predicts_handoff(
        policy, domain, [message("vou na ANS", "complain", 0.7, "complaint_threat")]
    )
    assert policy.priority > 6  # the RulePolicy's


def test_calm_messages_and_what_other_rules_answer_are_left_alone(
    policy: EscalationPolicy, domain: Domain
) -> None:
    assert not predicts_handoff(policy, domain, [message("oi", "greet")])
    # A person is already on the way: the member asked, or an emergency's own rule answers.
    assert not predicts_handoff(policy, domain, [message("atendente!!!", "request_human", 0.9)])
    assert not predicts_handoff(
        policy, domain, [message("socorro", "complain", 0.9, urgency="red")]
    )


def test_never_twice_while_a_person_has_the_conversation(
    policy: EscalationPolicy, domain: Domain
) -> None:
    events: list[Event] = [SlotSet("handoff_active", True), message("absurdo!!!", "complain", 0.9)]
    assert not predicts_handoff(policy, domain, events)


def test_only_right_after_the_member_speaks(policy: EscalationPolicy, domain: Domain) -> None:
    events: list[Event] = [
        message("absurdo", "complain", 0.9),
        ActionExecuted("utter_empathize_complaint"),
    ]
    assert not predicts_handoff(policy, domain, events)


def test_rising_frustration_across_messages(policy: EscalationPolicy, domain: Domain) -> None:
    rising = [
        message("ainda nada", "inform", 0.15),
        ActionExecuted("utter_please_rephrase"),
        ActionExecuted("action_listen"),
        message("de novo isso", "inform", 0.3),
        ActionExecuted("utter_please_rephrase"),
        ActionExecuted("action_listen"),
        message("que demora", "inform", 0.45),
    ]
    assert predicts_handoff(policy, domain, rising)


def test_after_a_handoff_the_assistant_says_no_more(
    policy: EscalationPolicy, domain: Domain
) -> None:
    threat = message("vou na ANS", "complain", 0.7, "complaint_threat")
    tracker = DialogueStateTracker.from_events(
        "member",
        [ActionExecuted("action_listen"), threat, ActionExecuted(HANDOFF_ACTION)],
        domain.slots,
    )
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert prediction.probabilities[domain.index_for_action("action_listen")] == 1.0

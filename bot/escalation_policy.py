"""Dialogue policy: hands the conversation to a person when the member's words call for it.

The triggers (frustration high or rising, a complaint threat, the same question again) live in
bot/escalation.yml; this policy only applies them. It predicts `action_request_handoff` right
after a member message that trips one, with a priority above the rules, so that no story or rule
keeps a frustrated member with the bot; and after any handoff, listening. It leaves emergencies
to their own rule (safety first) and a member who asks for a person to theirs.
"""

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.escalation import escalation_rules

HANDOFF_ACTION = "action_request_handoff"
HANDED_OFF_SLOT = "handoff_active"
# Intents whose own rules already answer with a person (or emergency guidance first).
ANSWERED_ELSEWHERE = ("report_emergency", "request_human")
# The RulePolicy's default priority is 6: above it, a trigger wins over any rule or story.
PRIORITY = 7


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True
)
class EscalationPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def __init__(self, config: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        # Read now, so a bad edit of escalation.yml fails when the model loads.
        self._rules = escalation_rules()

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource  # nothing to learn: the triggers are configuration

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if self._should_hand_over(tracker):
            probabilities[domain.index_for_action(HANDOFF_ACTION)] = 1.0
        elif tracker.latest_action_name == HANDOFF_ACTION:
            # Once a person is asked for, the bot says no more and waits (whatever asked for
            # the person: this policy, a rule, a journey), so no other policy has to guess it.
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)

    def _should_hand_over(self, tracker: DialogueStateTracker) -> bool:
        if tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.get_slot(HANDED_OFF_SLOT):
            return False
        latest = tracker.latest_message
        if latest is None or latest.intent.get("name") in ANSWERED_ELSEWHERE:
            return False
        if (latest.parse_data.get("urgency") or {}).get("level") == "red":
            return False
        return self._rules.trigger(member_messages(tracker)) is not None


def member_messages(tracker: DialogueStateTracker, limit: int = 10) -> list[dict[str, Any]]:
    """Parse results of the member's last messages in this session, oldest first."""
    messages = [
        dict(event.parse_data)
        for event in tracker.applied_events()
        if isinstance(event, UserUttered)
    ]
    return messages[-limit:]

"""Either detector finding an emergency is enough: the intent and the urgency then agree."""

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.emergency_triage import EmergencyTriage


def triage(message: Message) -> Message:
    return EmergencyTriage(EmergencyTriage.get_default_config()).process([message])[0]


def classified(
    level: str, intent: str = "request_authorization", confidence: float = 0.81
) -> Message:
    message = Message(data={TEXT: "estou no PS e nao liberam a guia"})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(
        INTENT_RANKING_KEY,
        [
            {"name": intent, "confidence": confidence},
            {
                "name": "report_emergency" if intent != "report_emergency" else "inform",
                "confidence": 0.1,
            },
        ],
    )
    message.set(
        "urgency", {"level": level, "reasons": ["in_emergency_room"] if level != "none" else []}
    )
    return message


def test_red_urgency_makes_the_intent_report_emergency_and_keeps_the_ranking() -> None:
    message = triage(classified("red"))
    assert message.get(INTENT) == {"name": "report_emergency", "confidence": 1.0}
    names = [item["name"] for item in message.get(INTENT_RANKING_KEY)]
    assert names == ["report_emergency", "request_authorization"]


def test_yellow_urgency_leaves_the_intent_alone() -> None:
    message = triage(classified("yellow"))
    assert message.get(INTENT)["name"] == "request_authorization"


def test_a_confident_emergency_intent_makes_the_urgency_red() -> None:
    message = triage(classified("none", intent="report_emergency", confidence=0.995))
    assert message.get("urgency") == {"level": "red", "reasons": ["classified_as_emergency"]}


def test_an_unsure_emergency_intent_leaves_the_urgency_alone() -> None:
    message = triage(classified("yellow", intent="report_emergency", confidence=0.9))
    assert message.get("urgency")["level"] == "yellow"

"""Through the gateway, on the real stack: emergencies first, and the signals Rasa records."""

import json
import uuid

import httpx
import pytest
from sqlalchemy import Engine, text

from ops.stack import Stack
from tests.e2e.replies import response, send

EMERGENCIES = {
    "pt": "SOCORRO meu filho de 2 anos ta com 40 de febre e nao para de tremer",
    "es": "mi papa tiene un dolor muy fuerte en el pecho y suda frio, que hago",
}


def user_events(tracker_database: Engine, sender: str) -> list[dict]:
    with tracker_database.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        ).scalars()
        return [json.loads(row)["parse_data"] for row in rows]


@pytest.mark.parametrize("language", ["pt", "es"])
def test_an_emergency_gets_guidance_at_once_and_a_person_at_top_priority(
    stack: Stack, tracker_database: Engine, language: str
) -> None:
    sender = f"e2e-emergency-{language}-{uuid.uuid4().hex}"
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        replies = send(client, sender, EMERGENCIES[language])
    assert [reply["text"] for reply in replies] == [
        response("utter_emergency_guidance", language),
        response("utter_calling_human_now", language),
    ]
    parsed = user_events(tracker_database, sender)[-1]
    assert parsed["urgency"]["level"] == "red"
    assert parsed["intent"]["name"] == "report_emergency"
    with tracker_database.connect() as connection:
        slots = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'slot'"),
            {"s": sender},
        ).scalars()
        values = {json.loads(row)["name"]: json.loads(row)["value"] for row in slots}
    assert values["handoff_priority"] == "red"


def test_the_same_question_asked_again_raises_frustration(
    stack: Stack, tracker_database: Engine
) -> None:
    sender = f"e2e-repeat-{uuid.uuid4().hex}"
    question = "quando vai sair o meu reembolso da consulta?"
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        send(client, sender, question)
        send(client, sender, question)
    first, second = user_events(tracker_database, sender)
    assert "repeated_question" not in first["frustration"]["cues"]
    assert "repeated_question" in second["frustration"]["cues"]
    assert second["frustration"]["score"] > first["frustration"]["score"]


THREATS = {
    "pt": "vou abrir uma reclamação na ANS contra vocês",
    "es": "los voy a demandar, hablaré con mi abogado",
}


def slot_values(tracker_database: Engine, sender: str, slot: str) -> list[object]:
    with tracker_database.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'slot' ORDER BY id"),
            {"s": sender},
        ).scalars()
        return [event["value"] for event in map(json.loads, rows) if event["name"] == slot]


@pytest.mark.parametrize("language", ["pt", "es"])
def test_a_threat_to_complain_or_sue_goes_to_a_person_without_being_asked(
    stack: Stack, tracker_database: Engine, language: str
) -> None:
    sender = f"e2e-threat-{language}-{uuid.uuid4().hex}"
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        send(client, sender, "oi" if language == "pt" else "hola")
        replies = send(client, sender, THREATS[language])
    assert [reply["text"] for reply in replies] == [response("utter_handoff_requested", language)]
    assert slot_values(tracker_database, sender, "handoff_reason")[-1] == "complaint_threat"

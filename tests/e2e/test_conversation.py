"""A member's conversation through the gateway, on the real stack, in Portuguese and in Spanish."""

import uuid

import httpx
import pytest
from sqlalchemy import Engine, text

from ops.stack import Stack
from tests.e2e.replies import all_responses, response, send

CONVERSATIONS = {
    "pt": [("oi", "utter_greet"), ("o que vc pode fazer?", "utter_help")],
    "es": [("hola", "utter_greet"), ("¿qué puedes hacer?", "utter_help")],
}


@pytest.mark.parametrize("language", ["pt", "es"])
def test_member_is_answered_in_their_language_and_every_message_is_stored(
    stack: Stack, gateway_database: Engine, language: str
) -> None:
    sender = f"e2e-{language}-{uuid.uuid4().hex}"
    turns = CONVERSATIONS[language]
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        for message, utterance in turns:
            reply = client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": message, "metadata": {"source": "e2e"}},
            )
            assert reply.status_code == 200, reply.text
            assert reply.json() == [{"recipient_id": sender, "text": response(utterance, language)}]

    with gateway_database.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT direction, text, status FROM messages "
                "WHERE conversation_id = :sender ORDER BY id"
            ),
            {"sender": sender},
        ).all()
    expected = []
    for message, utterance in turns:
        expected += [("in", message, "answered"), ("out", response(utterance, language), "sent")]
    assert [tuple(row) for row in stored] == expected


@pytest.mark.parametrize(("language", "opening"), [("pt", "oi"), ("es", "hola")])
def test_a_message_that_says_no_language_is_answered_in_the_conversations_language(
    stack: Stack, language: str, opening: str
) -> None:
    sender = f"e2e-keep-{language}-{uuid.uuid4().hex}"
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        send(client, sender, opening)
        replies = send(client, sender, "👍")
    assert replies
    assert {reply["text"] for reply in replies} <= all_responses(language)


def test_rasa_keeps_the_conversation_in_the_sql_tracker_store(
    stack: Stack, tracker_database: Engine
) -> None:
    sender = f"e2e-tracker-{uuid.uuid4().hex}"
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        send(client, sender, "hola")
    assert stack.env["TRACKER_STORE_URL"].startswith("sqlite") == stack.env[
        "DATABASE_URL"
    ].startswith("sqlite")
    with tracker_database.connect() as connection:
        user_turns = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"),
            {"sender": sender},
        ).scalar_one()
    assert user_turns == 1


def test_every_service_reports_healthy(stack: Stack) -> None:
    with httpx.Client(timeout=10) as client:
        for name, url in stack.health_urls().items():
            assert client.get(url).status_code == 200, name

"""The REST channel as a client sees it: Rasa's request shape, clear refusals, nothing lost."""

import json
import logging
import uuid
from typing import Any

import httpx
import pytest

WEBHOOK = "/webhooks/rest/webhook"


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "oi"}, "sender"),
        ({"sender": "", "message": "oi"}, "sender"),
        ({"sender": "   ", "message": "oi"}, "sender"),
        ({"sender": "x" * 129, "message": "oi"}, "sender"),
        ({"sender": 42, "message": "oi"}, "sender"),
        ({"sender": "SENDER"}, "message"),
        ({"sender": "SENDER", "message": ""}, "message"),
        ({"sender": "SENDER", "message": " \n\t "}, "message"),
        ({"sender": "SENDER", "message": None}, "message"),
        ({"sender": "SENDER", "message": "oi\u0000"}, "message"),
        ({"sender": "SENDER", "message": "oi", "metadata": ["a"]}, "metadata"),
        ({"sender": "SENDER", "message": "oi", "metadata": "lang=pt"}, "metadata"),
        ({"sender": "SENDER", "message": "oi", "metadata": {"k": "\u0000"}}, "metadata"),
    ],
)
async def test_bad_input_is_refused_naming_the_field_and_not_stored(
    client: httpx.AsyncClient, stored: Any, body: dict[str, Any], field: str
) -> None:
    sender = new_sender()
    if body.get("sender") == "SENDER":
        body = {**body, "sender": sender}

    response = await client.post(WEBHOOK, json=body)

    assert response.status_code == 422
    problems = response.json()["detail"]
    assert any(problem["loc"][:2] == ["body", field] for problem in problems), problems
    assert all(problem["msg"] for problem in problems)
    assert (await stored(sender)).messages == []


@pytest.mark.parametrize(
    "raw",
    [
        b"not json at all",
        b'{"sender": "a", "message": "unterminated',
        b'["sender", "message"]',
        b"",
    ],
)
async def test_body_that_is_not_a_json_object_is_refused(
    client: httpx.AsyncClient, raw: bytes
) -> None:
    response = await client.post(WEBHOOK, content=raw, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json()["detail"]


async def test_refusals_never_echo_what_the_member_wrote(client: httpx.AsyncClient) -> None:
    secret = "meu CPF é 123.456.789-00\u0000"

    response = await client.post(WEBHOOK, json={"sender": "", "message": secret})

    assert response.status_code == 422
    assert "123.456.789-00" not in response.text


async def test_message_over_the_limit_is_refused_with_the_limit(
    client: httpx.AsyncClient, stored: Any
) -> None:
    sender = new_sender()

    response = await client.post(WEBHOOK, json={"sender": sender, "message": "a" * 4097})

    assert response.status_code == 413
    assert "4096" in response.json()["detail"]
    assert (await stored(sender)).messages == []


async def test_message_exactly_at_the_limit_is_accepted(
    client: httpx.AsyncClient, stored: Any
) -> None:
    sender = new_sender()

    response = await client.post(WEBHOOK, json={"sender": sender, "message": "é" * 4096})

    # Accepted and kept; Rasa is down in these tests, hence 503.
    assert response.status_code == 503
    assert (await stored(sender)).messages[0].text == "é" * 4096


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({"sender": "huge", "message": "a" * 1_000_000}).encode(),
        json.dumps({"sender": "huge", "message": "oi", "metadata": {"k": "v" * 200_000}}).encode(),
        b"[" * 50_000 + b"]" * 50_000,
        b'{"sender": "' + "😀".encode() * 100_000 + b'", "message": "oi"}',
    ],
    ids=["1MB message", "huge metadata", "deep nesting", "huge emoji sender"],
)
async def test_huge_input_is_refused_not_a_server_error(
    client: httpx.AsyncClient, raw: bytes
) -> None:
    response = await client.post(WEBHOOK, content=raw, headers={"Content-Type": "application/json"})

    assert 400 <= response.status_code < 500, response.text


async def test_huge_chunked_body_without_length_is_refused(client: httpx.AsyncClient) -> None:
    async def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 10_000

    response = await client.post(
        WEBHOOK, content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413


@pytest.mark.parametrize(
    "text",
    [
        "oi 😀",
        "👨‍👩‍👧‍👦 família",
        "🇧🇷🇦🇷 ¿cómo está mi reembolso? ñ ç ã",
        "\u202eRTL override e zero\u200bwidth",
        "linha 1\n\nlinha 2\r\n\ttab",
        '<script>alert("x")</script> \'; DROP TABLE messages; --',
        "𝕦𝕟𝕚𝕔𝕠𝕕𝕖 fora do plano básico",
    ],
)
async def test_any_text_is_kept_exactly_when_rasa_is_down(
    client: httpx.AsyncClient, stored: Any, text: str
) -> None:
    sender = new_sender()

    response = await client.post(WEBHOOK, json={"sender": sender, "message": text})

    assert response.status_code == 503
    [message] = (await stored(sender)).messages
    assert message.text == text


async def test_rasa_down_answers_503_and_keeps_the_message_as_failed(
    client: httpx.AsyncClient, stored: Any
) -> None:
    sender = new_sender()
    metadata = {"language": "pt", "nested": {"plan": "Ouro"}}

    response = await client.post(
        WEBHOOK, json={"sender": sender, "message": "quero meu reembolso 🙏", "metadata": metadata}
    )

    assert response.status_code == 503
    assert "kept" in response.json()["detail"]
    assert response.headers["Retry-After"].isdigit()
    kept = await stored(sender)
    assert kept.conversation is not None
    assert kept.conversation.channel == "rest"
    [message] = kept.messages
    assert (message.direction, message.status) == ("in", "failed")
    assert message.text == "quero meu reembolso 🙏"
    assert message.meta == metadata
    assert message.created_at is not None


async def test_each_message_of_a_conversation_is_kept(
    client: httpx.AsyncClient, stored: Any
) -> None:
    sender = new_sender()

    for text in ("primeira", "segunda", "terceira"):
        response = await client.post(WEBHOOK, json={"sender": sender, "message": text})
        assert response.status_code == 503

    kept = await stored(sender)
    assert [message.text for message in kept.messages] == ["primeira", "segunda", "terceira"]
    assert kept.conversation is not None
    assert kept.conversation.last_message_at >= kept.conversation.created_at


async def test_logs_carry_no_message_text_nor_sender(client: httpx.AsyncClient) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        sender = f"sender-{uuid.uuid4().hex}"
        text = f"segredo-{uuid.uuid4().hex}"
        await client.post(WEBHOOK, json={"sender": sender, "message": text})
        await client.post(WEBHOOK, json={"sender": sender, "message": text * 2000})
    finally:
        logging.getLogger().removeHandler(handler)

    assert records, "the turn should log something"
    logged = " ".join(f"{record.getMessage()} {record.__dict__}" for record in records)
    assert sender not in logged
    assert text not in logged

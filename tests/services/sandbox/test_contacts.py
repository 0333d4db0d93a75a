"""Service contacts: each gets an ANS-style protocol number at its start, unique and in order
even when many open at once."""

import asyncio
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI

from tests.services.sandbox.conftest import API_KEY, Clock, StartSandbox, client_for


async def open_contact(api: httpx.AsyncClient, **changes: object) -> httpx.Response:
    body = {"member_id": "M0001", "channel": "whatsapp", "topic": "authorization"} | changes
    return await api.post("/v1/contacts", json=body)


async def test_protocol_is_registration_operator_date_and_daily_sequence(
    start_sandbox: StartSandbox, clock: Clock
) -> None:
    # 01:30 UTC on the 19th is still the 18th in São Paulo, the operator's calendar.
    clock.now = datetime(2026, 11, 19, 1, 30, tzinfo=UTC)
    async with (
        start_sandbox(ans_registration="417123") as app,
        client_for(app, {"X-API-Key": API_KEY}) as api,
    ):
        first = await open_contact(api)
        second = await open_contact(api, member_id=None, channel="webchat", topic="billing")
        clock.now = datetime(2026, 11, 19, 3, 30, tzinfo=UTC)  # the 19th in São Paulo
        next_day = await open_contact(api, channel="rest")

    assert first.status_code == second.status_code == next_day.status_code == 201
    assert first.json() == {
        "protocol": "41712320261118000001",
        "opened_at": "2026-11-18T22:30:00-03:00",
    }
    assert second.json()["protocol"] == "41712320261118000002"
    assert next_day.json()["protocol"] == "41712320261119000001"


async def test_a_spanish_member_sees_the_moment_on_their_clock(api: httpx.AsyncClient) -> None:
    response = await open_contact(api, member_id="M0004")

    assert response.json()["protocol"][6:14] == "20261118"
    assert response.json()["opened_at"] == "2026-11-18T16:00:00+01:00"


async def test_bad_contacts_are_refused(api: httpx.AsyncClient) -> None:
    cases: list[tuple[dict[str, object], int]] = [
        ({"member_id": "M9999"}, 404),
        ({"channel": "fax"}, 422),
        ({"topic": "Autorização!"}, 422),
        ({"topic": "x" * 41}, 422),
    ]
    for changes, status in cases:
        assert (await open_contact(api, **changes)).status_code == status, changes


async def test_fifty_contacts_at_once_get_fifty_consecutive_numbers(sandbox: FastAPI) -> None:
    async with client_for(sandbox, {"X-API-Key": API_KEY}) as api:
        responses = await asyncio.gather(
            *(open_contact(api, member_id=None, channel="webchat") for _ in range(50))
        )

    assert [response.status_code for response in responses] == [201] * 50
    protocols = sorted(response.json()["protocol"] for response in responses)
    assert {protocol[:14] for protocol in protocols} == {"00000020261118"}
    assert [int(protocol[14:]) for protocol in protocols] == list(range(1, 51))

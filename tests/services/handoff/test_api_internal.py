"""The internal API the gateway calls: its token, opening a handoff (the member's ticket), the
member's messages while an agent has the conversation, and the CSAT answer after it."""

import re
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import func, select

from handoff.agents.models import Role
from handoff.audit import verify_chain
from handoff.queue.enums import PresenceStatus
from handoff.queue.presence import set_presence
from handoff.queue.service import resolve_handoff
from handoff.satisfaction.models import CsatAnswer, FollowUpTask
from tests.services.handoff.auth_helpers import FakeClock, audit_trail
from tests.services.handoff.queue_fixtures import add_agent
from tests.services.handoff.service_helpers import API_TOKEN, api_client, console_channel, open_body

pytest_plugins = ["tests.services.handoff.service_fixtures"]


async def open_one(api: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    response = await api.post("/api/handoffs", json=open_body(**changes))
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_every_route_needs_the_bearer_token(service: FastAPI) -> None:
    calls = [
        ("/api/handoffs", open_body()),
        ("/api/handoffs/1/member-messages", {"message_id": 1, "at": "2025-03-10T12:00:00Z"}),
        ("/api/handoffs/1/csat", {"score": 5, "comment": ""}),
    ]
    async with api_client(service) as http:
        for path, body in calls:
            for headers in (
                {"Authorization": ""},
                {"Authorization": f"Bearer {API_TOKEN}x"},
                {"Authorization": f"Basic {API_TOKEN}"},
                {"Authorization": f"bearer{API_TOKEN}"},
            ):
                response = await http.post(path, json=body, headers=headers)
                assert response.status_code == 401, (path, headers)
                assert response.headers["www-authenticate"] == "Bearer"
        # Right token: the same calls go through (the handoff of the later ones exists now).
        assert (await http.post(*calls[0][:1], json=calls[0][1])).status_code == 201


async def test_opening_gives_the_members_ticket_and_is_audited_as_the_bots(
    api: httpx.AsyncClient, sessions: Any
) -> None:
    response = await api.post("/api/handoffs", json=open_body())

    assert response.status_code == 201
    ticket = response.json()
    assert set(ticket) == {
        "id",
        "protocol",
        "priority",
        "position",
        "expected_wait_minutes",
        "humans_available",
        "next_opening_at",
    }
    # The test clock: Monday 10 March 2025, 09:00 in São Paulo, people on.
    assert re.fullmatch(r"00000020250310\d{6}", ticket["protocol"])
    assert ticket["priority"] == "green"
    assert ticket["position"] == 1
    assert ticket["expected_wait_minutes"] is None  # nobody with the skill is online
    assert ticket["humans_available"] is True
    assert ticket["next_opening_at"] is None

    trail = await audit_trail(sessions)
    assert [(e.actor, e.action, e.subject) for e in trail] == [
        ("bot", "handoff.created", f"handoff:{ticket['id']}")
    ]
    assert trail[0].detail == {
        "priority": "green",
        "skill": "front_line",
        "channel": "webchat",
        "language": "pt",
    }
    assert (await verify_chain(sessions)).intact


async def test_asking_again_updates_the_open_handoff(api: httpx.AsyncClient, sessions: Any) -> None:
    first = await open_one(api)
    again = await api.post(
        "/api/handoffs", json=open_body(priority="yellow", reasons=["frustration"])
    )

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["protocol"] == first["protocol"]
    assert again.json()["priority"] == "yellow"
    # One creation in the audit log, not two.
    assert [e.action for e in await audit_trail(sessions)] == ["handoff.created"]


async def test_a_free_agent_gets_the_new_handoff_at_once(
    api: httpx.AsyncClient, sessions: Any, redis: Redis, clock: FakeClock
) -> None:
    busy = await open_one(api, conversation_id="before", skill="technical")
    agent = await add_agent(sessions, skills=["front_line"], capacity=1)
    await set_presence(
        sessions, redis, agent_id=agent.id, status=PresenceStatus.ONLINE, now=clock()
    )

    first = await open_one(api, conversation_id="first")
    second = await open_one(api, conversation_id="second")

    assert (first["position"], first["expected_wait_minutes"]) == (0, 0)
    # The agent is full now: the next one waits, about one handling time (10 minutes).
    assert (second["position"], second["expected_wait_minutes"]) == (1, 10)
    assert busy["position"] == 1 and busy["expected_wait_minutes"] is None


async def test_out_of_hours_the_ticket_says_when_people_are_back(
    api: httpx.AsyncClient, clock: FakeClock
) -> None:
    clock.advance(days=6)  # Sunday

    green = await open_one(api, conversation_id="green")
    red = await open_one(api, conversation_id="red", priority="red", skill="clinical")

    assert green["humans_available"] is False
    assert green["expected_wait_minutes"] is None
    assert datetime.fromisoformat(green["next_opening_at"]) == datetime.fromisoformat(
        "2025-03-17T08:00:00-03:00"
    )
    # Clinical urgencies are answered around the clock.
    assert red["humans_available"] is True
    assert red["next_opening_at"] is None


async def test_a_request_the_queue_cannot_take_is_refused(api: httpx.AsyncClient) -> None:
    for change in (
        {"language": "fr"},
        {"priority": "purple"},
        {"skill": "astrology"},
        {"conversation_id": ""},
    ):
        response = await api.post("/api/handoffs", json=open_body(**change))
        assert response.status_code == 422, change


async def test_a_member_message_reaches_the_consoles_channel_without_its_text(
    api: httpx.AsyncClient, redis: Redis
) -> None:
    ticket = await open_one(api)
    body = {
        "message_id": 41,
        "text": "meu filho está com febre",
        "attachments": [],
        "at": "2025-03-10T12:01:00+00:00",
    }

    async with console_channel(redis) as heard:
        response = await api.post(f"/api/handoffs/{ticket['id']}/member-messages", json=body)

    assert response.status_code == 202
    assert heard == [
        {
            "event": "member.message",
            "message_id": 41,
            "handoff": {
                "id": ticket["id"],
                "skill": "front_line",
                "status": "waiting",
                "assigned_agent_id": None,
            },
        }
    ]
    assert "febre" not in str(heard)


async def test_member_messages_for_unknown_or_resolved_handoffs_are_refused(
    api: httpx.AsyncClient, sessions: Any, redis: Redis
) -> None:
    ticket = await open_one(api)
    body = {"message_id": 1, "text": "oi", "at": "2025-03-10T12:01:00+00:00"}

    unknown = await api.post("/api/handoffs/999999/member-messages", json=body)
    await resolve_handoff(sessions, redis, handoff_id=ticket["id"], by_agent_id=None)
    resolved = await api.post(f"/api/handoffs/{ticket['id']}/member-messages", json=body)

    assert unknown.status_code == 404
    assert resolved.status_code == 409
    assert resolved.json() == {"detail": "handoff resolved"}


async def test_a_low_score_opens_one_follow_up_task_for_supervisors(
    api: httpx.AsyncClient, sessions: Any, redis: Redis
) -> None:
    ticket = await open_one(api)
    await resolve_handoff(sessions, redis, handoff_id=ticket["id"], by_agent_id=None)
    answer = {"score": 2, "comment": "demorou demais"}

    async with console_channel(redis) as heard:
        first = await api.post(f"/api/handoffs/{ticket['id']}/csat", json=answer)
    again = await api.post(f"/api/handoffs/{ticket['id']}/csat", json={"score": 5, "comment": ""})

    assert first.status_code == 201
    task_id = first.json()["followup_task_id"]
    assert task_id is not None
    assert first.json() == {"handoff_id": ticket["id"], "score": 2, "followup_task_id": task_id}
    # Idempotent per handoff: the second answer changes nothing.
    assert again.status_code == 200
    assert again.json() == first.json()
    assert await _count(sessions, CsatAnswer) == 1
    assert await _count(sessions, FollowUpTask) == 1
    assert [message["event"] for message in heard] == ["followup.opened"]
    assert heard[0]["task_id"] == task_id
    assert "demorou" not in str(heard)


async def test_a_good_score_opens_no_task_and_bad_answers_are_refused(
    api: httpx.AsyncClient, sessions: Any
) -> None:
    ticket = await open_one(api)

    good = await api.post(f"/api/handoffs/{ticket['id']}/csat", json={"score": 4})
    out_of_range = await api.post(f"/api/handoffs/{ticket['id']}/csat", json={"score": 0})
    unknown = await api.post("/api/handoffs/999999/csat", json={"score": 1, "comment": ""})

    assert good.status_code == 201
    assert good.json()["followup_task_id"] is None
    assert out_of_range.status_code == 422
    assert unknown.status_code == 404
    assert await _count(sessions, FollowUpTask) == 0


async def test_supervisors_see_the_follow_up_tasks_and_close_them(
    api: httpx.AsyncClient, login: Any, sessions: Any, redis: Redis
) -> None:
    ticket = await open_one(api)
    await resolve_handoff(sessions, redis, handoff_id=ticket["id"], by_agent_id=None)
    await api.post(
        f"/api/handoffs/{ticket['id']}/csat", json={"score": 1, "comment": "ninguém me ajudou"}
    )
    supervisor = await login(role=Role.SUPERVISOR, skills=())
    agent = await login(skills=("front_line",))

    listed = await supervisor.get("/console/api/followups")
    refused = await agent.get("/console/api/followups")

    assert refused.status_code == 403
    assert listed.status_code == 200
    [task] = listed.json()
    assert (task["handoff_id"], task["score"], task["comment"]) == (
        ticket["id"],
        1,
        "ninguém me ajudou",
    )
    assert task["protocol"] == ticket["protocol"]

    done = await supervisor.post(f"/console/api/followups/{task['id']}/done")
    assert done.status_code == 204
    assert (await supervisor.get("/console/api/followups")).json() == []
    actions = [e.action for e in await audit_trail(sessions)]
    assert "member_data.viewed" in actions
    assert "followup.completed" in actions
    assert (await verify_chain(sessions)).intact


async def _count(sessions: Any, table: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)

"""The console's actions with the gateway down: claim, notes, transfer, resolve, presence. Each
lands in the audit chain; a resolution stands even when the gateway cannot be told (yet)."""

from typing import Any

import httpx
from redis.asyncio import Redis

from handoff.agents.models import Role
from handoff.audit import verify_chain
from handoff.handback.models import Handback
from tests.services.handoff.auth_helpers import audit_trail
from tests.services.handoff.queue_fixtures import event_names, reload
from tests.services.handoff.service_helpers import open_body

pytest_plugins = ["tests.services.handoff.service_fixtures"]


async def open_one(api: httpx.AsyncClient, **changes: Any) -> int:
    response = await api.post("/api/handoffs", json=open_body(**changes))
    assert response.status_code in (200, 201), response.text
    handoff_id: int = response.json()["id"]
    return handoff_id


async def test_claim_note_transfer_and_resolve_are_audited(
    api: httpx.AsyncClient, login: Any, sessions: Any
) -> None:
    handoff_id = await open_one(api)
    ana = await login(skills=("front_line",))
    bia = await login(skills=("front_line",))
    caio = await login(skills=("technical",))
    path = f"/console/api/handoffs/{handoff_id}"

    claimed = await ana.post(f"{path}/claim")
    too_late = await bia.post(f"{path}/claim")
    note = await ana.post(f"{path}/notes", {"text": "Mãe pediu retorno por telefone."})
    not_hers = await bia.post(f"{path}/transfer", {"skill": "technical"})
    moved = await ana.post(f"{path}/transfer", {"skill": "technical"})
    gone_from_ana = await ana.get(path)
    taken = await caio.post(f"{path}/claim")
    resolved = await caio.post(f"{path}/resolve", {"resolution": "solved"})
    again = await caio.post(f"{path}/resolve")

    assert claimed.status_code == 200 and claimed.json()["status"] == "assigned"
    assert too_late.status_code == 409 and too_late.json()["detail"]["reason"] == "taken"
    assert note.status_code == 201 and note.json()["text"] == "Mãe pediu retorno por telefone."
    assert not_hers.status_code == 403
    assert moved.status_code == 200
    assert (moved.json()["skill"], moved.json()["status"]) == ("technical", "waiting")
    assert gone_from_ana.status_code == 403  # not her skill, and no longer hers
    assert taken.status_code == 200
    assert resolved.status_code == 200
    assert resolved.json()["handoff"]["status"] == "resolved"
    # The gateway is down: resolved all the same, the gateway to be told later.
    assert resolved.json()["gateway_told"] is False
    assert again.status_code == 200 and again.json()["gateway_told"] is False

    detail = (await caio.get(path)).json()
    assert detail["handback_pending"] is True
    # Caio (technical) sees the note written while it was a front-line handoff.
    assert [n["text"] for n in detail["notes"]] == ["Mãe pediu retorno por telefone."]
    async with sessions() as session:
        handback = await session.get(Handback, handoff_id)
    assert handback is not None and handback.done_at is None and handback.attempts == 1

    trail = [
        (e.actor, e.action)
        for e in await audit_trail(sessions)
        if e.subject == f"handoff:{handoff_id}"
    ]
    assert trail == [
        ("bot", "handoff.created"),
        (f"agent:{ana.agent.id}", "handoff.claimed"),
        (f"agent:{ana.agent.id}", "note.added"),
        (f"agent:{ana.agent.id}", "handoff.transferred"),
        (f"agent:{caio.agent.id}", "handoff.claimed"),
        (f"agent:{caio.agent.id}", "handoff.closed"),
        (f"agent:{caio.agent.id}", "conversation.viewed"),
    ]
    assert "Mãe" not in str([e.detail for e in await audit_trail(sessions)])
    assert (await verify_chain(sessions)).intact


async def test_a_supervisor_hands_a_handoff_to_a_named_agent(
    api: httpx.AsyncClient, login: Any, sessions: Any
) -> None:
    handoff_id = await open_one(api, skill="clinical", priority="red")
    supervisor = await login(role=Role.SUPERVISOR, skills=())
    nurse = await login(skills=("clinical",))
    clerk = await login(skills=("front_line",))
    path = f"/console/api/handoffs/{handoff_id}/transfer"

    wrong_skill = await supervisor.post(path, {"agent_id": clerk.agent.id})
    handed = await supervisor.post(path, {"agent_id": nurse.agent.id})
    both = await supervisor.post(path, {"agent_id": nurse.agent.id, "skill": "clinical"})

    assert wrong_skill.status_code == 403
    assert handed.status_code == 200
    assert [item["id"] for item in (await nurse.get("/console/api/desk")).json()] == [handoff_id]
    assert both.status_code == 422
    transferred = [e for e in await audit_trail(sessions) if e.action == "handoff.transferred"]
    assert [(e.actor, e.detail["to_agent_id"]) for e in transferred] == [
        (f"agent:{supervisor.agent.id}", nurse.agent.id)
    ]


async def test_going_online_brings_the_next_handoff(
    api: httpx.AsyncClient, login: Any, sessions: Any, redis: Redis
) -> None:
    handoff_id = await open_one(api)
    agent = await login(skills=("front_line",))

    away = await agent.post("/console/api/presence", {"status": "away"})
    assert away.json() == {"status": "away", "taking_conversations": False}
    assert (await agent.get("/console/api/desk")).json() == []

    online = await agent.post("/console/api/presence", {"status": "online"})

    assert online.json() == {"status": "online", "taking_conversations": True}
    assert [item["id"] for item in (await agent.get("/console/api/desk")).json()] == [handoff_id]
    assert (await reload(sessions, handoff_id)).assigned_agent_id == agent.agent.id
    assert [e.action for e in await audit_trail(sessions)].count("presence.changed") == 2


async def test_a_reply_the_gateway_cannot_take_now_changes_nothing(
    api: httpx.AsyncClient, login: Any, sessions: Any
) -> None:
    handoff_id = await open_one(api)
    agent = await login(skills=("front_line",))
    other = await login(skills=("front_line",))
    await agent.post(f"/console/api/handoffs/{handoff_id}/claim")
    path = f"/console/api/handoffs/{handoff_id}/reply"

    down = await agent.post(path, {"text": "Olá! Já estou vendo o seu caso."})
    not_holder = await other.post(path, {"text": "Oi"})
    missing = await agent.post(path, {"canned": "need_document"})
    unknown = await agent.post(path, {"canned": "no_such_thing"})
    two_kinds = await agent.post(path, {"text": "Oi", "canned": "greeting"})

    assert down.status_code == 503
    assert down.json()["detail"]["reason"] == "gateway_unavailable"
    assert not_holder.status_code == 403
    assert missing.status_code == 422
    assert missing.json()["detail"] == {
        "reason": "missing_variables",
        "message": "fill in document",
        "variables": ["document"],
    }
    assert unknown.status_code == 422 and unknown.json()["detail"]["reason"] == "unknown_canned"
    assert two_kinds.status_code == 422
    # Nothing was sent, so the first-response clock still runs.
    assert "handoff.agent_replied" not in await event_names(sessions, handoff_id)
    assert "message.sent" not in [e.action for e in await audit_trail(sessions)]

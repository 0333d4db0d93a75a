"""The console's reads: who may use them, the queue an agent sees, and how much of a handoff each
agent sees (collections agents never see clinical details), every view audited."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from handoff.agents.models import Role
from handoff.audit import verify_chain
from handoff.console import page
from tests.services.handoff.auth_helpers import ORIGIN, FakeClock, audit_trail, password_step
from tests.services.handoff.service_helpers import open_body

pytest_plugins = ["tests.services.handoff.service_fixtures"]

CLINICAL_SUMMARY = {
    "verified": True,
    "journey": "authorization_form",
    "slots": {
        "member_name": "joão lima",
        "procedure": "quimioterapia",
        "debt_amount": "R$ 1.234,56",
        "cid": "C50",
        "negotiation": {"offers": [{"tier": "prata"}], "chosen": None},
        "broken_agreements": [{"agreement": "AGR-2026-000003", "late_installments": [2]}],
    },
    "signals": {"urgency": {"level": "red", "reasons": ["chest_pain"]}, "frustration": 0.8},
    "last_turns": [{"from": "member", "text": "preciso negociar minha dívida"}],
}


async def open_one(api: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    response = await api.post("/api/handoffs", json=open_body(**changes))
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_the_console_needs_both_factors_and_the_csrf_token(
    service: FastAPI, api: httpx.AsyncClient, make_agent: Any, login: Any
) -> None:
    ticket = await open_one(api)
    reads = ["/console/api/queue", "/console/api/desk", f"/console/api/handoffs/{ticket['id']}"]
    agent = await make_agent(enrolled=True)
    transport = httpx.ASGITransport(app=service)
    async with httpx.AsyncClient(
        transport=transport, base_url=ORIGIN, headers={"Origin": ORIGIN}
    ) as half_logged_in:
        step = await password_step(half_logged_in, agent)
        for path in reads:
            response = await half_logged_in.get(path)
            assert response.status_code == 401, path
            assert response.json()["detail"]["reason"] == "second_factor_required"
        claim = await half_logged_in.post(
            f"/console/api/handoffs/{ticket['id']}/claim",
            headers={"X-CSRF-Token": step["csrf_token"]},
        )
        assert claim.status_code == 401
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as stranger:
        assert (await stranger.get("/console/api/queue")).status_code == 401

    browser = await login()
    forged = await browser.http.post(f"/console/api/handoffs/{ticket['id']}/claim")
    assert forged.status_code == 403
    assert forged.json()["detail"]["reason"] == "csrf_failed"


async def test_the_queue_lists_the_agents_skills_only_red_first_then_longest_waiting(
    api: httpx.AsyncClient, login: Any, clock: FakeClock
) -> None:
    oldest_green = await open_one(api, conversation_id="c1")
    clock.advance(seconds=60)
    await open_one(api, conversation_id="c2", skill="technical", priority="red")
    clock.advance(seconds=60)
    newer_green = await open_one(api, conversation_id="c3")
    clock.advance(seconds=60)
    red = await open_one(api, conversation_id="c4", priority="red", reasons=["chest_pain"])
    clock.advance(seconds=60)
    agent = await login(skills=("front_line",))
    supervisor = await login(role=Role.SUPERVISOR, skills=())

    queue = (await agent.get("/console/api/queue")).json()
    everything = (await supervisor.get("/console/api/queue")).json()

    assert [item["id"] for item in queue] == [red["id"], oldest_green["id"], newer_green["id"]]
    assert {item["skill"] for item in queue} == {"front_line"}
    first = queue[0]
    assert set(first) >= {
        "id",
        "protocol",
        "priority",
        "skill",
        "reasons",
        "waiting_seconds",
        "sla_due_at",
        "language",
        "channel",
    }
    assert first["waiting_seconds"] == 60
    assert first["reasons"] == ["chest_pain"]  # a front-line agent may see clinical reasons
    assert first["sla_due_at"] == "2025-03-10T12:08:00Z"  # opened 12:03, red: 5 minutes
    assert len(everything) == 4
    assert everything[0]["priority"] == everything[1]["priority"] == "red"
    assert (await agent.get("/console/api/desk")).json() == []


async def test_an_agent_cannot_open_or_take_a_handoff_outside_their_skills(
    api: httpx.AsyncClient, login: Any, sessions: Any
) -> None:
    technical = await open_one(api, skill="technical")
    agent = await login(skills=("front_line",))

    view = await agent.get(f"/console/api/handoffs/{technical['id']}")
    claim = await agent.post(f"/console/api/handoffs/{technical['id']}/claim")
    note = await agent.post(f"/console/api/handoffs/{technical['id']}/notes", {"text": "oi"})
    unknown = await agent.get("/console/api/handoffs/999999")

    assert view.status_code == claim.status_code == note.status_code == 403
    assert view.json()["detail"]["reason"] == "not_allowed"
    assert unknown.status_code == 404
    # Refused views are not views: nothing but the logins and the opening was audited.
    assert "conversation.viewed" not in [e.action for e in await audit_trail(sessions)]


async def test_a_collections_agent_never_sees_clinical_details(
    api: httpx.AsyncClient, login: Any, sessions: Any
) -> None:
    debt = await open_one(
        api,
        skill="collections",
        priority="yellow",
        reasons=["member_asked", "chest_pain"],
        summary=CLINICAL_SUMMARY,
    )
    clinical = await open_one(
        api, conversation_id="c2", reasons=["emergency"], summary=CLINICAL_SUMMARY
    )
    negotiator = await login(skills=("collections",))
    front_line = await login(skills=("front_line",))

    restricted = (await negotiator.get(f"/console/api/handoffs/{debt['id']}")).json()
    queued = (await negotiator.get("/console/api/queue")).json()
    full = (await front_line.get(f"/console/api/handoffs/{clinical['id']}")).json()

    assert restricted["clinical_details_hidden"] is True
    assert restricted["reasons"] == ["member_asked"]
    assert queued[0]["reasons"] == ["member_asked"]
    summary = restricted["summary"]
    assert summary["slots"] == {
        "member_name": "joão lima",
        "debt_amount": "R$ 1.234,56",
        # The negotiation so far and the promises not kept: the negotiator goes on from them.
        "negotiation": {"offers": [{"tier": "prata"}], "chosen": None},
        "broken_agreements": [{"agreement": "AGR-2026-000003", "late_installments": [2]}],
    }
    assert summary["signals"] == {"frustration": 0.8}
    assert "quimioterapia" not in str(restricted) and "chest_pain" not in str(restricted)
    assert "C50" not in str(restricted)
    assert [e["name"] for e in restricted["timeline"]] == ["handoff.opened"]
    assert "reasons" not in restricted["timeline"][0]["detail"]
    # The gateway is down in this test: the view says so instead of failing.
    assert restricted["transcript"] is None and restricted["within_window"] is None

    assert full["clinical_details_hidden"] is False
    assert full["summary"] == CLINICAL_SUMMARY
    assert full["reasons"] == ["emergency"]

    views = [e for e in await audit_trail(sessions) if e.action == "conversation.viewed"]
    assert [(e.subject, e.detail["view"]) for e in views] == [
        (f"handoff:{debt['id']}", "restricted"),
        (f"handoff:{clinical['id']}", "full"),
    ]
    assert all(e.actor.startswith("agent:") for e in views)
    assert (await verify_chain(sessions)).intact


async def test_supervisors_see_collections_handoffs_without_clinical_details_too(
    api: httpx.AsyncClient, login: Any
) -> None:
    debt = await open_one(api, skill="collections", summary=CLINICAL_SUMMARY)
    supervisor = await login(role=Role.SUPERVISOR, skills=())

    seen = (await supervisor.get(f"/console/api/handoffs/{debt['id']}")).json()

    assert seen["clinical_details_hidden"] is True
    assert "procedure" not in seen["summary"]["slots"]


async def test_canned_responses_come_in_the_members_language(login: Any) -> None:
    agent = await login()

    spanish = await agent.get("/console/api/canned", params={"language": "es"})
    unknown = await agent.get("/console/api/canned", params={"language": "fr"})

    assert spanish.status_code == 200
    body = spanish.json()
    greeting = next(item for item in body["responses"] if item["key"] == "greeting")
    assert greeting["text"].startswith("¡Hola, {member_name}!")
    assert greeting["variables"] == ["member_name", "agent_name"]
    assert [template["name"] for template in body["templates"]] == ["reply_waiting"]
    assert unknown.status_code == 422


async def test_supervisors_list_agents_for_transfers(login: Any) -> None:
    agent = await login(skills=("front_line", "clinical"))
    supervisor = await login(role=Role.SUPERVISOR, skills=())
    await agent.post("/console/api/presence", {"status": "online"})

    refused = await agent.get("/console/api/agents")
    listed = (await supervisor.get("/console/api/agents")).json()

    assert refused.status_code == 403
    me = next(item for item in listed if item["id"] == agent.agent.id)
    assert (me["presence"], me["load"], me["skills"]) == ("online", 0, ["clinical", "front_line"])


async def test_the_console_page_is_served_with_a_strict_policy(
    service: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index.html"
    index.write_text("<!doctype html><title>Acolhe</title>", encoding="utf-8")
    transport = httpx.ASGITransport(app=service)
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as http:
        monkeypatch.setattr(page, "INDEX", tmp_path / "missing.html")
        missing = await http.get("/console")
        monkeypatch.setattr(page, "INDEX", index)
        served = await http.get("/console")

    assert missing.status_code == 503
    assert served.status_code == 200
    assert served.text.startswith("<!doctype html>")
    policy = served.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy

"""The console with the real gateway (channels.main under uvicorn, same database): transcripts,
agents' replies on the member's channel (and WhatsApp's 24-hour window), and giving the
conversation back to the bot when the handoff is resolved, now or by a later pass.
"""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from channels.models import Channel, Direction
from handoff.audit import verify_chain
from handoff.background import run_pass
from handoff.handback.models import Handback
from tests.services.handoff.auth_helpers import FakeClock, audit_trail
from tests.services.handoff.queue_fixtures import event_names
from tests.services.handoff.service_helpers import (
    gateway_conversation,
    gateway_conversation_row,
    open_body,
)

pytest_plugins = ["tests.services.handoff.service_fixtures"]

BEFORE = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)  # a past conversation
DURING = datetime(2025, 3, 10, 12, 0, 30, tzinfo=UTC)  # after the handoff opened (test clock)


@pytest.fixture
def service_gateway_url(gateway_url: str) -> str:
    return gateway_url


async def handed_off(
    api: httpx.AsyncClient, database_url: str, conversation_id: str, **changes: Any
) -> int:
    """A conversation the gateway keeps, whose handoff is open at the service."""
    channel = changes.pop("channel", Channel.WEBCHAT)
    hours_ago = changes.pop("member_wrote_hours_ago", 0.1)
    response = await api.post(
        "/api/handoffs",
        json=open_body(conversation_id=conversation_id, channel=channel, **changes),
    )
    handoff_id: int = response.json()["id"]
    await gateway_conversation(
        database_url,
        conversation_id,
        channel=channel,
        handoff_id=handoff_id,
        member_wrote_hours_ago=hours_ago,
        messages=[
            (Direction.IN, "preciso de uma autorização para quimioterapia", BEFORE),
            (Direction.IN, "quero negociar a mensalidade atrasada", DURING),
        ],
    )
    return handoff_id


async def test_the_detail_shows_the_transcript_as_far_as_the_agent_may_see_it(
    api: httpx.AsyncClient, login: Any, database_url: str
) -> None:
    clinical = await handed_off(api, database_url, "web-1")
    debt = await handed_off(api, database_url, "web-2", skill="collections")
    front_line = await login(skills=("front_line",))
    negotiator = await login(skills=("collections",))

    full = (await front_line.get(f"/console/api/handoffs/{clinical}")).json()
    restricted = (await negotiator.get(f"/console/api/handoffs/{debt}")).json()

    assert [m["text"] for m in full["transcript"]] == [
        "preciso de uma autorização para quimioterapia",
        "quero negociar a mensalidade atrasada",
    ]
    assert {m["author"] for m in full["transcript"]} == {"member"}
    assert isinstance(full["within_window"], bool)
    # The conversation's history before the handoff is not a collections agent's business.
    assert [m["text"] for m in restricted["transcript"]] == [
        "quero negociar a mensalidade atrasada"
    ]


async def test_a_reply_goes_to_the_member_and_stops_the_first_response_clock(
    api: httpx.AsyncClient, login: Any, database_url: str, sessions: Any
) -> None:
    handoff_id = await handed_off(api, database_url, "web-3")
    agent = await login(skills=("front_line",))
    path = f"/console/api/handoffs/{handoff_id}"
    await agent.post(f"{path}/claim")

    first = await agent.post(f"{path}/reply", {"text": "Oi! Já estou vendo o seu pedido."})
    second = await agent.post(f"{path}/reply", {"canned": "greeting"})

    assert first.status_code == 200, first.text
    assert first.json()["first_reply"] is True and first.json()["message_ids"]
    assert second.json()["first_reply"] is False
    transcript = (await agent.get(path)).json()["transcript"]
    sent = [m for m in transcript if m["author"] == "agent"]
    name = agent.agent.login.split("@")[0].title()
    assert [m["text"] for m in sent] == [
        "Oi! Já estou vendo o seu pedido.",
        f"Olá, Ana! Aqui é {name}, da central de atendimento. Já li a nossa conversa e vou "
        "cuidar do seu caso a partir de agora.",
    ]
    assert {m["agent_name"] for m in sent} == {name}
    assert (await event_names(sessions, handoff_id)).count("handoff.agent_replied") == 1
    sent_entries = [e for e in await audit_trail(sessions) if e.action == "message.sent"]
    assert [e.detail["kind"] for e in sent_entries] == ["text", "canned"]
    assert "Oi!" not in str([e.detail for e in sent_entries])
    assert (await verify_chain(sessions)).intact


async def test_outside_the_whatsapp_window_the_agent_is_told_to_send_a_template(
    api: httpx.AsyncClient, login: Any, database_url: str
) -> None:
    handoff_id = await handed_off(
        api, database_url, "wa-1", channel=Channel.WHATSAPP, member_wrote_hours_ago=30
    )
    agent = await login(skills=("front_line",))
    await agent.post(f"/console/api/handoffs/{handoff_id}/claim")

    refused = await agent.post(f"/console/api/handoffs/{handoff_id}/reply", {"text": "Oi!"})

    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert detail["reason"] == "outside_window"
    assert "template" in detail["message"]
    assert detail["templates"] == ["reply_waiting"]

    # The page then sends the template; the member's name comes from the bot's summary.
    template = await agent.post(
        f"/console/api/handoffs/{handoff_id}/reply", {"template": "reply_waiting"}
    )

    assert template.status_code == 200, template.text
    transcript = (await agent.get(f"/console/api/handoffs/{handoff_id}")).json()["transcript"]
    assert [m["text"] for m in transcript if m["author"] == "agent"] == [
        "Olá, Ana! Temos uma resposta sobre o seu atendimento. Responda esta mensagem para "
        "continuar a conversa."
    ]


async def test_resolving_gives_the_conversation_back_to_the_bot(
    api: httpx.AsyncClient, login: Any, database_url: str, sessions: Any
) -> None:
    handoff_id = await handed_off(api, database_url, "web-4")
    agent = await login(skills=("front_line",))
    await agent.post(f"/console/api/handoffs/{handoff_id}/claim")

    resolved = await agent.post(f"/console/api/handoffs/{handoff_id}/resolve", {})

    assert resolved.status_code == 200
    assert resolved.json()["gateway_told"] is True
    async with sessions() as session:
        handback = await session.get(Handback, handoff_id)
    assert handback is not None and handback.outcome == "told"
    assert (await gateway_conversation_row(database_url, "web-4")).handoff_id is None


async def test_a_resolution_the_gateway_missed_is_told_by_a_later_pass(
    start_service: Any,
    service: FastAPI,
    api: httpx.AsyncClient,
    login: Any,
    database_url: str,
    sessions: Any,
    clock: FakeClock,
    closed_port: int,
) -> None:
    handoff_id = await handed_off(api, database_url, "web-5")
    agent = await login(skills=("front_line",))
    await agent.post(f"/console/api/handoffs/{handoff_id}/claim")
    # Another copy of the service, cut off from the gateway, takes the resolution.
    async with start_service(gateway_url=f"http://127.0.0.1:{closed_port}") as cut_off:
        elsewhere = agent.on(cut_off)
        missed = await elsewhere.post(f"/console/api/handoffs/{handoff_id}/resolve")
        await elsewhere.http.aclose()
    assert missed.json()["gateway_told"] is False

    clock.advance(seconds=10)
    report = await run_pass(service.state.runtime)

    assert report.handed_back == 1
    assert (await gateway_conversation_row(database_url, "web-5")).handoff_id is None

"""Which page events each agent gets for a message of the consoles' channels (fanout.py): pure
rules, no database."""

from typing import Any

from handoff.agents.models import Agent, Role
from handoff.console.fanout import page_events


def agent(agent_id: int, *skills: str, role: str = Role.AGENT) -> Agent:
    return Agent(id=agent_id, role=role, skills=list(skills), active=True, capacity=3)


def queue_message(event: str, **detail: Any) -> dict[str, Any]:
    return {
        "event": event,
        "detail": detail,
        "handoff": {"id": 9, "skill": "clinical", "status": "waiting", "assigned_agent_id": None},
    }


NURSE = agent(1, "clinical")
CLERK = agent(2, "front_line")
SUPERVISOR = agent(3, role=Role.SUPERVISOR)
ADMIN = agent(4, role=Role.ADMIN)


def test_a_transfer_reaches_both_queues_and_the_previous_holder() -> None:
    moved = queue_message(
        "handoff.transferred", from_agent_id=2, from_skill="front_line", to_skill="clinical"
    )

    for listener in (NURSE, CLERK, SUPERVISOR):
        assert page_events(listener, moved) == [
            {"event": "queue.changed"},
            {"event": "handoff.updated", "handoff_id": 9},
        ]
    assert page_events(agent(5, "collections"), moved) == []


def test_sla_alerts_follow_their_audience() -> None:
    team = queue_message("handoff.sla_breached", notify="team")
    supervisors = queue_message("handoff.sla_breached", notify="supervisors")
    managers = queue_message("handoff.sla_breached", notify="managers")
    alert = {"event": "sla.breached", "handoff_id": 9}

    assert {**alert, "notify": "team"} in page_events(NURSE, team)
    assert all(e["event"] != "sla.breached" for e in page_events(NURSE, supervisors))
    assert {**alert, "notify": "supervisors"} in page_events(SUPERVISOR, supervisors)
    assert {**alert, "notify": "managers"} in page_events(ADMIN, managers)
    assert page_events(CLERK, team) == []
    # The holder always hears of their own conversation's alerts.
    held = queue_message("handoff.sla_breached", notify="managers")
    held["handoff"]["assigned_agent_id"] = NURSE.id
    assert {**alert, "notify": "managers"} in page_events(NURSE, held)


def test_follow_ups_and_presence_are_for_supervisors() -> None:
    followup = {"event": "followup.opened", "task_id": 5, "handoff": {"id": 9, "skill": "x"}}
    presence = {"event": "agent.presence", "agent_id": 1, "status": "online"}

    assert page_events(SUPERVISOR, followup) == [
        {"event": "followup.opened", "task_id": 5, "handoff_id": 9}
    ]
    assert page_events(NURSE, followup) == []
    assert page_events(ADMIN, presence) == [{"event": "agents.changed"}]
    assert page_events(CLERK, presence) == []
    assert page_events(CLERK, {"event": "garbage"}) == []

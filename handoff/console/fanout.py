"""What each console hears: from the raw messages of the queue's channel and the console's own,
the small page events one agent may see (docs/handoff.md, `WS /console/ws`):

    {"event": "queue.changed"}                          refetch the queue and the desk
    {"event": "handoff.updated", "handoff_id"}          refetch that handoff if it is shown
    {"event": "member.message", "handoff_id"}           the member wrote in that handoff
    {"event": "sla.breached", "handoff_id", "notify"}   an SLA alert
    {"event": "followup.opened", "task_id", "handoff_id"}   supervisors: a low CSAT score
    {"event": "agents.changed"}                         supervisors: someone went on/off line

Who hears what:
- a handoff's events reach the agents whose queues hold its skill (every queue for supervisors,
  queue/eligibility.py) and the agents it concerns (its holder, and the agent it was moved from
  or to), the same agents who may open it;
- SLA alerts follow sla.yml's `notify`: `team` reaches the skill's agents, every alert reaches
  supervisors and admins, and the handoff's holder always hears of their own conversation;
- follow-up tasks and presence are for supervisors and admins.
"""

from typing import Any

from handoff.agents.models import Agent, Role
from handoff.console.events import FOLLOWUP_OPENED, MEMBER_MESSAGE, NOTE_ADDED
from handoff.queue.eligibility import sees_every_queue, visible_skills
from handoff.queue.enums import EventName
from handoff.queue.notify import AGENT_PRESENCE
from handoff.sla.policy import Audience

QUEUE_CHANGED = "queue.changed"
HANDOFF_UPDATED = "handoff.updated"
SLA_BREACHED = "sla.breached"
AGENTS_CHANGED = "agents.changed"

# Timeline entries that move a handoff into, out of or within a queue or a desk.
_MOVES_QUEUES = frozenset(
    {
        EventName.OPENED,
        EventName.REQUESTED_AGAIN,
        EventName.ASSIGNED,
        EventName.CLAIMED,
        EventName.TRANSFERRED,
        EventName.RESOLVED,
    }
)


def supervises(agent: Agent) -> bool:
    return agent.role in (Role.SUPERVISOR, Role.ADMIN) or sees_every_queue(agent)


def page_events(agent: Agent, message: dict[str, Any]) -> list[dict[str, Any]]:
    """The page events `agent` gets for one message of the channels (often none)."""
    name = message.get("event")
    if name == AGENT_PRESENCE:
        return [{"event": AGENTS_CHANGED}] if supervises(agent) else []
    handoff = message.get("handoff")
    if not isinstance(handoff, dict) or not isinstance(handoff.get("id"), int):
        return []
    handoff_id = handoff["id"]
    if name == FOLLOWUP_OPENED:
        if not supervises(agent):
            return []
        return [
            {"event": FOLLOWUP_OPENED, "task_id": message.get("task_id"), "handoff_id": handoff_id}
        ]
    raw_detail = message.get("detail")
    detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
    concerned = _concerns(agent, handoff, detail)
    in_queues = _in_queues(agent, handoff, detail)
    if not (concerned or in_queues):
        return []
    if name == MEMBER_MESSAGE:
        return [{"event": MEMBER_MESSAGE, "handoff_id": handoff_id}]
    if name == NOTE_ADDED:
        return [{"event": HANDOFF_UPDATED, "handoff_id": handoff_id}]
    events: list[dict[str, Any]] = []
    if name in _MOVES_QUEUES:
        events.append({"event": QUEUE_CHANGED})
    if name == EventName.SLA_BREACHED:
        audience = str(detail.get("notify", ""))
        alerted = (
            concerned
            or supervises(agent)
            or (audience == Audience.TEAM and handoff.get("skill") in visible_skills(agent))
        )
        if alerted:
            events.append({"event": SLA_BREACHED, "handoff_id": handoff_id, "notify": audience})
    events.append({"event": HANDOFF_UPDATED, "handoff_id": handoff_id})
    return events


def _concerns(agent: Agent, handoff: dict[str, Any], detail: dict[str, Any]) -> bool:
    """The handoff is, or just was, on this agent's desk."""
    involved = {
        handoff.get("assigned_agent_id"),
        detail.get("from_agent_id"),
        detail.get("to_agent_id"),
        detail.get("agent_id"),
    }
    return agent.id in involved


def _in_queues(agent: Agent, handoff: dict[str, Any], detail: dict[str, Any]) -> bool:
    """The handoff's skill (or the skill it just left) is one of the agent's queues."""
    skills = {handoff.get("skill"), detail.get("from_skill"), detail.get("to_skill")}
    return bool(skills & set(visible_skills(agent)))

"""Handoffs as the console shows them in lists: the queue, the desk, a detail's header."""

from datetime import datetime

from handoff.agents.models import Agent
from handoff.console.schemas import DeskItem, QueueItem
from handoff.console.views import sees_clinical_details, visible_reasons
from handoff.queue.enums import HandoffStatus
from handoff.queue.hours import BusinessHours
from handoff.queue.models import Handoff, as_utc
from handoff.sla.evaluator import due_at, milestone_reached
from handoff.sla.policy import SlaPolicy


def sla_due_at(handoff: Handoff, *, policy: SlaPolicy, hours: BusinessHours) -> datetime | None:
    """When the first SLA stage not yet met falls due (the page counts down to it)."""
    if handoff.status == HandoffStatus.RESOLVED:
        return None
    for rung in policy.ladder(priority=handoff.priority, skill=handoff.skill):
        if not milestone_reached(handoff, rung.until):
            return due_at(handoff, rung, policy=policy, hours=hours)
    return None


def queue_item(
    handoff: Handoff, *, agent: Agent, policy: SlaPolicy, hours: BusinessHours, now: datetime
) -> QueueItem:
    end = as_utc(handoff.resolved_at) if handoff.resolved_at else now
    return QueueItem(
        id=handoff.id,
        protocol=handoff.protocol,
        priority=handoff.priority,
        skill=handoff.skill,
        reasons=visible_reasons(handoff.reasons, clinical=sees_clinical_details(agent, handoff)),
        waiting_seconds=max(0, int((end - as_utc(handoff.created_at)).total_seconds())),
        sla_due_at=sla_due_at(handoff, policy=policy, hours=hours),
        language=handoff.language,
        channel=handoff.channel,
        status=handoff.status,
        escalation_level=handoff.escalation_level,
    )


def desk_item(
    handoff: Handoff, *, agent: Agent, policy: SlaPolicy, hours: BusinessHours, now: datetime
) -> DeskItem:
    item = queue_item(handoff, agent=agent, policy=policy, hours=hours, now=now)
    return DeskItem(
        **item.model_dump(),
        assigned_at=as_utc(handoff.assigned_at) if handoff.assigned_at else None,
    )

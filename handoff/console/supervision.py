"""What supervisors have on top: the agents to transfer to, and the follow-up tasks low CSAT
scores opened (the members' comments are member data: listing them is audited)."""

import logging

from fastapi import status
from sqlalchemy import func, select

from handoff.agents.models import Agent
from handoff.audit import AuditAction, agent_actor, record
from handoff.console.errors import ConsoleRefused, Refusal
from handoff.console.schemas import AgentView, FollowUpView
from handoff.queue.enums import HandoffStatus, PresenceStatus
from handoff.queue.models import AgentPresence, Handoff, as_utc
from handoff.runtime import HandoffRuntime
from handoff.satisfaction.service import TaskNotFound, complete_task, open_tasks

logger = logging.getLogger(__name__)


async def agents(runtime: HandoffRuntime) -> list[AgentView]:
    """Active agents with their presence and load, for supervisors choosing whom to transfer to."""
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(Agent, AgentPresence.status)
            .outerjoin(AgentPresence, AgentPresence.agent_id == Agent.id)
            .where(Agent.active.is_(True))
            .order_by(Agent.display_name, Agent.id)
        )
        listed = [(agent, presence) for agent, presence in rows]
        loads = dict(
            (
                await session.execute(
                    select(Handoff.assigned_agent_id, func.count())
                    .where(Handoff.status == HandoffStatus.ASSIGNED.value)
                    .group_by(Handoff.assigned_agent_id)
                )
            ).all()
        )
    return [
        AgentView(
            id=agent.id,
            display_name=agent.display_name,
            role=agent.role,
            skills=list(agent.skills or []),
            capacity=agent.capacity,
            presence=presence or PresenceStatus.OFFLINE.value,
            load=int(loads.get(agent.id, 0)),
        )
        for agent, presence in listed
    ]


async def followups(runtime: HandoffRuntime, supervisor: Agent) -> list[FollowUpView]:
    tasks = await open_tasks(runtime.sessions)
    if tasks:  # the members' comments are member data
        await record(
            runtime.sessions,
            actor=agent_actor(supervisor.id),
            action=AuditAction.MEMBER_DATA_VIEWED,
            subject="followup_tasks",
            detail={"task_ids": [view.task.id for view in tasks][:100]},
            at=runtime.now(),
        )
    return [
        FollowUpView(
            id=view.task.id,
            handoff_id=view.handoff.id,
            protocol=view.handoff.protocol,
            skill=view.handoff.skill,
            language=view.handoff.language,
            channel=view.handoff.channel,
            score=view.answer.score,
            comment=view.answer.comment,
            agent_name=view.agent_name,
            created_at=as_utc(view.task.created_at),
            status=view.task.status,
        )
        for view in tasks
    ]


async def complete_followup(runtime: HandoffRuntime, supervisor: Agent, task_id: int) -> None:
    try:
        task = await complete_task(
            runtime.sessions, task_id=task_id, agent_id=supervisor.id, now=runtime.now()
        )
    except TaskNotFound as error:
        raise ConsoleRefused(
            status.HTTP_404_NOT_FOUND, Refusal.NOT_FOUND, "no such follow-up task"
        ) from error
    await record(
        runtime.sessions,
        actor=agent_actor(supervisor.id),
        action=AuditAction.FOLLOWUP_COMPLETED,
        subject=f"handoff:{task.handoff_id}",
        detail={"task_id": task.id},
        at=runtime.now(),
    )

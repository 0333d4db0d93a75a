"""What the console reads: the queue, the desk, one handoff as far as the agent may see it
(audited as conversation.viewed), the canned responses."""

import logging
from datetime import datetime

from fastapi import status

from handoff.agents.models import Agent
from handoff.audit import AuditAction
from handoff.console.access import audit_handoff, handback_pending, queue_call, visible_handoff
from handoff.console.errors import ConsoleRefused, Refusal
from handoff.console.presenters import desk_item, queue_item
from handoff.console.schemas import (
    CannedList,
    CannedView,
    DeskItem,
    HandoffDetail,
    NoteView,
    QueueItem,
    TemplateView,
)
from handoff.console.views import (
    sees_clinical_details,
    visible_events,
    visible_notes,
    visible_summary,
    visible_transcript,
)
from handoff.gateway_client import GatewayError, Transcript
from handoff.notes.service import notes_of
from handoff.queue.enums import Language
from handoff.queue.models import Handoff, as_utc
from handoff.queue.routing import queue_for_agent
from handoff.queue.service import agent_desk
from handoff.queue.timeline import handoff_timeline
from handoff.runtime import HandoffRuntime

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 50


async def queue(runtime: HandoffRuntime, agent: Agent) -> list[QueueItem]:
    handoffs = await queue_call(
        queue_for_agent(runtime.sessions, runtime.redis, agent_id=agent.id, limit=QUEUE_LIMIT)
    )
    now = runtime.now()
    return [
        queue_item(h, agent=agent, policy=runtime.policy, hours=runtime.hours, now=now)
        for h in handoffs
    ]


async def desk(runtime: HandoffRuntime, agent: Agent) -> list[DeskItem]:
    now = runtime.now()
    return [
        desk_item(h, agent=agent, policy=runtime.policy, hours=runtime.hours, now=now)
        for h in await agent_desk(runtime.sessions, agent_id=agent.id)
    ]


async def detail(runtime: HandoffRuntime, agent: Agent, handoff_id: int) -> HandoffDetail:
    handoff = await visible_handoff(runtime, agent, handoff_id)
    clinical = sees_clinical_details(agent, handoff)
    timeline = await handoff_timeline(runtime.sessions, handoff_id=handoff.id)
    notes = visible_notes(
        await notes_of(runtime.sessions, handoff_id=handoff.id), clinical=clinical
    )
    transcript = await _transcript(runtime, handoff)
    await audit_handoff(
        runtime,
        agent,
        AuditAction.CONVERSATION_VIEWED,
        handoff,
        view="full" if clinical else "restricted",
        transcript=transcript is not None,
    )
    item = desk_item(
        handoff, agent=agent, policy=runtime.policy, hours=runtime.hours, now=runtime.now()
    )
    return HandoffDetail(
        **item.model_dump(),
        assigned_agent_id=handoff.assigned_agent_id,
        first_agent_reply_at=_utc_or_none(handoff.first_agent_reply_at),
        resolved_at=_utc_or_none(handoff.resolved_at),
        summary=visible_summary(handoff.summary or {}, clinical=clinical),
        clinical_details_hidden=not clinical,
        timeline=visible_events(timeline, clinical=clinical),
        notes=[
            NoteView(id=n.id, agent_id=n.agent_id, text=n.text, at=as_utc(n.created_at))
            for n in notes
        ],
        transcript=(
            [
                message.as_dict()
                for message in visible_transcript(
                    transcript.messages, handoff=handoff, clinical=clinical
                )
            ]
            if transcript is not None
            else None
        ),
        within_window=transcript.conversation.within_window if transcript is not None else None,
        handback_pending=await handback_pending(runtime, handoff),
    )


def canned(runtime: HandoffRuntime, language: str) -> CannedList:
    try:
        language = Language(language).value
    except ValueError as error:
        raise ConsoleRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT, Refusal.INVALID, "language is pt or es"
        ) from error
    return CannedList(
        language=language,
        responses=[CannedView(**item.__dict__) for item in runtime.canned.listed(language)],
        templates=[TemplateView(**item.__dict__) for item in runtime.canned.templates(language)],
    )


async def _transcript(runtime: HandoffRuntime, handoff: Handoff) -> Transcript | None:
    try:
        return await runtime.gateway.transcript(
            handoff.conversation_id, limit=runtime.settings.handoff_transcript_limit
        )
    except GatewayError as error:
        logger.warning(
            "transcript unavailable",
            extra={"handoff_id": handoff.id, "error": type(error).__name__},
        )
        return None


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment else None

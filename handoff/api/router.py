"""The internal API's routes, under /api:

POST /handoffs                        open (or update) a conversation's handoff → its ticket
POST /handoffs/{id}/member-messages   the member wrote while an agent has the conversation
POST /handoffs/{id}/csat              the member's satisfaction answer after it
"""

import logging
import math
from datetime import datetime

from fastapi import APIRouter, HTTPException, Response, status

from handoff.api.auth import AuthorisedRuntime
from handoff.api.schemas import CsatReceived, CsatRequest, MemberMessage, OpenRequest, Ticket
from handoff.audit import BOT, AuditAction, record
from handoff.console import events
from handoff.queue.enums import HandoffStatus
from handoff.queue.errors import HandoffNotFound
from handoff.queue.models import Handoff
from handoff.queue.positions import estimate_wait, queue_position
from handoff.queue.routing import auto_assign
from handoff.queue.service import get_handoff, open_handoff
from handoff.runtime import HandoffRuntime
from handoff.satisfaction.service import record_csat

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["internal API (gateway)"])


@router.post(
    "/handoffs",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "the conversation had an open handoff; it was updated"}},
)
async def open_a_handoff(
    body: OpenRequest, response: Response, runtime: AuthorisedRuntime
) -> Ticket:
    now = runtime.now()
    try:
        opened = await open_handoff(
            runtime.sessions,
            runtime.redis,
            conversation_id=body.conversation_id,
            channel=body.channel,
            language=body.language,
            priority=body.priority,
            skill=body.skill,
            reasons=body.reasons,
            summary=body.summary,
            ans_registration=runtime.settings.ans_registration,
            now=now,
        )
    except ValueError as error:  # unknown language, priority or skill
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error)) from error
    handoff = opened.handoff
    if opened.created:
        await record(
            runtime.sessions,
            actor=BOT,
            action=AuditAction.HANDOFF_CREATED,
            subject=f"handoff:{handoff.id}",
            detail={
                "priority": handoff.priority,
                "skill": handoff.skill,
                "channel": handoff.channel,
                "language": handoff.language,
            },
            at=now,
        )
    else:
        response.status_code = status.HTTP_200_OK
    await _assign_quietly(runtime, now=now)
    return await _ticket(runtime, handoff.id, now=now)


@router.post("/handoffs/{handoff_id}/member-messages", status_code=status.HTTP_202_ACCEPTED)
async def member_wrote(
    handoff_id: int, body: MemberMessage, runtime: AuthorisedRuntime
) -> dict[str, int]:
    handoff = await _existing(runtime, handoff_id)
    if handoff.status == HandoffStatus.RESOLVED:
        raise HTTPException(status.HTTP_409_CONFLICT, detail="handoff resolved")
    # The gateway keeps the message; the consoles hear that there is one and read the transcript.
    await events.publish(runtime.redis, events.member_message(handoff, message_id=body.message_id))
    return {"handoff_id": handoff.id}


@router.post(
    "/handoffs/{handoff_id}/csat",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "the handoff had its answer already; nothing changed"}},
)
async def satisfaction_answer(
    handoff_id: int, body: CsatRequest, response: Response, runtime: AuthorisedRuntime
) -> CsatReceived:
    try:
        outcome = await record_csat(
            runtime.sessions,
            handoff_id=handoff_id,
            score=body.score,
            comment=body.comment,
            low_score=runtime.settings.handoff_low_csat_score,
            now=runtime.now(),
        )
    except HandoffNotFound as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such handoff") from error
    if not outcome.created:
        response.status_code = status.HTTP_200_OK
    elif outcome.task is not None:
        handoff = await _existing(runtime, handoff_id)
        await events.publish(
            runtime.redis, events.followup_opened(handoff, task_id=outcome.task.id)
        )
        logger.info("low CSAT: follow-up task opened", extra={"handoff_id": handoff_id})
    return CsatReceived(
        handoff_id=handoff_id,
        score=outcome.answer.score,
        followup_task_id=outcome.task.id if outcome.task else None,
    )


async def _existing(runtime: HandoffRuntime, handoff_id: int) -> Handoff:
    try:
        return await get_handoff(runtime.sessions, handoff_id=handoff_id)
    except HandoffNotFound as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such handoff") from error


async def _assign_quietly(runtime: HandoffRuntime, *, now: datetime) -> None:
    """Give the new handoff to a free agent at once if there is one. A failure here leaves it
    waiting for the background pass; it must not fail the opening, which is committed."""
    try:
        await auto_assign(runtime.sessions, runtime.redis, now=now)
    except Exception as error:  # any failure: the background pass assigns it later
        logger.warning(
            "auto-assignment after opening failed", extra={"error": type(error).__name__}
        )


async def _ticket(runtime: HandoffRuntime, handoff_id: int, *, now: datetime) -> Ticket:
    """The ticket as things stand after auto-assignment: position 0 once an agent has it."""
    async with runtime.sessions() as session:
        handoff = await session.get(Handoff, handoff_id)
        assert handoff is not None
        position = await queue_position(session, handoff)
        wait = None
        if position is not None:
            wait = await estimate_wait(session, skill=handoff.skill, position=position, now=now)
    availability = runtime.hours.availability(
        language=handoff.language, priority=handoff.priority, now=now
    )
    humans_on, next_opening_at = availability.humans_on, availability.next_opening_at
    if position is None:  # an agent has it
        position, minutes, humans_on, next_opening_at = 0, 0, True, None
    elif not availability.humans_on or wait is None:
        minutes = None
    else:
        minutes = math.ceil(wait.total_seconds() / 60)
    assert handoff.protocol is not None
    return Ticket(
        id=handoff.id,
        protocol=handoff.protocol,
        priority=handoff.priority,
        position=position,
        expected_wait_minutes=minutes,
        humans_available=humans_on,
        next_opening_at=next_opening_at,
    )

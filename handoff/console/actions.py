"""What agents do from the console: each checks who may act, acts through the queue
(handoff/queue) or the gateway, and is audited."""

import logging
from typing import Any, Literal

from fastapi import status

from handoff.agents.models import Agent, Skill
from handoff.audit import AuditAction, agent_actor, record
from handoff.console import events
from handoff.console.access import (
    assign_quietly,
    audit_handoff,
    handback_pending,
    queue_call,
    visible_handoff,
)
from handoff.console.canned import MissingVariables, UnknownCannedResponse
from handoff.console.errors import ConsoleRefused, Refusal, not_allowed
from handoff.console.presenters import desk_item
from handoff.console.schemas import (
    DeskItem,
    NoteView,
    PresenceView,
    ReplyRequest,
    ReplySent,
    Resolved,
    TransferRequest,
)
from handoff.console.views import member_first_name
from handoff.gateway_client import (
    Author,
    ConversationNotFound,
    GatewayRefused,
    GatewayUnavailable,
    OutsideWindow,
)
from handoff.handback.service import hand_back
from handoff.notes.service import add_note
from handoff.queue.eligibility import sees_every_queue
from handoff.queue.enums import HandoffStatus, PresenceStatus
from handoff.queue.errors import QueueError
from handoff.queue.models import Handoff, as_utc
from handoff.queue.presence import set_presence
from handoff.queue.service import (
    claim_handoff,
    record_agent_reply,
    resolve_handoff,
    transfer_to_agent,
    transfer_to_skill,
)
from handoff.runtime import HandoffRuntime

logger = logging.getLogger(__name__)


async def claim(runtime: HandoffRuntime, agent: Agent, handoff_id: int) -> DeskItem:
    handoff = await queue_call(
        claim_handoff(
            runtime.sessions,
            runtime.redis,
            handoff_id=handoff_id,
            agent_id=agent.id,
            now=runtime.now(),
        )
    )
    await audit_handoff(runtime, agent, AuditAction.HANDOFF_CLAIMED, handoff)
    return desk_item(
        handoff, agent=agent, policy=runtime.policy, hours=runtime.hours, now=runtime.now()
    )


async def reply(
    runtime: HandoffRuntime, agent: Agent, handoff_id: int, body: ReplyRequest
) -> ReplySent:
    handoff = await visible_handoff(runtime, agent, handoff_id)
    if handoff.status == HandoffStatus.RESOLVED:
        raise ConsoleRefused(status.HTTP_409_CONFLICT, Refusal.RESOLVED, "this handoff is resolved")
    if handoff.assigned_agent_id != agent.id and not sees_every_queue(agent):
        raise not_allowed("claim the handoff before replying")
    known = {
        "member_name": member_first_name(handoff.summary or {}),
        "protocol": handoff.protocol,
        "agent_name": agent.display_name.split()[0] if agent.display_name.strip() else None,
    }
    text, template, variables = None, None, None
    try:
        if body.text is not None:
            text = body.text.strip()
        elif body.canned is not None:
            text = runtime.canned.render(body.canned, handoff.language, {**known, **body.variables})
        else:
            template = body.template
            assert template is not None
            variables = runtime.canned.template_variables(
                template, handoff.language, known, body.variables
            )
    except UnknownCannedResponse as error:
        raise ConsoleRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT, Refusal.UNKNOWN_CANNED, str(error)
        ) from error
    except MissingVariables as error:
        raise ConsoleRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            Refusal.MISSING_VARIABLES,
            str(error),
            variables=error.names,
        ) from error
    message_ids = await _send(
        runtime,
        handoff,
        author=Author(agent_id=agent.id, name=agent.display_name),
        text=text,
        template=template,
        variables=variables,
    )
    first = await _record_reply(runtime, agent, handoff)
    audit_detail: dict[str, Any] = {"kind": body.kind, "message_ids": message_ids}
    if body.canned is not None:
        audit_detail["canned"] = body.canned
    if template is not None:
        audit_detail["template"] = template
    await audit_handoff(runtime, agent, AuditAction.MESSAGE_SENT, handoff, **audit_detail)
    return ReplySent(message_ids=message_ids, first_reply=first)


async def note(runtime: HandoffRuntime, agent: Agent, handoff_id: int, text: str) -> NoteView:
    handoff = await visible_handoff(runtime, agent, handoff_id)
    try:
        written = await add_note(
            runtime.sessions, handoff=handoff, agent_id=agent.id, text=text, now=runtime.now()
        )
    except ValueError as error:
        raise ConsoleRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT, Refusal.INVALID, str(error)
        ) from error
    await audit_handoff(runtime, agent, AuditAction.NOTE_ADDED, handoff, note_id=written.id)
    await events.publish(
        runtime.redis, events.note_added(handoff, note_id=written.id, agent_id=agent.id)
    )
    return NoteView(
        id=written.id, agent_id=written.agent_id, text=written.text, at=as_utc(written.created_at)
    )


async def transfer(
    runtime: HandoffRuntime, agent: Agent, handoff_id: int, body: TransferRequest
) -> DeskItem:
    if body.skill is not None and body.skill not in {skill.value for skill in Skill}:
        raise ConsoleRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT, Refusal.INVALID, f"unknown skill {body.skill!r}"
        )
    before = await visible_handoff(runtime, agent, handoff_id)
    if body.agent_id is not None:
        moved = await queue_call(
            transfer_to_agent(
                runtime.sessions,
                runtime.redis,
                handoff_id=handoff_id,
                by_agent_id=agent.id,
                to_agent_id=body.agent_id,
                now=runtime.now(),
            )
        )
        target: dict[str, Any] = {"to_agent_id": body.agent_id}
    else:
        assert body.skill is not None
        moved = await queue_call(
            transfer_to_skill(
                runtime.sessions,
                runtime.redis,
                handoff_id=handoff_id,
                by_agent_id=agent.id,
                skill=body.skill,
                now=runtime.now(),
            )
        )
        target = {"to_skill": body.skill}
    await audit_handoff(
        runtime,
        agent,
        AuditAction.HANDOFF_TRANSFERRED,
        moved,
        from_agent_id=before.assigned_agent_id,
        from_skill=before.skill,
        **target,
    )
    if body.skill is not None:
        await assign_quietly(runtime)
    return desk_item(
        moved, agent=agent, policy=runtime.policy, hours=runtime.hours, now=runtime.now()
    )


async def resolve(
    runtime: HandoffRuntime, agent: Agent, handoff_id: int, resolution: str | None
) -> Resolved:
    before = await visible_handoff(runtime, agent, handoff_id)
    if before.status == HandoffStatus.RESOLVED:  # a second click: nothing more to do
        return Resolved(
            handoff=desk_item(
                before, agent=agent, policy=runtime.policy, hours=runtime.hours, now=runtime.now()
            ),
            gateway_told=not await handback_pending(runtime, before),
        )
    resolved = await queue_call(
        resolve_handoff(
            runtime.sessions,
            runtime.redis,
            handoff_id=handoff_id,
            by_agent_id=agent.id,
            resolution=resolution,
            now=runtime.now(),
        )
    )
    told = await hand_back(runtime.sessions, runtime.gateway, handoff=resolved, now=runtime.now())
    detail: dict[str, Any] = {"gateway_told": told}
    if resolution:
        detail["resolution"] = resolution
    await audit_handoff(runtime, agent, AuditAction.HANDOFF_CLOSED, resolved, **detail)
    return Resolved(
        handoff=desk_item(
            resolved, agent=agent, policy=runtime.policy, hours=runtime.hours, now=runtime.now()
        ),
        gateway_told=told,
    )


async def presence(
    runtime: HandoffRuntime, agent: Agent, wanted: Literal["online", "away", "offline"]
) -> PresenceView:
    online = wanted == "online"
    await queue_call(
        set_presence(
            runtime.sessions,
            runtime.redis,
            agent_id=agent.id,
            status=PresenceStatus.ONLINE if online else PresenceStatus.OFFLINE,
            now=runtime.now(),
        )
    )
    await record(
        runtime.sessions,
        actor=agent_actor(agent.id),
        action=AuditAction.PRESENCE_CHANGED,
        subject=agent_actor(agent.id),
        detail={"status": wanted},
        at=runtime.now(),
    )
    if online:
        await assign_quietly(runtime)
    return PresenceView(status=wanted, taking_conversations=online)


async def _send(
    runtime: HandoffRuntime,
    handoff: Handoff,
    *,
    author: Author,
    text: str | None,
    template: str | None,
    variables: dict[str, str] | None,
) -> list[int]:
    try:
        return await runtime.gateway.send(
            handoff.conversation_id,
            author=author,
            text=text,
            template=template,
            variables=variables,
        )
    except OutsideWindow as error:
        raise ConsoleRefused(
            status.HTTP_409_CONFLICT,
            Refusal.OUTSIDE_WINDOW,
            "the member's 24-hour WhatsApp window has closed: send a template instead",
            gateway_detail=error.detail if isinstance(error.detail, str) else None,
            templates=[item.name for item in runtime.canned.templates(handoff.language)],
        ) from error
    except ConversationNotFound as error:
        raise ConsoleRefused(
            status.HTTP_409_CONFLICT,
            Refusal.GATEWAY_REFUSED,
            "the gateway no longer has this conversation",
        ) from error
    except GatewayRefused as error:
        raise ConsoleRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            Refusal.GATEWAY_REFUSED,
            "the gateway refused the message",
            gateway_detail=error.detail if isinstance(error.detail, str) else None,
        ) from error
    except GatewayUnavailable as error:
        raise ConsoleRefused(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            Refusal.GATEWAY_UNAVAILABLE,
            "the message could not be sent now; try again in a moment",
        ) from error


async def _record_reply(runtime: HandoffRuntime, agent: Agent, handoff: Handoff) -> bool:
    """Stop the first-response clock. The message is out already: a handoff that changed
    meanwhile (resolved, moved) is logged, not refused."""
    try:
        return await record_agent_reply(
            runtime.sessions,
            runtime.redis,
            handoff_id=handoff.id,
            agent_id=agent.id,
            now=runtime.now(),
        )
    except QueueError as error:
        logger.warning(
            "reply sent but not recorded on the handoff",
            extra={"handoff_id": handoff.id, "error": type(error).__name__},
        )
        return False

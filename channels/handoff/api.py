"""What the handoff service asks of the gateway (docs/handoff.md): a conversation's transcript
for the agent console, and the end of a handoff, which gives the conversation back to the bot.
Agents' replies go through `POST /api/conversations/{id}/messages` (channels/outbound_api.py).
"""

from datetime import datetime, timedelta
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel
from sqlalchemy import select

from channels import store
from channels.handoff.link import HANDOFF_RESOLVED, SYSTEM_EVENT
from channels.models import Channel, Conversation, Direction, Message, as_utc, utc_now
from channels.outbound_api import AuthorisedRuntime

router = APIRouter(prefix="/api/conversations", tags=["handoff api"])

WHATSAPP_WINDOW = timedelta(hours=24)


class TranscriptMessage(BaseModel):
    id: int
    direction: str
    author: str
    agent_name: str | None
    text: str | None
    attachments: list[dict[str, Any]]
    status: str
    at: datetime


class ConversationInfo(BaseModel):
    id: str
    channel: str
    language: str | None
    # WhatsApp: free text is allowed (the member wrote in the last 24 hours); elsewhere always.
    within_window: bool


class Transcript(BaseModel):
    conversation: ConversationInfo
    messages: list[TranscriptMessage]


class EndRequest(BaseModel):
    handoff_id: int


@router.get("/{conversation_id}/messages")
async def transcript(
    conversation_id: str,
    runtime: AuthorisedRuntime,
    limit: int = Query(200, ge=1, le=1000),
) -> Transcript:
    async with runtime.sessions() as session:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such conversation")
        latest = await session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id.desc())
            .limit(limit)
        )
        messages = list(reversed(latest.all()))
    return Transcript(
        conversation=ConversationInfo(
            id=conversation.id,
            channel=conversation.channel,
            language=conversation.language,
            within_window=_within_window(conversation),
        ),
        messages=[_transcript_message(message) for message in messages],
    )


@router.post("/{conversation_id}/handoff/end", status_code=status.HTTP_202_ACCEPTED)
async def end_handoff(conversation_id: str, body: EndRequest, runtime: AuthorisedRuntime) -> None:
    message_id = await store.end_handoff(
        runtime.sessions,
        conversation_id=conversation_id,
        handoff_id=body.handoff_id,
        text=HANDOFF_RESOLVED,
        meta={SYSTEM_EVENT: "handoff_resolved", "handoff_id": body.handoff_id},
    )
    if message_id is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail="that handoff is not this conversation's open one"
        )
    # Recovery finds it in SQL should Redis not take it now.
    await runtime.queue.notify(conversation_id)


def _within_window(conversation: Conversation) -> bool:
    if conversation.channel != Channel.WHATSAPP:
        return True
    last = conversation.last_member_message_at
    return last is not None and utc_now() - as_utc(last) < WHATSAPP_WINDOW


AuthorKind = Literal["member", "bot", "agent", "system"]


def _author(message: Message, agent: dict[str, Any] | None) -> AuthorKind:
    if (message.meta or {}).get(SYSTEM_EVENT):
        return "system"
    if message.direction == Direction.IN:
        return "member"
    if agent is not None:
        return "agent"
    # The bot's replies answer a member's message; the gateway's own notices answer none.
    return "bot" if message.reply_to_id is not None else "system"


def _transcript_message(message: Message) -> TranscriptMessage:
    meta = message.meta or {}
    agent = meta.get("author") if isinstance(meta.get("author"), dict) else None
    attachments = [item for item in meta.get("attachments") or [] if "id" in item]
    return TranscriptMessage(
        id=message.id,
        direction=message.direction,
        author=_author(message, agent),
        agent_name=agent.get("name") if agent else None,
        text=message.text,
        attachments=attachments,
        status=message.status,
        at=as_utc(message.created_at),
    )

"""The API other Acolhe services send through: agents' replies (handoff), reminders (worker).

`POST /api/conversations/{id}/messages` puts a message in the conversation's outbox, on whatever
channel the member uses, after the checks WhatsApp demands: free text only inside the 24-hour
window, a template otherwise, nothing proactive to a member who opted out. Refusals are 409s
with the reason, before anything reaches Twilio. `GET /api/messages/{id}` says how it went.
Both need `Authorization: Bearer <GATEWAY_API_TOKEN>`.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, status
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from channels import store
from channels.models import Channel, DeliveryEvent, Direction, Message
from channels.runtime import Runtime, RuntimeDep
from channels.store import Outbound
from channels.whatsapp.formatting import split_text
from channels.whatsapp.sender import refusal
from channels.whatsapp.templates import TemplateProblem
from common.bearer import require_bearer

router = APIRouter(prefix="/api", tags=["outbound api"])


def authorised(runtime: RuntimeDep, authorization: Annotated[str, Header()] = "") -> Runtime:
    token = runtime.settings.gateway_api_token.get_secret_value()
    if not token:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="GATEWAY_API_TOKEN is not set"
        )
    require_bearer(authorization, token)
    return runtime


AuthorisedRuntime = Annotated[Runtime, Depends(authorised)]


class TemplateRequest(BaseModel):
    name: str
    variables: dict[str, str] = Field(default_factory=dict)


class Author(BaseModel):
    """The agent who wrote a message, for the transcript (no author: the system's message)."""

    agent_id: int
    name: str = Field(min_length=1, max_length=120)


class OutboundRequest(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=4096)
    template: TemplateRequest | None = None
    # True for what the member did not ask for (reminders, news): refused after an opt-out.
    proactive: bool = False
    author: Author | None = None

    @model_validator(mode="after")
    def one_kind(self) -> "OutboundRequest":
        if (self.text is None) == (self.template is None):
            raise ValueError("give either text or template")
        return self


class Accepted(BaseModel):
    message_ids: list[int]


class DeliveryReport(BaseModel):
    message_id: int
    status: str
    error: str | None
    attempts: int
    events: list[dict[str, Any]]


@router.post("/conversations/{conversation_id}/messages", status_code=status.HTTP_202_ACCEPTED)
async def send_message(
    conversation_id: str, body: OutboundRequest, runtime: AuthorisedRuntime
) -> Accepted:
    conversation = await store.conversation(runtime.sessions, conversation_id)
    if conversation is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such conversation")
    if conversation.channel == Channel.REST:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="REST clients only get answers to their own requests",
        )
    messages = _outbound(runtime, conversation.channel, conversation.language, body)
    if conversation.channel == Channel.WHATSAPP:
        reason = refusal(conversation, messages[0].payload)
        if reason:
            raise HTTPException(status.HTTP_409_CONFLICT, detail=reason)
    ids = await store.record_replies(
        runtime.sessions,
        conversation_id=conversation_id,
        in_reply_to=None,
        replies=messages,
        replaces_options=False,
        meta={"author": body.author.model_dump()} if body.author else None,
    )
    await runtime.queue.notify(conversation_id)
    return Accepted(message_ids=ids)


@router.get("/messages/{message_id}")
async def delivery_report(message_id: int, runtime: AuthorisedRuntime) -> DeliveryReport:
    async with runtime.sessions() as session:
        # Events first: each read may see a newer commit (SQLite reads outside a transaction),
        # and the message read after them is then at least as new as its events.
        events = list(
            await session.scalars(
                select(DeliveryEvent)
                .where(DeliveryEvent.message_id == message_id)
                .order_by(DeliveryEvent.id)
            )
        )
        message = await session.get(Message, message_id)
        if message is None or message.direction != Direction.OUT:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such outbound message")
        return DeliveryReport(
            message_id=message.id,
            status=message.status,
            error=message.error,
            attempts=message.attempts,
            events=[
                {"status": event.status, "error_code": event.error_code, "at": _iso(event.at)}
                for event in events
            ],
        )


def _outbound(
    runtime: Runtime, channel: str, language: str | None, body: OutboundRequest
) -> list[Outbound]:
    extra = {"proactive": True} if body.proactive else {}
    if body.template is not None:
        if channel != Channel.WHATSAPP or runtime.whatsapp is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, detail="templates are for WhatsApp only"
            )
        try:
            rendered = runtime.whatsapp.templates.render(
                body.template.name, language, body.template.variables
            )
        except TemplateProblem as error:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(error)) from error
        payload = {
            "template": body.template.name,
            "content_sid": rendered.content_sid,
            "content_variables": rendered.content_variables,
            **extra,
        }
        return [Outbound(text=rendered.text, payload=payload)]
    assert body.text is not None
    if channel == Channel.WHATSAPP:
        return [
            Outbound(text=part, payload={"body": part, **extra}) for part in split_text(body.text)
        ]
    return [Outbound(text=body.text, payload={"text": body.text, **extra})]


def _iso(moment: datetime) -> str:
    return moment.isoformat()

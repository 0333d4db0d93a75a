"""`POST /webhooks/insurer`: events the insurer pushes (docs/channels.md).

Each request is signed (common/event_signature.py), its timestamp within five minutes of the
gateway's clock so a captured request cannot be replayed later. Each event id is acted on once:
the insurer retries until it gets a 2xx, and a retry answers `200 {"status": "duplicate"}`.

`payment.confirmed` for a conversation the gateway knows puts a thank-you in its outbox, in the
same transaction that records the event, so a crash cannot lose the one or repeat the other.
"""

import logging
import time
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError, model_validator

from channels import store
from channels.models import Channel, Conversation
from channels.payment_thanks import TEMPLATE, thanks
from channels.runtime import Runtime, RuntimeDep
from channels.store import Outbound
from channels.whatsapp.sender import window_is_open
from common.event_signature import signature_matches

router = APIRouter(tags=["insurer events"])
logger = logging.getLogger(__name__)

MAX_CLOCK_SKEW_SECONDS = 300
PAYMENT_CONFIRMED = "payment.confirmed"


class InsurerEventBody(BaseModel):
    """An event as the insurer sends it; fields it may add later are let through."""

    event_id: str = Field(min_length=1, max_length=64)
    type: str = Field(min_length=1, max_length=64)
    occurred_at: datetime
    member_id: str
    conversation_id: str | None = None
    reference: str | None = None
    agreement_id: str | None = None
    installment_number: int | None = None
    installments_total: int | None = None
    agreement_status: Literal["active", "broken", "paid"] | None = None
    amount_cents: int | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    method: str | None = None

    @model_validator(mode="after")
    def payment_has_its_amount(self) -> "InsurerEventBody":
        if self.type == PAYMENT_CONFIRMED and (
            self.reference is None or self.amount_cents is None or self.currency is None
        ):
            raise ValueError("payment.confirmed needs reference, amount_cents and currency")
        return self


@router.post("/webhooks/insurer")
async def insurer_event(
    request: Request,
    runtime: RuntimeDep,
    x_acolhe_signature: Annotated[str, Header()] = "",
    x_acolhe_timestamp: Annotated[str, Header()] = "",
) -> JSONResponse:
    secret = runtime.settings.insurer_events_secret.get_secret_value()
    if not secret:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail="INSURER_EVENTS_SECRET is not set"
        )
    raw = await request.body()
    problem = signature_problem(secret, x_acolhe_timestamp, x_acolhe_signature, raw)
    if problem:
        logger.warning("insurer event refused", extra={"reason": problem})
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=problem)
    try:
        event = InsurerEventBody.model_validate_json(raw)
    except ValidationError as error:
        # The gateway's handler turns this into its usual 422, without echoing the body.
        raise RequestValidationError(error.errors()) from error

    replies = await _replies(runtime, event)
    outcome = "queued" if replies else "ignored"
    first_time = await store.record_insurer_event(
        runtime.sessions,
        event_id=event.event_id,
        event_type=event.type,
        outcome=outcome,
        conversation_id=event.conversation_id,
        replies=replies,
    )
    if not first_time:
        outcome = "duplicate"
    elif replies and event.conversation_id is not None:
        await runtime.queue.notify(event.conversation_id)
    logger.info(
        "insurer event", extra={"event_id": event.event_id, "type": event.type, "outcome": outcome}
    )
    code = status.HTTP_200_OK if outcome == "duplicate" else status.HTTP_202_ACCEPTED
    return JSONResponse({"status": outcome}, status_code=code)


def signature_problem(secret: str, timestamp: str, signature: str, body: bytes) -> str | None:
    """Why the request is not the insurer's, fresh; None when it is."""
    if not timestamp or not signature:
        return "X-Acolhe-Timestamp and X-Acolhe-Signature are required"
    if not timestamp.isdigit():
        return "X-Acolhe-Timestamp must be unix seconds"
    if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return "X-Acolhe-Timestamp is more than 300 seconds from now"
    if not signature_matches(secret, timestamp, body, signature):
        return "X-Acolhe-Signature does not match the body"
    return None


async def _replies(runtime: Runtime, event: InsurerEventBody) -> list[Outbound]:
    """The thank-you to queue; none when the event asks nothing of a member's channel."""
    if event.type != PAYMENT_CONFIRMED or event.conversation_id is None:
        return []
    async with runtime.sessions() as session:
        conversation = await session.get(Conversation, event.conversation_id)
    if conversation is None or conversation.channel == Channel.REST:
        # REST clients only get answers to their own requests.
        return []
    assert event.reference and event.amount_cents is not None and event.currency
    words = thanks(
        language=conversation.language,
        amount_cents=event.amount_cents,
        currency=event.currency,
        reference=event.reference,
        agreement_id=event.agreement_id,
        installment_number=event.installment_number,
        installments_total=event.installments_total,
        agreement_settled=event.agreement_status == "paid",
    )
    # Not marked proactive: a receipt of what the member just did still reaches a member who
    # opted out of reminders and news.
    if conversation.channel == Channel.WEBCHAT:
        return [Outbound(text=words.text, payload={"text": words.text})]
    if runtime.whatsapp is None:
        return []  # the WhatsApp channel is off: nothing could send it
    if window_is_open(conversation):
        return [Outbound(text=words.text, payload={"body": words.text})]
    rendered = runtime.whatsapp.templates.render(
        TEMPLATE, conversation.language, words.template_variables
    )
    payload = {
        "template": TEMPLATE,
        "content_sid": rendered.content_sid,
        "content_variables": rendered.content_variables,
    }
    return [Outbound(text=rendered.text, payload=payload)]

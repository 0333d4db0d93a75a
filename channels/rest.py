"""`POST /webhooks/rest/webhook`: Rasa's REST channel, same request and reply, messages kept.

Clients written for Rasa's REST channel work unchanged against the gateway.
"""

from typing import Any

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field, field_validator

from channels.models import CONVERSATION_ID_MAX, Channel
from channels.rasa_client import RasaReply, RasaUnavailable
from channels.runtime import RuntimeDep
from channels.turns import MessageNotKept, member_turn
from channels.validation import json_problem, text_problem

router = APIRouter(tags=["rest channel"])

RETRY_AFTER_SECONDS = "5"


class RestMessage(BaseModel):
    sender: str = Field(min_length=1, max_length=CONVERSATION_ID_MAX)
    message: str = Field(min_length=1)
    metadata: dict[str, Any] | None = None

    @field_validator("sender", "message")
    @classmethod
    def storable_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("metadata")
    @classmethod
    def storable_metadata(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        problem = json_problem(value)
        if problem:
            raise ValueError(problem)
        return value


@router.post("/webhooks/rest/webhook")
async def rest_webhook(body: RestMessage, runtime: RuntimeDep) -> list[RasaReply]:
    limit = runtime.settings.max_message_chars
    if len(body.message) > limit:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"message is {len(body.message)} characters long; the limit is {limit}",
        )
    try:
        return await member_turn(
            sessions=runtime.sessions,
            rasa=runtime.rasa,
            conversation_id=body.sender,
            channel=Channel.REST,
            text=body.message,
            metadata=body.metadata,
        )
    except RasaUnavailable as error:
        raise _try_again_later(
            "The assistant is unavailable right now. Your message was kept; "
            "send it again in a few moments to get an answer."
        ) from error
    except MessageNotKept as error:
        raise _try_again_later(
            "Your message could not be stored, so it was not delivered; send it again "
            "in a few moments."
        ) from error


def _try_again_later(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        detail=detail,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )

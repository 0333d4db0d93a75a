"""Service contacts: POST /v1/contacts gives the protocol number."""

import logging

from fastapi import APIRouter, status

from sandbox.auth import AuthorisedRuntime
from sandbox.contacts.schemas import ContactOpened, ContactRequest
from sandbox.contacts.service import open_contact

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/contacts", tags=["service contacts"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Open a service contact and get its ANS protocol number",
    responses={404: {"description": "`unknown_member`"}},
)
async def open_a_contact(body: ContactRequest, runtime: AuthorisedRuntime) -> ContactOpened:
    contact, opened_at = await open_contact(
        runtime.sessions,
        member_id=body.member_id,
        channel=body.channel,
        topic=body.topic,
        ans_registration=runtime.settings.ans_registration,
        now=runtime.now(),
    )
    logger.info("contact opened", extra={"channel": contact.channel, "topic": contact.topic})
    return ContactOpened(protocol=contact.protocol, opened_at=opened_at)

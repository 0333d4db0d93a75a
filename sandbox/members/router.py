"""Members and identity: POST /v1/members/verify, GET /v1/members/{member_id}."""

import logging

from fastapi import APIRouter, status

from sandbox.auth import AuthorisedRuntime
from sandbox.errors import ApiError
from sandbox.members.schemas import MemberView, Verified, VerifyRequest
from sandbox.members.service import load_member, member_view, verify

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/members", tags=["members"])


@router.post(
    "/verify",
    summary="Identify a member by document, birth date and phone",
    responses={404: {"description": "`no_match`: whatever did not match (never says which)"}},
)
async def verify_member(body: VerifyRequest, runtime: AuthorisedRuntime) -> Verified:
    async with runtime.sessions() as session:
        member = await verify(
            session, document=body.document, birth_date=body.birth_date, phone=body.phone
        )
    if member is None:
        # Counted, never described: which field failed is what an impostor wants to learn.
        logger.info("member verification did not match")
        raise ApiError(status.HTTP_404_NOT_FOUND, "no_match", "no member matches")
    logger.info("member verified", extra={"member_id": member.id})
    return Verified(member=member_view(member))


@router.get(
    "/{member_id}",
    summary="A member, with their plan",
    responses={404: {"description": "`unknown_member`"}},
)
async def get_member(member_id: str, runtime: AuthorisedRuntime) -> MemberView:
    async with runtime.sessions() as session:
        member = await load_member(session, member_id)
        return member_view(member)

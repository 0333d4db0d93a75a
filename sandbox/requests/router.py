"""Requests: list, look up by number, follow one up, create an authorization."""

import logging
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BeforeValidator

from sandbox import idempotency
from sandbox.auth import AuthorisedRuntime
from sandbox.errors import ApiError
from sandbox.requests.authorizations import NotCovered
from sandbox.requests.enums import RequestKind
from sandbox.requests.follow_ups import follow_up
from sandbox.requests.schemas import (
    AuthorizationRequest,
    FollowUpRequest,
    RequestList,
    RequestView,
)
from sandbox.requests.service import (
    UnknownRequest,
    create_authorization,
    find_request,
    list_requests,
    request_view,
)
from sandbox.text import blank_to_none

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/members", tags=["requests"])


KindFilter = Annotated[
    RequestKind | None,
    BeforeValidator(blank_to_none),
    Query(description="Only requests of this kind; empty or absent: all."),
]


@router.get(
    "/{member_id}/requests",
    summary="The member's requests, most recent first, with their history",
    responses={404: {"description": "`unknown_member`"}},
)
async def member_requests(
    member_id: str,
    runtime: AuthorisedRuntime,
    kind: KindFilter = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> RequestList:
    async with runtime.sessions() as session:
        member, requests = await list_requests(session, member_id=member_id, kind=kind, limit=limit)
    return RequestList(requests=[request_view(request, member) for request in requests])


@router.get(
    "/{member_id}/requests/{number}",
    summary="One of the member's requests, by the number the member quotes",
    description="Matched in any case, with or without dashes (`aut2026000123`). Another member's "
    "number is unknown too.",
    responses={404: {"description": "`unknown_member` or `unknown_request`"}},
)
async def member_request(
    member_id: str,
    number: Annotated[str, Path(max_length=40)],
    runtime: AuthorisedRuntime,
) -> RequestView:
    async with runtime.sessions() as session:
        try:
            member, request = await find_request(session, member_id=member_id, number=number)
        except UnknownRequest as error:
            raise _unknown_request() from error
    return request_view(request, member)


def _unknown_request() -> ApiError:
    return ApiError(status.HTTP_404_NOT_FOUND, "unknown_request", "the member has no such request")


@router.post(
    "/{member_id}/requests/{number}/follow-ups",
    summary="The member chased a request: note it in the history, flag it for the team",
    description="Adds a history entry (status unchanged) naming the contact's protocol. One "
    "entry per protocol (per day without one): sending it again changes nothing.",
    responses={404: {"description": "`unknown_member` or `unknown_request`"}},
)
async def chase_request(
    member_id: str,
    number: Annotated[str, Path(max_length=40)],
    body: FollowUpRequest,
    runtime: AuthorisedRuntime,
) -> RequestView:
    try:
        member, request = await follow_up(
            runtime.sessions,
            member_id=member_id,
            number=number,
            contact_protocol=body.contact_protocol,
            reason=body.reason,
            now=runtime.now(),
        )
    except UnknownRequest as error:
        raise _unknown_request() from error
    logger.info("request followed up", extra={"reason": body.reason})
    return request_view(request, member)


@router.post(
    "/{member_id}/authorizations",
    status_code=status.HTTP_201_CREATED,
    summary="Ask for an authorization; the sandbox applies the insurer's rules at once",
    description="Classifies the procedure by keywords (sandbox/rules.yml) into an ANS category. "
    "Urgent or emergency requests in a category the rules auto-approve, covered and out of "
    "waiting periods, are approved with an authorization number; other urgent ones go to "
    "immediate review (ANS urgency, 0 days); elective ones to review with the promised date "
    "the category's ANS deadline gives, in business days.",
    responses={
        200: {"description": "The same Idempotency-Key within 24 h: the request first created"},
        404: {"description": "`unknown_member`"},
        422: {"description": "`not_covered`, or FastAPI's validation errors"},
    },
)
async def request_authorization(
    member_id: str,
    body: AuthorizationRequest,
    response: Response,
    runtime: AuthorisedRuntime,
    idempotency_key: Annotated[str | None, idempotency.KEY_HEADER] = None,
) -> RequestView:
    try:
        outcome = await create_authorization(
            runtime.sessions,
            rules=runtime.rules,
            member_id=member_id,
            body=body,
            idempotency_key=idempotency_key,
            now=runtime.now(),
        )
    except NotCovered as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "not_covered", "the plan does not cover it"
        ) from error
    if not outcome.created:
        response.status_code = status.HTTP_200_OK
    else:
        # The status only: the category would say something about the member's health.
        logger.info("authorization requested", extra={"status": outcome.request.status})
    return request_view(outcome.request, outcome.member)

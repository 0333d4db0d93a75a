"""Collections, member by member: payment agreements, reminders consent, disputed bills."""

import logging
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from sandbox import idempotency
from sandbox.auth import AuthorisedRuntime
from sandbox.collections.agreements import (
    DebtChanged,
    InvalidTerms,
    TermsHashMismatch,
    UnknownAgreement,
    create_agreement,
    member_agreements,
    set_reminders_consent,
)
from sandbox.collections.disputes import AllPaid, list_disputes, open_dispute
from sandbox.collections.schemas import (
    AgreementList,
    AgreementRequest,
    AgreementView,
    DisputeList,
    DisputeRequest,
    DisputeView,
    RemindersConsent,
)
from sandbox.collections.views import ViewContext, agreement_view
from sandbox.errors import ApiError
from sandbox.members.service import load_member

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/members", tags=["collections"])


@router.post(
    "/{member_id}/agreements",
    status_code=status.HTTP_201_CREATED,
    summary="Record a payment agreement the member accepted",
    description="The terms are checked on their own (`invalid_terms`), against their hash "
    "(`terms_hash_mismatch`) and against today's debt (`debt_changed`). Each installment gets "
    "its payment options: PIX and boleto in Brazil, a card checkout link everywhere.",
    responses={
        200: {"description": "The same Idempotency-Key within 24 h: the agreement first made"},
        404: {"description": "`unknown_member`"},
        409: {"description": "`debt_changed`"},
        422: {"description": "`invalid_terms`, `terms_hash_mismatch`, or validation errors"},
    },
)
async def new_agreement(
    member_id: str,
    body: AgreementRequest,
    response: Response,
    runtime: AuthorisedRuntime,
    idempotency_key: Annotated[str, idempotency.KEY_HEADER],
) -> AgreementView:
    try:
        outcome = await create_agreement(
            runtime.sessions,
            member_id=member_id,
            body=body,
            idempotency_key=idempotency_key,
            billing=runtime.rules.billing,
            now=runtime.now(),
        )
    except InvalidTerms as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid_terms", str(error)
        ) from error
    except TermsHashMismatch as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "terms_hash_mismatch",
            "terms_hash is not the sha256 of the canonical terms",
        ) from error
    except DebtChanged as error:
        raise ApiError(status.HTTP_409_CONFLICT, "debt_changed", str(error)) from error
    if outcome.created:
        logger.info("agreement accepted", extra={"agreement_id": outcome.agreement.id})
    else:
        response.status_code = status.HTTP_200_OK
    return agreement_view(outcome.agreement, ViewContext.of(outcome.member, runtime))


@router.get(
    "/{member_id}/agreements",
    summary="The member's payment agreements, newest first",
    responses={404: {"description": "`unknown_member`"}},
)
async def agreements(member_id: str, runtime: AuthorisedRuntime) -> AgreementList:
    async with runtime.sessions() as session:
        member = await load_member(session, member_id)
        context = ViewContext.of(member, runtime)
        return AgreementList(
            agreements=[
                agreement_view(agreement, context)
                for agreement in await member_agreements(session, member.id)
            ]
        )


@router.put(
    "/{member_id}/agreements/{agreement_id}/reminders",
    summary="Whether the member wants reminders before each installment",
    responses={404: {"description": "`unknown_member` or `unknown_agreement`"}},
)
async def reminders_consent(
    member_id: str,
    agreement_id: Annotated[str, Path(max_length=40)],
    body: RemindersConsent,
    runtime: AuthorisedRuntime,
) -> AgreementView:
    try:
        member, agreement = await set_reminders_consent(
            runtime.sessions,
            member_id=member_id,
            agreement_id=agreement_id,
            body=body,
            now=runtime.now(),
        )
    except UnknownAgreement as error:
        raise ApiError(
            status.HTTP_404_NOT_FOUND, "unknown_agreement", "the member has no such agreement"
        ) from error
    logger.info("reminders consent recorded", extra={"agreement_id": agreement.id})
    return agreement_view(agreement, ViewContext.of(member, runtime))


@router.post(
    "/{member_id}/disputes",
    status_code=status.HTTP_201_CREATED,
    summary="The member contests bills; they leave the debt's sums until answered",
    responses={
        200: {"description": "A bill already under an open dispute: that dispute"},
        404: {"description": "`unknown_member` or `unknown_invoice`"},
        409: {"description": "`already_paid`: every bill named is paid"},
    },
)
async def new_dispute(
    member_id: str, body: DisputeRequest, response: Response, runtime: AuthorisedRuntime
) -> DisputeView:
    try:
        outcome = await open_dispute(
            runtime.sessions,
            member_id=member_id,
            body=body,
            billing=runtime.rules.billing,
            now=runtime.now(),
        )
    except AllPaid as error:
        raise ApiError(
            status.HTTP_409_CONFLICT, "already_paid", "every invoice named is paid"
        ) from error
    if outcome.created:
        logger.info("dispute opened", extra={"dispute_id": outcome.dispute.id})
    else:
        response.status_code = status.HTTP_200_OK
    return outcome.dispute


@router.get(
    "/{member_id}/disputes",
    summary="The member's disputes, newest first",
    responses={404: {"description": "`unknown_member`"}},
)
async def disputes(member_id: str, runtime: AuthorisedRuntime) -> DisputeList:
    async with runtime.sessions() as session:
        return DisputeList(disputes=await list_disputes(session, member_id=member_id))

"""The worker's reminders feed: installments falling due, claiming a reminder, its outcome."""

import logging
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from sandbox.auth import AuthorisedRuntime
from sandbox.collections.reminders import (
    AlreadyClaimed,
    NotClaimed,
    UnknownInstallment,
    claim_reminder,
    record_outcome,
    reminder_targets,
)
from sandbox.collections.schemas import (
    ReminderClaim,
    ReminderRecord,
    ReminderResult,
    ReminderTargetList,
)
from sandbox.errors import ApiError

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/collections/installments", tags=["collections"])

MAX_RANGE_DAYS = 366
InstallmentId = Annotated[str, Path(max_length=40)]
OffsetDays = Annotated[int, Path(ge=-60, le=60)]


@router.get(
    "",
    summary="Unpaid installments of unpaid agreements due in a range, for reminders",
    responses={422: {"description": "`invalid_range`"}},
)
async def installments_due(
    runtime: AuthorisedRuntime, due_from: Annotated[date, Query()], due_to: Annotated[date, Query()]
) -> ReminderTargetList:
    if not 0 <= (due_to - due_from).days <= MAX_RANGE_DAYS:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_range",
            f"due_from must be on or before due_to, at most {MAX_RANGE_DAYS} days apart",
        )
    async with runtime.sessions() as session:
        return ReminderTargetList(
            installments=await reminder_targets(
                session, due_from=due_from, due_to=due_to, now=runtime.now()
            )
        )


@router.post(
    "/{installment_id}/reminders",
    status_code=status.HTTP_201_CREATED,
    summary="Claim a reminder (once per installment and offset)",
    responses={
        404: {"description": "`unknown_installment`"},
        409: {"description": "`already_claimed`"},
    },
)
async def claim(
    installment_id: InstallmentId, body: ReminderClaim, runtime: AuthorisedRuntime
) -> ReminderRecord:
    try:
        record = await claim_reminder(
            runtime.sessions,
            installment_id=installment_id,
            offset_days=body.offset_days,
            now=runtime.now(),
        )
    except UnknownInstallment as error:
        raise ApiError(
            status.HTTP_404_NOT_FOUND, "unknown_installment", "no installment with that id"
        ) from error
    except AlreadyClaimed as error:
        raise ApiError(
            status.HTTP_409_CONFLICT, "already_claimed", "this reminder was claimed before"
        ) from error
    logger.info("reminder claimed", extra={"installment_id": record.installment_id})
    return record


@router.patch(
    "/{installment_id}/reminders/{offset_days}",
    summary="What came of a claimed reminder",
    responses={404: {"description": "`unknown_reminder`: not claimed"}},
)
async def outcome(
    installment_id: InstallmentId,
    offset_days: OffsetDays,
    body: ReminderResult,
    runtime: AuthorisedRuntime,
) -> ReminderRecord:
    try:
        record = await record_outcome(
            runtime.sessions,
            installment_id=installment_id,
            offset_days=offset_days,
            result=body,
            now=runtime.now(),
        )
    except NotClaimed as error:
        raise ApiError(
            status.HTTP_404_NOT_FOUND, "unknown_reminder", "no reminder claimed for that offset"
        ) from error
    logger.info("reminder outcome", extra={"installment_id": record.installment_id})
    return record

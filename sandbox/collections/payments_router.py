"""The bank's side (simulated): confirming payments, and the feed of payment events."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, status

from sandbox.auth import AuthorisedRuntime
from sandbox.collections.delivery import confirm_then_push
from sandbox.collections.events import list_events
from sandbox.collections.payments import AlreadyPaid, UnknownReference
from sandbox.collections.schemas import EventList, PaymentConfirmation, PaymentRequest
from sandbox.errors import ApiError

router = APIRouter(prefix="/v1", tags=["payments"])


@router.post(
    "/payments",
    status_code=status.HTTP_201_CREATED,
    summary="Confirm a payment, as the bank would tell the insurer",
    description="An agreement's installment (`AGR-2026-000001-01`) or a bill (`INV-000321`, "
    "with its late fees of today when overdue). Writes a `payment.confirmed` event, pushed to "
    "SANDBOX_EVENTS_URL after the commit.",
    responses={
        404: {"description": "`unknown_reference`"},
        409: {"description": "`already_paid`"},
    },
)
async def confirm(
    body: PaymentRequest, runtime: AuthorisedRuntime, background: BackgroundTasks
) -> PaymentConfirmation:
    try:
        return await confirm_then_push(
            runtime, background, reference=body.reference, method=body.method
        )
    except UnknownReference as error:
        raise ApiError(
            status.HTTP_404_NOT_FOUND, "unknown_reference", "no installment or bill with it"
        ) from error
    except AlreadyPaid as error:
        raise ApiError(status.HTTP_409_CONFLICT, "already_paid", "it is paid") from error


@router.get("/events", summary="Payment events in id order, for replay")
async def events(
    runtime: AuthorisedRuntime,
    after: Annotated[int, Query(ge=0, le=10**12, description="The last number seen (EVT-…)")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EventList:
    async with runtime.sessions() as session:
        return EventList(events=await list_events(session, after=after, limit=limit))

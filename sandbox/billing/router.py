"""Bills: invoices, duplicates, co-payments, debts."""

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from sandbox import markets
from sandbox.auth import AuthorisedRuntime
from sandbox.billing.duplicate import AlreadyPaid, duplicate
from sandbox.billing.enums import InvoiceStatus
from sandbox.billing.schemas import CopaymentList, Debts, Duplicate, InvoiceList
from sandbox.billing.service import debts, list_copayments, list_invoices
from sandbox.collections.agreements import invoices_in_unpaid_agreements, member_agreements
from sandbox.collections.disputes import disputed_invoice_ids
from sandbox.collections.views import ViewContext, agreement_view
from sandbox.errors import ApiError
from sandbox.members.service import load_member

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/members", tags=["bills"])

_UNKNOWN_MEMBER: dict[int | str, dict[str, Any]] = {404: {"description": "`unknown_member`"}}


def _statuses(value: str | None) -> set[InvoiceStatus]:
    names = {name.strip() for name in (value or "").split(",") if name.strip()}
    try:
        return {InvoiceStatus(name) for name in names}
    except ValueError as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "invalid_filter",
            "status takes open, overdue and paid, separated by commas",
        ) from error


@router.get(
    "/{member_id}/invoices",
    summary="The member's bills, most recent due date first",
    responses={
        404: {"description": "`unknown_member`"},
        422: {"description": "`invalid_filter`: a status that is not open, overdue or paid"},
    },
)
async def invoices(
    member_id: str,
    runtime: AuthorisedRuntime,
    status_filter: Annotated[
        str | None,
        Query(
            alias="status",
            max_length=40,
            description="Comma-separated: open, overdue, paid. Empty or absent: all.",
            examples=["open,overdue"],
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 6,
) -> InvoiceList:
    statuses = _statuses(status_filter)
    async with runtime.sessions() as session:
        member = await load_member(session, member_id)
        today = markets.local_today(member.market, runtime.now())
        return InvoiceList(
            invoices=await list_invoices(
                session, member=member, statuses=statuses, limit=limit, today=today
            )
        )


@router.post(
    "/{member_id}/invoices/{invoice_id}/duplicate",
    summary="A duplicate bill (segunda via), with late fees when overdue",
    description="Brazil: boleto (digitable line and barcode) and PIX copy-and-paste code. Chile "
    "and Spain: a payment link. An overdue bill is reissued due a few days ahead with the late "
    "fees of sandbox/rules.yml.",
    responses={
        404: {"description": "`unknown_member` or `unknown_invoice`"},
        409: {"description": "`already_paid`"},
    },
)
async def duplicate_bill(
    member_id: str,
    invoice_id: Annotated[str, Path(max_length=40)],
    runtime: AuthorisedRuntime,
) -> Duplicate:
    async with runtime.sessions() as session:
        try:
            member = await load_member(session, member_id)
            today = markets.local_today(member.market, runtime.now())
            answer = await duplicate(
                session,
                member=member,
                invoice_id=invoice_id,
                billing=runtime.rules.billing,
                today=today,
            )
        except AlreadyPaid as error:
            raise ApiError(
                status.HTTP_409_CONFLICT, "already_paid", "the invoice is paid"
            ) from error
    logger.info("duplicate bill issued", extra={"invoice_id": answer.invoice.id})
    return answer


@router.get(
    "/{member_id}/copayments",
    summary="The member's co-payments, by kind of service only",
    description="Never names a procedure or a diagnosis: the kind of service, the provider, the "
    "date and the amount.",
    responses=_UNKNOWN_MEMBER,
)
async def copayments(
    member_id: str,
    runtime: AuthorisedRuntime,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> CopaymentList:
    async with runtime.sessions() as session:
        member = await load_member(session, member_id)
        return CopaymentList(copayments=await list_copayments(session, member=member, limit=limit))


@router.get(
    "/{member_id}/debts",
    summary="What the member owes: overdue bills with today's late fees, and agreements",
    description="The sums leave out bills under an open dispute (listed, `disputed: true`) and "
    "bills an unpaid agreement settles (the agreement is listed instead).",
    responses=_UNKNOWN_MEMBER,
)
async def member_debts(member_id: str, runtime: AuthorisedRuntime) -> Debts:
    async with runtime.sessions() as session:
        member = await load_member(session, member_id)
        context = ViewContext.of(member, runtime)
        unpaid = await member_agreements(session, member.id, unpaid_only=True)
        return await debts(
            session,
            member=member,
            billing=runtime.rules.billing,
            today=context.today,
            disputed=await disputed_invoice_ids(session, member.id),
            in_agreements=await invoices_in_unpaid_agreements(session, member.id),
            agreements=[agreement_view(agreement, context) for agreement in unpaid],
        )

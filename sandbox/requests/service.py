"""Members' requests: listing, finding one by the number the member quotes, and creating an
authorization (idempotently, by `Idempotency-Key`)."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import idempotency, markets
from sandbox.coverage.service import category_coverage
from sandbox.members.models import Member
from sandbox.members.service import load_member
from sandbox.requests.authorizations import decide
from sandbox.requests.enums import (
    Beneficiary,
    MissingDocument,
    RequestKind,
    RequestStatus,
    Urgency,
    next_step,
)
from sandbox.requests.models import IdempotencyKey, Request, RequestEvent
from sandbox.requests.notes import note
from sandbox.requests.numbers import next_authorization_number, next_request_number, number_key
from sandbox.requests.schemas import AuthorizationRequest, HistoryEntry, RequestView
from sandbox.rules import Rules
from sandbox.sql import Sessions, as_utc

# What a compact request number can look like; anything else is unknown without a query.
_NUMBER_KEY = re.compile(r"[A-Z]{3}\d{4,12}")


class UnknownRequest(LookupError):
    """No request with that number for this member."""


async def list_requests(
    session: AsyncSession, *, member_id: str, kind: str | None, limit: int
) -> tuple[Member, list[Request]]:
    """Most recent first. Raises UnknownMember."""
    member = await load_member(session, member_id)
    statement = select(Request).where(Request.member_id == member.id)
    if kind is not None:
        statement = statement.where(Request.kind == kind)
    statement = statement.order_by(Request.opened_at.desc(), Request.id.desc()).limit(limit)
    return member, list(await session.scalars(statement))


async def find_request(
    session: AsyncSession, *, member_id: str, number: str
) -> tuple[Member, Request]:
    """The member's request with that number (any case, with or without dashes). Another
    member's number is unknown too. Raises UnknownMember or UnknownRequest."""
    member = await load_member(session, member_id)
    key = number_key(number)
    request = None
    if _NUMBER_KEY.fullmatch(key):
        request = await session.scalar(
            select(Request).where(Request.member_id == member.id, Request.number_key == key)
        )
    if request is None:
        raise UnknownRequest(number)
    return member, request


@dataclass(frozen=True)
class CreatedAuthorization:
    member: Member
    request: Request
    # False when an earlier call with the same Idempotency-Key created it.
    created: bool


async def create_authorization(
    sessions: Sessions,
    *,
    rules: Rules,
    member_id: str,
    body: AuthorizationRequest,
    idempotency_key: str | None,
    now: datetime,
) -> CreatedAuthorization:
    """Classify, decide (authorizations.py) and store the request with its first history.

    Raises UnknownMember, or NotCovered (nothing stored). With an idempotency key seen for this
    member within 24 h, returns that request instead; two calls racing with the same key both
    get the one that committed first.
    """

    async def create() -> CreatedAuthorization:
        return await _create_once(
            sessions,
            rules=rules,
            member_id=member_id,
            body=body,
            idempotency_key=idempotency_key,
            now=now,
        )

    async def earlier() -> CreatedAuthorization | None:
        if idempotency_key is None:
            return None
        async with sessions() as session:
            member = await load_member(session, member_id)
            request = await _request_for_key(
                session, member_id=member.id, key=idempotency_key, now=now
            )
        return None if request is None else CreatedAuthorization(member, request, created=False)

    return await idempotency.once(create, earlier)


async def _create_once(
    sessions: Sessions,
    *,
    rules: Rules,
    member_id: str,
    body: AuthorizationRequest,
    idempotency_key: str | None,
    now: datetime,
) -> CreatedAuthorization:
    async with sessions() as session, session.begin():
        member = await load_member(session, member_id)
        if idempotency_key is not None:
            earlier = await _request_for_key(
                session, member_id=member.id, key=idempotency_key, now=now
            )
            if earlier is not None:
                return CreatedAuthorization(member=member, request=earlier, created=False)
            # A key older than the window starts afresh. Only an expired one: a fresh one a
            # racing call committed since our look must stay, for our insert to collide with.
            await session.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.member_id == member.id,
                    IdempotencyKey.key == idempotency_key,
                    idempotency.expired(IdempotencyKey.created_at, now),
                )
            )
        today = markets.local_today(member.market, now)
        classification = rules.classify(body.procedure)
        coverage = None
        if classification.recognised and not classification.excluded:
            coverage = await category_coverage(
                session, member=member, category=classification.category, today=today
            )
        decision = decide(
            rules=rules,
            classification=classification,
            coverage=coverage,
            urgency=body.urgency,
            market=member.market,
            today=today,
        )
        language = markets.info(member.market).language
        number = await next_request_number(session, kind=RequestKind.AUTHORIZATION, opened_on=today)
        approved = decision.status is RequestStatus.APPROVED
        # To the second: what a member reads needs no more.
        opened_at = as_utc(now).replace(microsecond=0)
        request = Request(
            number=number,
            number_key=number_key(number),
            member_id=member.id,
            kind=RequestKind.AUTHORIZATION,
            # The member's own words, first letter up: what they will recognise in a list.
            title=body.procedure[:1].upper() + body.procedure[1:],
            beneficiary=body.beneficiary,
            beneficiary_name=body.beneficiary_name,
            status=decision.status,
            urgency=body.urgency,
            opened_at=opened_at,
            promised_date=decision.promised_date,
            ans_category=decision.ans_category,
            ans_max_business_days=decision.ans_max_business_days,
            authorization_number=await next_authorization_number(session) if approved else None,
            amount_cents=None,
            currency=markets.info(member.market).currency,
            provider_name=body.provider_name,
            scheduled_for=body.scheduled_for,
            missing_documents=[],
            attachments=list(body.attachments),
            contact_protocol=body.contact_protocol,
            history=[
                RequestEvent(
                    status=RequestStatus.RECEIVED, at=opened_at, note=note("received", language)
                ),
                RequestEvent(
                    status=decision.status, at=opened_at, note=note(decision.note, language)
                ),
            ],
        )
        session.add(request)
        await session.flush()
        if idempotency_key is not None:
            session.add(
                IdempotencyKey(
                    member_id=member.id,
                    key=idempotency_key,
                    request_id=request.id,
                    created_at=opened_at,
                )
            )
            await session.flush()
    return CreatedAuthorization(member=member, request=request, created=True)


async def _request_for_key(
    session: AsyncSession, *, member_id: str, key: str, now: datetime
) -> Request | None:
    return await session.scalar(
        select(Request)
        .join(IdempotencyKey, IdempotencyKey.request_id == Request.id)
        .where(
            IdempotencyKey.member_id == member_id,
            IdempotencyKey.key == key,
            idempotency.fresh(IdempotencyKey.created_at, now),
        )
    )


def request_view(request: Request, member: Member) -> RequestView:
    """The contract's Request, moments on the member's clock."""
    return RequestView(
        number=request.number,
        kind=RequestKind(request.kind),
        title=request.title,
        beneficiary=Beneficiary(request.beneficiary),
        beneficiary_name=request.beneficiary_name,
        status=RequestStatus(request.status),
        urgency=Urgency(request.urgency) if request.urgency else None,
        opened_at=markets.local_moment(member.market, request.opened_at),
        promised_date=request.promised_date,
        ans_category=request.ans_category,
        ans_max_business_days=request.ans_max_business_days,
        authorization_number=request.authorization_number,
        amount_cents=request.amount_cents,
        currency=request.currency,
        provider_name=request.provider_name,
        scheduled_for=request.scheduled_for,
        next_step=next_step(request.kind, request.status),
        missing_documents=[MissingDocument(item) for item in request.missing_documents],
        history=[
            HistoryEntry(
                status=RequestStatus(event.status),
                at=markets.local_moment(member.market, event.at),
                note=event.note,
            )
            for event in request.history
        ],
    )

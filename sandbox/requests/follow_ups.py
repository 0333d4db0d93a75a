"""A member chasing a request: a history entry the member reads (status unchanged) and a
follow-up row the insurer's team works from. One per contact protocol (one per day without a
protocol), so a client may retry."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sandbox import markets
from sandbox.members.models import Member
from sandbox.requests.models import FollowUp, Request, RequestEvent
from sandbox.requests.notes import note
from sandbox.requests.service import find_request
from sandbox.sql import Sessions, as_utc


async def follow_up(
    sessions: Sessions,
    *,
    member_id: str,
    number: str,
    contact_protocol: str | None,
    reason: str,
    now: datetime,
) -> tuple[Member, Request]:
    """The request as it stands afterwards. Raises UnknownMember or UnknownRequest."""
    now = as_utc(now).replace(microsecond=0)
    try:
        async with sessions() as session, session.begin():
            member, request = await find_request(session, member_id=member_id, number=number)
            once_key = contact_protocol or f"day:{markets.local_today(member.market, now)}"
            done = await session.scalar(
                select(FollowUp.id).where(
                    FollowUp.request_id == request.id, FollowUp.once_key == once_key
                )
            )
            if done is None:
                language = markets.info(member.market).language
                text = (
                    note("follow_up", language, protocol=contact_protocol)
                    if contact_protocol
                    else note("follow_up_no_protocol", language)
                )
                session.add(
                    FollowUp(
                        request_id=request.id,
                        contact_protocol=contact_protocol,
                        once_key=once_key,
                        reason=reason,
                        at=now,
                    )
                )
                request.history.append(RequestEvent(status=request.status, at=now, note=text))
                await session.flush()
    except IntegrityError:
        pass  # the same follow-up, sent twice at once: the other one stands
    async with sessions() as session:
        return await find_request(session, member_id=member_id, number=number)

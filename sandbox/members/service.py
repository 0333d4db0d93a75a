"""Finding members: by id, and by what a person proves about themselves."""

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import documents, markets, phones
from sandbox.errors import UnknownMember
from sandbox.members.models import Member
from sandbox.members.schemas import MemberView, PlanView

# Ids have this shape; anything else is unknown without asking the database.
_MEMBER_ID = re.compile(r"M\d{4,7}")


async def load_member(session: AsyncSession, member_id: str) -> Member:
    """The member, or UnknownMember."""
    member = await session.get(Member, member_id) if _MEMBER_ID.fullmatch(member_id) else None
    if member is None:
        raise UnknownMember(member_id)
    return member


async def verify(
    session: AsyncSession, *, document: str, birth_date: date, phone: str | None
) -> Member | None:
    """The member whose document, birth date and (when given) phone all match; None otherwise,
    whichever did not match."""
    member = await session.scalar(
        select(Member).where(Member.document == documents.compact(document))
    )
    if member is None or member.birth_date != birth_date:
        return None
    if phone is not None and phones.e164(phone) != member.phone:
        return None
    return member


def member_view(member: Member) -> MemberView:
    plan = member.plan
    return MemberView(
        id=member.id,
        first_name=member.first_name,
        full_name=member.full_name,
        market=markets.Market(member.market),
        language=markets.info(member.market).language,
        document_type=documents.DocumentType(member.document_type),
        document_masked=documents.masked(member.document_type, member.document),
        birth_date=member.birth_date,
        phone_masked=phones.masked(member.phone),
        card_number=member.card_number,
        plan=PlanView.model_validate(plan, from_attributes=True),
    )

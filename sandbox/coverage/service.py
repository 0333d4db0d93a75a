"""What a member's plan covers: by search words (the coverage route) and by category (the
authorization rules)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.coverage.models import CoverageItem
from sandbox.coverage.schemas import CoverageMatch
from sandbox.markets import Language
from sandbox.members.models import Member
from sandbox.text import search_terms

MAX_MATCHES = 10


@dataclass(frozen=True)
class CategoryCoverage:
    covered: bool
    # The day the waiting period ends while one is running; None once it has ended (or never ran).
    waiting_period_ends: date | None


def _waiting_period_ends(member: Member, days: int, today: date) -> date | None:
    ends = member.plan_since + timedelta(days=days)
    return ends if ends > today else None


async def category_coverage(
    session: AsyncSession, *, member: Member, category: str, today: date
) -> CategoryCoverage:
    items = await session.scalars(
        select(CoverageItem).where(
            CoverageItem.plan_code == member.plan_code,
            CoverageItem.category == category,
            CoverageItem.covered.is_(True),
        )
    )
    waits = [item.waiting_period_days for item in items]
    if not waits:
        return CategoryCoverage(covered=False, waiting_period_ends=None)
    return CategoryCoverage(
        covered=True, waiting_period_ends=_waiting_period_ends(member, min(waits), today)
    )


async def search_coverage(
    session: AsyncSession, *, member: Member, query: str, today: date
) -> list[CoverageMatch]:
    """The plan's items whose names (either language, accents and case aside) have a word
    starting with each word of the query; empty when nothing does."""
    terms = search_terms(query)
    if not terms:
        return []
    statement = select(CoverageItem).where(CoverageItem.plan_code == member.plan_code)
    for term in terms:
        statement = statement.where(CoverageItem.search_text.contains(term, autoescape=True))
    items = await session.scalars(statement.order_by(CoverageItem.id).limit(MAX_MATCHES))
    language = markets.info(member.market).language
    copayment = member.plan.copayment
    return [
        CoverageMatch(
            name=item.name_pt if language is Language.PT else item.name_es,
            category=item.category,
            covered=item.covered,
            requires_authorization=item.requires_authorization,
            waiting_period_ends=(
                _waiting_period_ends(member, item.waiting_period_days, today)
                if item.covered
                else None
            ),
            copayment_percent=item.copayment_percent if copayment and item.covered else 0,
        )
        for item in items
    ]

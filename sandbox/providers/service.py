"""Searching the network: by market, words (name, kind, specialties; matched at the start of
words) and city, accents and case aside; within a member's plan network when a member is named."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox.coverage.enums import Tier
from sandbox.members.models import Member
from sandbox.providers.models import Provider
from sandbox.providers.schemas import ProviderKind, ProviderView
from sandbox.text import fold, search_terms


async def search_providers(
    session: AsyncSession,
    *,
    market: str | None,
    query: str | None,
    city: str | None,
    member: Member | None,
    limit: int,
) -> list[ProviderView]:
    statement = select(Provider)
    if market is not None:
        statement = statement.where(Provider.market == market)
    if member is not None:
        statement = statement.where(
            Provider.market == member.market,
            Provider.min_tier_rank <= Tier(member.plan.tier).rank,
        )
    terms = search_terms(query or "")
    if query and query.strip() and not terms:
        return []  # asked for something no name can contain (emoji, punctuation)
    for term in terms:
        statement = statement.where(Provider.search_text.contains(term, autoescape=True))
    if city and fold(city):
        statement = statement.where(Provider.city_key == fold(city))
    # Emergency rooms first: someone searching the network may be on the way to one.
    statement = statement.order_by(Provider.emergency.desc(), Provider.id).limit(limit)
    return [
        ProviderView(
            id=provider.id,
            name=provider.name,
            kind=ProviderKind(provider.kind),
            specialties=list(provider.specialties),
            city=provider.city,
            address=provider.address,
            phone=provider.phone,
            emergency=provider.emergency,
        )
        for provider in await session.scalars(statement)
    ]

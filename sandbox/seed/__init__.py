"""The demo data: the same plans, network and members every time, with requests, bills and
co-payments dated relative to the day it runs (`seed(session, today=...)`), so that "a
reimbursement promised 48 h ago, opened 5 days ago" stays true whenever it is loaded.

`python -m sandbox.seed` loads it by hand; the service loads it at start-up into an empty database.
"""

import logging
import random
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.coverage.enums import Tier
from sandbox.coverage.models import CoverageItem, Plan
from sandbox.members.models import Member
from sandbox.providers.models import Provider
from sandbox.rules import Rules, load_rules
from sandbox.seed import catalogue, network, people, stories
from sandbox.seed.writer import Writer
from sandbox.sql import Sessions
from sandbox.text import fold, searchable

logger = logging.getLogger(__name__)

# The stories' random choices; separate from the people's so either can change alone.
STORIES_SEED = 7_2026


async def seed(session: AsyncSession, *, today: date, rules: Rules | None = None) -> None:
    """Add the demo data in the caller's transaction. `today` is the day dates count from (the
    operator's, America/Sao_Paulo); the database must have no members yet."""
    rules = rules or load_rules()
    # Flushed in turn: rows that only name another by key (no relationship) need it stored first.
    plans = _plans(session)
    await session.flush()
    _coverage(session, plans)
    providers = _providers(session)
    await session.flush()
    writer = Writer(today=today)
    for person in [*people.NAMED, *people.generated_people()]:
        member = Member(
            id=person.id,
            first_name=person.first_name,
            full_name=person.full_name,
            market=person.market,
            document_type=person.document_type,
            document=person.document,
            birth_date=person.birth_date,
            phone=person.phone,
            card_number=person.card_number,
            plan_code=person.plan_code,
            plan_since=writer.day(person.plan_age_days),
            plan=plans[person.plan_code],
        )
        session.add(member)
        writer.members[member.id] = member
    await session.flush()
    stories.named_stories(writer, rules)
    # Reproducible on purpose: demo data, not secrets.
    rng = random.Random(STORIES_SEED)  # noqa: S311
    stories.generated_stories(writer, rules, rng, providers)
    await writer.store(session)


def _plans(session: AsyncSession) -> dict[str, Plan]:
    plans = {
        spec.code: Plan(
            code=spec.code,
            name=spec.name,
            tier=spec.tier,
            contract=spec.contract,
            copayment=spec.copayment,
        )
        for spec in catalogue.PLANS
    }
    session.add_all(plans.values())
    return plans


def _coverage(session: AsyncSession, plans: dict[str, Plan]) -> None:
    for spec in catalogue.PLANS:
        for item in catalogue.ITEMS:
            covered = catalogue.covers(item, spec.tier)
            session.add(
                CoverageItem(
                    plan_code=spec.code,
                    name_pt=item.name_pt,
                    name_es=item.name_es,
                    search_text=searchable(f"{item.name_pt} {item.name_es} {item.synonyms}"),
                    category=item.category,
                    covered=covered,
                    requires_authorization=item.requires_authorization,
                    waiting_period_days=catalogue.waiting_days(item, spec.contract)
                    if covered
                    else 0,
                    copayment_percent=item.copayment_percent if spec.copayment and covered else 0,
                )
            )


def _providers(session: AsyncSession) -> dict[str, list[str]]:
    """Add the network; return, by market, the names the stories may show (no specialty in them)."""
    names: dict[str, list[str]] = {market.value: [] for market in markets.Market}
    for number, spec in enumerate(network.PROVIDERS, start=1):
        words = " ".join([spec.name, network.KIND_WORDS[spec.kind], *spec.specialties])
        session.add(
            Provider(
                id=f"P{number:04d}",
                market=spec.market,
                name=spec.name,
                kind=spec.kind,
                specialties=list(spec.specialties),
                city=spec.city,
                city_key=fold(spec.city),
                search_text=searchable(words),
                address=spec.address,
                phone=spec.phone,
                emergency=spec.emergency,
                min_tier_rank=Tier(spec.tier).rank,
            )
        )
        if not spec.names_a_specialty:
            names[spec.market].append(spec.name)
    return names


async def seed_if_empty(sessions: Sessions, *, now: datetime, rules: Rules) -> bool:
    """Seed when there are no members; False when there were (or another process seeded first)."""
    async with sessions() as session:
        if await session.scalar(select(func.count()).select_from(Member)):
            return False
    today = now.astimezone(markets.info(markets.Market.BR).zone).date()
    try:
        async with sessions() as session, session.begin():
            await seed(session, today=today, rules=rules)
    except IntegrityError:
        # Two copies started on the same empty database; the other one's data stands.
        logger.info("demo data already loaded by another process")
        return False
    logger.info("demo data loaded", extra={"today": today.isoformat()})
    return True

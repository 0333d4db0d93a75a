"""The network: GET /v1/providers."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from sandbox.auth import AuthorisedRuntime
from sandbox.markets import Market
from sandbox.members.service import load_member
from sandbox.providers.schemas import ProviderList
from sandbox.providers.service import search_providers
from sandbox.text import CleanText, blank_to_none

router = APIRouter(prefix="/v1/providers", tags=["coverage and network"])


@router.get(
    "",
    summary="Search the provider network",
    description="Words are looked for in the name, kind and specialties; the city is compared "
    "whole. Accents and case do not matter. With `member_id`, only the member's plan network "
    "(in the member's market).",
    responses={404: {"description": "`unknown_member`"}},
)
async def providers(
    runtime: AuthorisedRuntime,
    market: Annotated[Market | None, BeforeValidator(blank_to_none), Query()] = None,
    q: Annotated[CleanText | None, Query(max_length=100, examples=["cardiologia"])] = None,
    city: Annotated[CleanText | None, Query(max_length=60, examples=["São Paulo"])] = None,
    member_id: Annotated[str | None, Query(max_length=16)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> ProviderList:
    async with runtime.sessions() as session:
        member = None
        if member_id is not None:
            member = await load_member(session, member_id)
        return ProviderList(
            providers=await search_providers(
                session, market=market, query=q, city=city, member=member, limit=limit
            )
        )

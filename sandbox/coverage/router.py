"""Coverage: GET /v1/members/{member_id}/coverage?q=..."""

from typing import Annotated

from fastapi import APIRouter, Query

from sandbox import markets
from sandbox.auth import AuthorisedRuntime
from sandbox.coverage.schemas import CoverageMatches
from sandbox.coverage.service import search_coverage
from sandbox.members.service import load_member
from sandbox.text import CleanText

router = APIRouter(prefix="/v1/members", tags=["coverage and network"])


@router.get(
    "/{member_id}/coverage",
    summary="Whether the member's plan covers a procedure, and on what terms",
    responses={404: {"description": "`unknown_member`"}},
)
async def coverage(
    member_id: str,
    q: Annotated[CleanText, Query(min_length=1, max_length=100, examples=["ressonancia"])],
    runtime: AuthorisedRuntime,
) -> CoverageMatches:
    async with runtime.sessions() as session:
        member = await load_member(session, member_id)
        today = markets.local_today(member.market, runtime.now())
        return CoverageMatches(
            matches=await search_coverage(session, member=member, query=q, today=today)
        )

"""Coverage (docs/insurer-api.md, "Coverage and network")."""

from datetime import date

from pydantic import BaseModel, Field


class CoverageMatch(BaseModel):
    name: str = Field(examples=["Ressonância magnética"])
    category: str = Field(examples=["high_complexity"])
    covered: bool
    requires_authorization: bool
    waiting_period_ends: date | None = Field(
        description="When a waiting period still runs, the day it ends; null otherwise."
    )
    copayment_percent: int = Field(examples=[30])


class CoverageMatches(BaseModel):
    matches: list[CoverageMatch]

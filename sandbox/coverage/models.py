"""Plans and what each covers."""

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base


class Plan(Base):
    __tablename__ = "sandbox_plans"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)  # e.g. OURO-IND
    name: Mapped[str] = mapped_column(String(60))
    tier: Mapped[str] = mapped_column(String(8))  # enums.Tier
    contract: Mapped[str] = mapped_column(String(12))  # enums.Contract
    # Whether members pay part of each service (coparticipação / copago).
    copayment: Mapped[bool] = mapped_column(Boolean)


class CoverageItem(Base):
    """One kind of procedure under one plan: covered or not, with its conditions."""

    __tablename__ = "sandbox_coverage_items"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("sandbox_plans.code"), index=True)
    name_pt: Mapped[str] = mapped_column(String(80))
    name_es: Mapped[str] = mapped_column(String(80))
    # Both names and their synonyms, folded (text.fold): what a search compares.
    search_text: Mapped[str] = mapped_column(String(400))
    # A rules.yml category or exclusion.
    category: Mapped[str] = mapped_column(String(32))
    covered: Mapped[bool] = mapped_column(Boolean)
    requires_authorization: Mapped[bool] = mapped_column(Boolean)
    # Counted from the member's plan start (carência / carencia).
    waiting_period_days: Mapped[int] = mapped_column(Integer, default=0)
    copayment_percent: Mapped[int] = mapped_column(Integer, default=0)

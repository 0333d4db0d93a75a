"""Members: who they are, how they prove it, and their plan."""

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db import Base
from sandbox.coverage.models import Plan


class Member(Base):
    __tablename__ = "sandbox_members"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # M0001
    first_name: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(120))
    market: Mapped[str] = mapped_column(String(2))  # markets.Market
    document_type: Mapped[str] = mapped_column(String(4))  # documents.DocumentType
    # Compact (documents.compact): what verification compares.
    document: Mapped[str] = mapped_column(String(16), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20))  # E.164
    card_number: Mapped[str] = mapped_column(String(20), unique=True)
    plan_code: Mapped[str] = mapped_column(ForeignKey("sandbox_plans.code"))
    # When the plan started: waiting periods count from here.
    plan_since: Mapped[date] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(lazy="joined")

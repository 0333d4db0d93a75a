"""The network: hospitals, clinics, labs and doctors, by market and city."""

from typing import Any

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from sandbox.sql import JSONDocument


class Provider(Base):
    __tablename__ = "sandbox_providers"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # P0001
    market: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8))  # hospital|clinic|lab|doctor
    specialties: Mapped[list[Any]] = mapped_column(JSONDocument, default=list)
    city: Mapped[str] = mapped_column(String(60))
    # Folded (text.fold): what searches compare.
    city_key: Mapped[str] = mapped_column(String(60))
    search_text: Mapped[str] = mapped_column(String(600))
    address: Mapped[str] = mapped_column(String(160))
    phone: Mapped[str] = mapped_column(String(20))
    emergency: Mapped[bool] = mapped_column(Boolean)
    # The lowest plan tier whose network has it (coverage.enums.Tier.rank).
    min_tier_rank: Mapped[int] = mapped_column(Integer)

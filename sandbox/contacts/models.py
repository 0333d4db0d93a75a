"""Service contacts, each with the protocol number the member can quote."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base


class Contact(Base):
    __tablename__ = "sandbox_contacts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    protocol: Mapped[str] = mapped_column(String(24), unique=True)
    # None: someone not (yet) identified, e.g. on the web chat.
    member_id: Mapped[str | None] = mapped_column(ForeignKey("sandbox_members.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

"""The people who take conversations over from the bot, and what each of them may do.

Shared by the queue (skills, capacity, who is online) and the console (login, role).
"""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base


class Skill(StrEnum):
    """What a handoff needs and an agent can do (DOMAIN.md's escalation matrix)."""

    FRONT_LINE = "front_line"
    TECHNICAL = "technical"
    CLINICAL = "clinical"
    COLLECTIONS = "collections"
    SUPERVISOR = "supervisor"


class Role(StrEnum):
    AGENT = "agent"  # works the conversations of their skills
    SUPERVISOR = "supervisor"  # also sees every queue, transfers anything, handles low CSAT
    ADMIN = "admin"  # also manages agents


def utc_now() -> datetime:
    return datetime.now(UTC)


class Agent(Base):
    __tablename__ = "handoff_agents"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # What the agent types to log in (an e-mail address, lower case).
    login: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default=Role.AGENT)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    # How many conversations the agent holds at once; auto-assignment never goes beyond it.
    capacity: Mapped[int] = mapped_column(Integer, default=3)
    # argon2id hash (handoff/console); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    # The TOTP secret, encrypted with the service's key; None until the agent enrols a device.
    totp_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

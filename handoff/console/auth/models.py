"""The console's security tables: login sessions and the TOTP codes already used."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from handoff.agents.models import utc_now


class Stage(StrEnum):
    """How far a session got through the two-step login."""

    # First factor done: may only verify a TOTP code, or enrol an authenticator.
    PASSWORD = "password"  # noqa: S105
    FULL = "full"  # both factors: the console is open


class ConsoleSession(Base):
    __tablename__ = "handoff_console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # sha256 of the cookie's token: a copy of this table does not let anyone log in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agent_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_agents.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # The absolute end, however active the session is.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # During TOTP enrolment: the new secret, encrypted, until a first code confirms it.
    pending_totp_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)


class UsedTotpStep(Base):
    """A time step whose code an agent has used: it is never accepted again (replay)."""

    __tablename__ = "handoff_console_totp_steps"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_agents.id", ondelete="CASCADE"), primary_key=True
    )
    time_step: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

"""What the console's security needs at run time, built once from the settings and kept on the app.

The dependencies find it at `app.state.console_auth`, next to `app.state.sessions` and
`app.state.redis` that common/app.py's lifespan opens.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from handoff.console.auth.login_limits import LoginLimiter
from handoff.console.auth.passwords import Passwords
from handoff.console.auth.sessions import SessionPolicy
from handoff.console.auth.settings import ConsoleAuthSettings, check_settings
from handoff.console.auth.totp import TotpSecrets

Clock = Callable[[], datetime]

# The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and Path=/,
# so a sibling subdomain cannot plant or overwrite it. Plain-HTTP dev mode cannot use it.
SECURE_COOKIE_NAME = "__Host-acolhe-console"
DEV_COOKIE_NAME = "acolhe-console"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ConsoleAuth:
    settings: ConsoleAuthSettings
    passwords: Passwords
    totp_secrets: TotpSecrets
    policy: SessionPolicy
    clock: Clock

    @classmethod
    def create(cls, settings: ConsoleAuthSettings, *, clock: Clock = utc_now) -> "ConsoleAuth":
        """Check the settings (refusing default secrets) and build what the routes share."""
        check_settings(settings)
        return cls(
            settings=settings,
            passwords=Passwords.from_settings(settings),
            totp_secrets=TotpSecrets(settings.totp_key()),
            policy=SessionPolicy(
                idle=timedelta(minutes=settings.session_idle_minutes),
                lifetime=timedelta(hours=settings.session_lifetime_hours),
                second_factor=timedelta(minutes=settings.second_factor_minutes),
            ),
            clock=clock,
        )

    @property
    def cookie_name(self) -> str:
        return SECURE_COOKIE_NAME if self.settings.secure_cookies else DEV_COOKIE_NAME

    def now(self) -> datetime:
        return self.clock()

    def limiter(self, redis: Redis) -> LoginLimiter:
        return LoginLimiter(
            redis,
            max_per_login=self.settings.max_failures_per_login,
            max_per_ip=self.settings.max_failures_per_ip,
            window_seconds=self.settings.failure_window_seconds,
        )


@dataclass(frozen=True)
class AuthServices:
    """One request's view of the console's security: its settings, SQL and the login limits."""

    auth: ConsoleAuth
    sessions: async_sessionmaker[AsyncSession]
    limiter: LoginLimiter


def attach_console_auth(app: FastAPI, auth: ConsoleAuth) -> None:
    app.state.console_auth = auth


def auth_services(connection: HTTPConnection) -> AuthServices:
    state = connection.app.state
    auth = getattr(state, "console_auth", None)
    if auth is None:
        raise RuntimeError("console auth is not installed: call install_console_auth(app, ...)")
    return AuthServices(auth=auth, sessions=state.sessions, limiter=auth.limiter(state.redis))


def client_ip(connection: HTTPConnection) -> str:
    """The peer's address. Behind a proxy, run uvicorn with --proxy-headers and
    --forwarded-allow-ips so that this is the agent's address, not the proxy's."""
    return connection.client.host if connection.client else "unknown"

"""The console's security settings, read from CONSOLE_* environment variables (see .env.example).

Secrets come only from the environment. `check_settings` refuses to start on a missing or
well-known key unless CONSOLE_DEV_MODE says this is a developer's machine.
"""

import logging

from argon2 import profiles
from cryptography.fernet import Fernet
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger(__name__)

# Published in this file, hence never a secret: only ever accepted in dev mode.
DEV_TOTP_ENCRYPTION_KEY = "ZGV2LW9ubHktYWNvbGhlLWNvbnNvbGUtdG90cC1rZXk="

_ARGON2 = profiles.RFC_9106_LOW_MEMORY


class InsecureConsoleSettings(RuntimeError):
    """The console would run with a default or missing secret outside dev mode."""


class ConsoleAuthSettings(BaseSettings):
    # Empty values (as copied from .env.example) mean "the default".
    model_config = SettingsConfigDict(
        env_prefix="CONSOLE_", env_file=".env", extra="ignore", env_ignore_empty=True
    )

    # A developer's machine: allows the published TOTP key and plain-HTTP cookies.
    dev_mode: bool = False
    # Fernet key (Fernet.generate_key()) the agents' TOTP secrets are encrypted with. Changing it
    # makes every enrolled device unusable: agents then enrol again (python -m handoff.agents
    # reset-totp).
    totp_encryption_key: SecretStr = SecretStr("")
    # The console's own origin (scheme://host[:port]); state-changing requests must come from it.
    origin: str = "http://127.0.0.1:8001"
    # Secure cookies (HTTPS only). Unset: on, except in dev mode.
    cookie_secure: bool | None = None

    session_idle_minutes: int = 30
    session_lifetime_hours: int = 12
    # How long a password-only session has to complete the second factor (or enrol one).
    second_factor_minutes: int = 5

    # Failed attempts (password or TOTP) before attempts are refused for the rest of the window.
    max_failures_per_login: int = 5
    max_failures_per_ip: int = 20
    failure_window_seconds: int = 15 * 60

    min_password_length: int = 12
    # argon2id cost; changing it rehashes each agent's password at their next login.
    argon2_time_cost: int = _ARGON2.time_cost
    argon2_memory_kib: int = _ARGON2.memory_cost
    argon2_parallelism: int = _ARGON2.parallelism

    @property
    def secure_cookies(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else not self.dev_mode

    def totp_key(self) -> str:
        """The key to use, after `check_settings` accepted it."""
        return self.totp_encryption_key.get_secret_value() or DEV_TOTP_ENCRYPTION_KEY


def check_settings(settings: ConsoleAuthSettings) -> None:
    """Refuse to run with a default or broken secret; warn about weakened settings."""
    key = settings.totp_encryption_key.get_secret_value()
    if not settings.dev_mode:
        if not key:
            raise InsecureConsoleSettings(
                "CONSOLE_TOTP_ENCRYPTION_KEY is not set (a Fernet key: "
                "python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'); set CONSOLE_DEV_MODE=true on a "
                "developer's machine to use the published development key"
            )
        if key == DEV_TOTP_ENCRYPTION_KEY:
            raise InsecureConsoleSettings(
                "CONSOLE_TOTP_ENCRYPTION_KEY is the published development key; make one of your own"
            )
        if not settings.secure_cookies:
            logger.warning("console session cookies are not Secure: serve the console over HTTPS")
    elif not key:
        logger.warning("console uses the published development TOTP key (CONSOLE_DEV_MODE)")
    try:
        Fernet(settings.totp_key().encode())
    except ValueError as error:
        raise InsecureConsoleSettings(
            "CONSOLE_TOTP_ENCRYPTION_KEY is not a Fernet key (32 bytes, URL-safe base64)"
        ) from error
    if not settings.origin.startswith(("https://", "http://")) or settings.origin.endswith("/"):
        raise InsecureConsoleSettings(
            f"CONSOLE_ORIGIN must read scheme://host[:port], got {settings.origin!r}"
        )

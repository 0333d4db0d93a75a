"""The sandbox's settings, read from the environment (see the "insurer sandbox" section of
.env.example).

The API key comes only from the environment. `check_settings` refuses to start without
SANDBOX_API_KEY unless SANDBOX_DEV_MODE says this is a developer's machine, as the handoff service
refuses to run without its token.
"""

import logging
import re
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.ans_protocol import DEMO_ANS_REGISTRATION, is_ans_registration
from common.settings import ServiceSettings
from sandbox.rules import RULES_FILE

logger = logging.getLogger(__name__)

# Published in this file, hence never a secret: only ever accepted in dev mode.
DEV_SANDBOX_API_KEY = "acolhe-development-sandbox-api-key"
MIN_KEY_LENGTH = 24
_HTTP_URL = re.compile(r"https?://[^\s/?#]+[^\s?#]*")


class SandboxSettingsRefused(RuntimeError):
    """The sandbox would run without an API key (or with the published one outside dev mode), or
    with a setting it cannot use."""


class SandboxSettings(ServiceSettings):
    # Empty values (as copied from .env.example) mean "the default". Fields read from a
    # variable of another name (SANDBOX_DATABASE_URL) may be given by field name in code too.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", env_ignore_empty=True, populate_by_name=True
    )

    database_url: str = Field(
        default="sqlite:///var/sandbox.db", validation_alias="SANDBOX_DATABASE_URL"
    )
    # A developer's machine: allows running without a key (the published development key).
    sandbox_dev_mode: bool = False
    # What callers (the action server's INSURER_API_KEY) send as `X-API-Key` on /v1 routes.
    sandbox_api_key: SecretStr = SecretStr("")
    # The operator's 6-digit ANS registration, the start of every protocol number. "000000" is
    # no real operator: the sandbox stands for a made-up insurer. The handoff service reads the
    # same variable, so both give protocols of the same operator.
    ans_registration: str = DEMO_ANS_REGISTRATION
    # Load the demo data at start-up when the database has no members (python -m sandbox.seed
    # does it by hand).
    sandbox_seed_when_empty: bool = True
    # Largest request body read; the biggest contract body is an authorization request.
    sandbox_max_body_bytes: int = 64 * 1024
    # Product-tuned YAML, validated at start-up: a mistake stops the start.
    sandbox_rules_file: Path = RULES_FILE
    # Where members' browsers (and Twilio, fetching a PIX QR image) reach the public checkout
    # pages: the base of payment links and QR URLs.
    sandbox_public_url: str = "http://127.0.0.1:8002"
    # Where confirmed payments are pushed (the gateway's POST /webhooks/insurer); empty: not
    # pushed, only kept for GET /v1/events.
    sandbox_events_url: str = ""
    # Signs each push (X-Acolhe-Signature); the gateway checks it with the same value.
    insurer_events_secret: SecretStr = SecretStr("")

    def public_url(self) -> str:
        return self.sandbox_public_url.rstrip("/")

    def pushes_events(self) -> bool:
        """Whether confirmed payments are pushed: a URL and a secret to sign with."""
        return bool(self.sandbox_events_url and self.insurer_events_secret.get_secret_value())

    def api_key(self) -> str:
        """The key /v1 routes require, after `check_settings` accepted the settings."""
        return self.sandbox_api_key.get_secret_value() or DEV_SANDBOX_API_KEY


def check_settings(settings: SandboxSettings) -> None:
    """Refuse to run without an API key of its own; warn about the dev shortcut."""
    key = settings.sandbox_api_key.get_secret_value()
    if not settings.sandbox_dev_mode:
        if not key:
            raise SandboxSettingsRefused(
                "SANDBOX_API_KEY is not set (python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'; the action server sends the same value as "
                "INSURER_API_KEY); set SANDBOX_DEV_MODE=true on a developer's machine to use the "
                "published key"
            )
        if key == DEV_SANDBOX_API_KEY:
            raise SandboxSettingsRefused(
                "SANDBOX_API_KEY is the published development key; make one of your own"
            )
        if len(key) < MIN_KEY_LENGTH:
            raise SandboxSettingsRefused(
                f"SANDBOX_API_KEY is shorter than {MIN_KEY_LENGTH} characters"
            )
    elif not key:
        logger.warning("the API accepts the published development key (SANDBOX_DEV_MODE)")
    if not is_ans_registration(settings.ans_registration):
        raise SandboxSettingsRefused("ANS_REGISTRATION must be the operator's 6 digits")
    if settings.sandbox_max_body_bytes < 1024:
        raise SandboxSettingsRefused("SANDBOX_MAX_BODY_BYTES must be at least 1024")
    for name, url in (
        ("SANDBOX_PUBLIC_URL", settings.sandbox_public_url),
        ("SANDBOX_EVENTS_URL", settings.sandbox_events_url or "http://unset"),
    ):
        if not _HTTP_URL.fullmatch(url):
            raise SandboxSettingsRefused(f"{name} must be an http(s) URL without spaces")
    if settings.sandbox_events_url and not settings.insurer_events_secret.get_secret_value():
        if not settings.sandbox_dev_mode:
            raise SandboxSettingsRefused(
                "SANDBOX_EVENTS_URL is set without INSURER_EVENTS_SECRET to sign the events "
                "(the gateway checks them with the same value)"
            )
        # Unsigned events would be refused by the gateway anyway: keep them for the feed.
        logger.warning("payment events are not pushed: INSURER_EVENTS_SECRET is not set")

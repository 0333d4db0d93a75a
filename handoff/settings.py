"""The handoff service's settings, read from the environment (see the "handoff service" section of
.env.example). The console's security settings are separate: CONSOLE_* (console/auth/settings.py).

Secrets come only from the environment. `check_settings` refuses to start without
HANDOFF_API_TOKEN or GATEWAY_API_TOKEN unless HANDOFF_DEV_MODE says this is a developer's machine,
as the console refuses its published TOTP key.
"""

import logging
import re
from pathlib import Path

from pydantic import SecretStr

from common.ans_protocol import DEMO_ANS_REGISTRATION, is_ans_registration
from common.settings import ServiceSettings
from handoff.queue.hours import HOURS_FILE
from handoff.sla.policy import SLA_FILE

logger = logging.getLogger(__name__)

CANNED_FILE = Path(__file__).resolve().parent / "console" / "canned.yml"
# Published in this file, hence never a secret: only ever accepted in dev mode.
DEV_HANDOFF_API_TOKEN = "acolhe-development-handoff-api-token"  # noqa: S105
MIN_TOKEN_LENGTH = 24


class HandoffSettingsRefused(RuntimeError):
    """The service would run without a token (or with the published one outside dev mode), or
    with a setting it cannot use."""


class HandoffSettings(ServiceSettings):
    # A developer's machine: allows running without tokens (the published development token).
    handoff_dev_mode: bool = False
    # What the gateway sends as `Authorization: Bearer ...` on the internal API (/api/...).
    handoff_api_token: SecretStr = SecretStr("")
    # The gateway's API: agents' replies, transcripts, giving the conversation back to the bot.
    gateway_url: str = "http://127.0.0.1:8000"
    gateway_api_token: SecretStr = SecretStr("")
    gateway_timeout_seconds: float = 10.0
    # How many of the conversation's latest messages the console shows.
    handoff_transcript_limit: int = 200
    # The operator's 6-digit ANS registration, the start of every protocol number.
    ans_registration: str = DEMO_ANS_REGISTRATION
    # The periodic pass (background.py): SLA evaluation, auto-assignment, Redis queue repair and
    # retries of the gateway's end-of-handoff call. Every copy of the service runs one.
    handoff_background_interval_seconds: float = 5.0
    # How long an unanswered end-of-handoff call is retried before it is given up (the member's
    # conversation has long moved on by then).
    handoff_handback_retry_hours: int = 48
    # Console websockets re-check their login session this often and close when it ended.
    handoff_ws_session_check_seconds: float = 60.0
    # A satisfaction score at or under this opens a follow-up task for supervisors.
    handoff_low_csat_score: int = 2
    # Largest request body the service reads (the bot's summary is the biggest).
    handoff_max_body_bytes: int = 256 * 1024
    # Product-tuned YAML, validated at start-up: a mistake stops the start.
    handoff_sla_file: Path = SLA_FILE
    handoff_hours_file: Path = HOURS_FILE
    handoff_canned_file: Path = CANNED_FILE

    def api_token(self) -> str:
        """The internal API's token, after `check_settings` accepted the settings."""
        return self.handoff_api_token.get_secret_value() or DEV_HANDOFF_API_TOKEN


def check_settings(settings: HandoffSettings) -> None:
    """Refuse to run without the service-to-service tokens; warn about dev shortcuts."""
    api_token = settings.handoff_api_token.get_secret_value()
    gateway_token = settings.gateway_api_token.get_secret_value()
    if not settings.handoff_dev_mode:
        if not api_token:
            raise HandoffSettingsRefused(
                "HANDOFF_API_TOKEN is not set (python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'; the gateway sends the same value); set "
                "HANDOFF_DEV_MODE=true on a developer's machine to use the published token"
            )
        if api_token == DEV_HANDOFF_API_TOKEN:
            raise HandoffSettingsRefused(
                "HANDOFF_API_TOKEN is the published development token; make one of your own"
            )
        if len(api_token) < MIN_TOKEN_LENGTH:
            raise HandoffSettingsRefused(
                f"HANDOFF_API_TOKEN is shorter than {MIN_TOKEN_LENGTH} characters"
            )
        if not gateway_token:
            raise HandoffSettingsRefused(
                "GATEWAY_API_TOKEN is not set: agents could not reply to members (use the value "
                "the gateway has)"
            )
    else:
        if not api_token:
            logger.warning("internal API uses the published development token (HANDOFF_DEV_MODE)")
        if not gateway_token:
            logger.warning("GATEWAY_API_TOKEN is not set: calls to the gateway will be refused")
    if not re.fullmatch(r"https?://[^/\s]+(/[^\s]*)?", settings.gateway_url):
        raise HandoffSettingsRefused(
            f"GATEWAY_URL must read scheme://host[:port], got {settings.gateway_url!r}"
        )
    if not is_ans_registration(settings.ans_registration):
        raise HandoffSettingsRefused("ANS_REGISTRATION must be the operator's 6 digits")
    if settings.handoff_background_interval_seconds <= 0:
        raise HandoffSettingsRefused("HANDOFF_BACKGROUND_INTERVAL_SECONDS must be positive")

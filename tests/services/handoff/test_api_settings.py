"""The service refuses to start without its tokens, as the console refuses default secrets, and
on a malformed YAML file; in dev mode it runs on the published development token."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from handoff.console.auth.settings import ConsoleAuthSettings
from handoff.main import create_app
from handoff.settings import DEV_HANDOFF_API_TOKEN, HandoffSettings, HandoffSettingsRefused

GOOD_TOKEN = "a-long-enough-token-for-the-internal-api"


def settings(**values: object) -> HandoffSettings:
    return HandoffSettings(_env_file=None, **values)  # type: ignore[arg-type]


def console() -> ConsoleAuthSettings:
    return ConsoleAuthSettings(
        _env_file=None,  # type: ignore[call-arg]
        totp_encryption_key=Fernet.generate_key().decode(),
        argon2_time_cost=1,
        argon2_memory_kib=8 * 1024,
        argon2_parallelism=1,
    )


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({}, "HANDOFF_API_TOKEN is not set"),
        ({"handoff_api_token": DEV_HANDOFF_API_TOKEN}, "published development token"),
        ({"handoff_api_token": "short"}, "shorter than"),
        ({"handoff_api_token": GOOD_TOKEN}, "GATEWAY_API_TOKEN is not set"),
        (
            {"handoff_api_token": GOOD_TOKEN, "gateway_api_token": "x", "gateway_url": "gw:8000"},
            "GATEWAY_URL",
        ),
        (
            {"handoff_api_token": GOOD_TOKEN, "gateway_api_token": "x", "ans_registration": "12"},
            "ANS_REGISTRATION",
        ),
    ],
)
def test_the_service_refuses_to_start_without_its_tokens(
    values: dict[str, object], named: str
) -> None:
    with pytest.raises(HandoffSettingsRefused, match=named):
        create_app(settings(**values), auth_settings=console())


def test_dev_mode_runs_on_the_published_token() -> None:
    dev = settings(handoff_dev_mode=True)

    create_app(dev, auth_settings=console())

    assert dev.api_token() == DEV_HANDOFF_API_TOKEN
    assert settings(handoff_api_token=GOOD_TOKEN).api_token() == GOOD_TOKEN


def test_a_malformed_canned_file_stops_the_start(tmp_path: Path) -> None:
    broken = tmp_path / "canned.yml"
    broken.write_text(
        "responses:\n  hello:\n    title: {pt: Oi}\n    pt: 'Oi {nome.x}'\n    es: Hola\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError):
        create_app(
            settings(handoff_dev_mode=True, handoff_canned_file=broken), auth_settings=console()
        )

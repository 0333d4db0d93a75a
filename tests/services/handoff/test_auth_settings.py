"""The console refuses to run on a default or missing secret unless in dev mode."""

import pytest
from cryptography.fernet import Fernet

from handoff.console.auth.runtime import ConsoleAuth
from handoff.console.auth.settings import (
    DEV_TOTP_ENCRYPTION_KEY,
    ConsoleAuthSettings,
    InsecureConsoleSettings,
)


def settings(**values: object) -> ConsoleAuthSettings:
    return ConsoleAuthSettings(_env_file=None, **values)  # type: ignore[arg-type]


def test_no_key_is_refused_outside_dev_mode() -> None:
    with pytest.raises(InsecureConsoleSettings, match="CONSOLE_TOTP_ENCRYPTION_KEY is not set"):
        ConsoleAuth.create(settings())


def test_the_published_dev_key_is_refused_outside_dev_mode() -> None:
    with pytest.raises(InsecureConsoleSettings, match="published development key"):
        ConsoleAuth.create(settings(totp_encryption_key=DEV_TOTP_ENCRYPTION_KEY))


def test_a_key_that_is_not_a_fernet_key_is_refused() -> None:
    with pytest.raises(InsecureConsoleSettings, match="not a Fernet key"):
        ConsoleAuth.create(settings(totp_encryption_key="changeme"))


def test_a_malformed_origin_is_refused() -> None:
    key = Fernet.generate_key().decode()
    with pytest.raises(InsecureConsoleSettings, match="CONSOLE_ORIGIN"):
        ConsoleAuth.create(settings(totp_encryption_key=key, origin="https://console.test/"))


def test_dev_mode_runs_on_the_dev_key_with_plain_http_cookies() -> None:
    auth = ConsoleAuth.create(settings(dev_mode=True))
    assert auth.settings.totp_key() == DEV_TOTP_ENCRYPTION_KEY
    assert not auth.settings.secure_cookies
    assert auth.cookie_name == "acolhe-console"


def test_production_cookies_are_secure_and_host_only() -> None:
    auth = ConsoleAuth.create(settings(totp_encryption_key=Fernet.generate_key().decode()))
    assert auth.settings.secure_cookies
    assert auth.cookie_name == "__Host-acolhe-console"


def test_settings_come_from_console_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("CONSOLE_TOTP_ENCRYPTION_KEY", key)
    monkeypatch.setenv("CONSOLE_SESSION_IDLE_MINUTES", "10")
    monkeypatch.setenv("CONSOLE_ORIGIN", "https://console.example.com")
    read = ConsoleAuthSettings(_env_file=None)  # type: ignore[call-arg]
    assert read.totp_encryption_key.get_secret_value() == key
    assert read.session_idle_minutes == 10
    assert read.origin == "https://console.example.com"
    assert key not in repr(read)

"""Password hashing and TOTP codes on their own, without HTTP or SQL."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from argon2 import PasswordHasher
from cryptography.fernet import Fernet

from handoff.console.auth import totp
from handoff.console.auth.passwords import MAX_PASSWORD_LENGTH, Passwords, WeakPassword

NOW = datetime(2025, 3, 10, 12, 0, 0, tzinfo=UTC)


def cheap(time_cost: int = 1) -> Passwords:
    return Passwords(
        PasswordHasher(time_cost=time_cost, memory_cost=8 * 1024, parallelism=1), min_length=12
    )


def test_a_password_is_stored_as_an_argon2id_hash_and_verifies() -> None:
    passwords = cheap()
    stored = passwords.hash("a long enough password")
    assert stored.startswith("$argon2id$")
    assert "a long enough password" not in stored
    assert passwords.verify(stored, "a long enough password").ok
    assert passwords.verify(stored, "a long enough password").new_hash is None


def test_a_wrong_password_is_refused() -> None:
    passwords = cheap()
    stored = passwords.hash("a long enough password")
    assert not passwords.verify(stored, "a long enough passwore").ok
    assert not passwords.verify(stored, "").ok
    assert not passwords.verify(stored, "x" * (MAX_PASSWORD_LENGTH + 1)).ok


def test_an_unknown_login_is_checked_against_a_dummy_hash_and_fails() -> None:
    checked: list[str] = []

    class WatchedHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(hash))
            return super().verify(hash, password)

    passwords = Passwords(
        WatchedHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1), min_length=12
    )
    assert not passwords.verify(None, "whatever password").ok
    # argon2 did the same work as for a real account, against a hash of its own.
    assert len(checked) == 1 and checked[0].startswith("$argon2id$")


def test_a_hash_made_with_older_parameters_is_upgraded_on_verification() -> None:
    old = cheap(time_cost=1).hash("a long enough password")
    current = cheap(time_cost=2)
    verified = current.verify(old, "a long enough password")
    assert verified.ok
    assert verified.new_hash is not None and verified.new_hash != old
    assert "t=2" in verified.new_hash
    assert current.verify(verified.new_hash, "a long enough password").new_hash is None


def test_short_passwords_are_refused() -> None:
    with pytest.raises(WeakPassword):
        cheap().hash("short")


def test_a_code_matches_its_own_step_and_one_step_either_side() -> None:
    secret = pyotp.random_base32()
    generator = pyotp.TOTP(secret)
    step = totp.time_step(NOW)
    assert totp.matching_step(secret, generator.at(NOW), now=NOW) == step
    earlier, later = NOW - timedelta(seconds=30), NOW + timedelta(seconds=30)
    assert totp.matching_step(secret, generator.at(earlier), now=NOW) == step - 1
    assert totp.matching_step(secret, generator.at(later), now=NOW) == step + 1
    assert totp.matching_step(secret, generator.at(NOW - timedelta(seconds=61)), now=NOW) is None
    assert totp.matching_step(secret, "12345a", now=NOW) is None
    assert totp.matching_step(secret, "", now=NOW) is None


def test_the_provisioning_uri_names_acolhe_and_the_qr_is_inline_svg() -> None:
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, account="ana@acolhe.test")
    assert uri.startswith("otpauth://totp/Acolhe:ana%40acolhe.test?")
    assert f"secret={secret}" in uri and "issuer=Acolhe" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_secrets_are_encrypted_and_need_the_same_key() -> None:
    box = totp.TotpSecrets(Fernet.generate_key().decode())
    sealed = box.encrypt("JBSWY3DPEHPK3PXP")
    assert b"JBSWY3DPEHPK3PXP" not in sealed
    assert box.decrypt(sealed) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(ValueError, match="another CONSOLE_TOTP_ENCRYPTION_KEY"):
        totp.TotpSecrets(Fernet.generate_key().decode()).decrypt(sealed)

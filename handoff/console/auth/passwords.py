"""Agents' passwords: argon2id hashes, verified in constant-ish time whether the login exists."""

import asyncio
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from handoff.console.auth.settings import ConsoleAuthSettings

# Longer inputs are refused before hashing: argon2 would happily spend time on megabytes.
MAX_PASSWORD_LENGTH = 1024


class WeakPassword(ValueError):
    pass


@dataclass(frozen=True)
class Verified:
    ok: bool
    # Set when the hash was made with older parameters: store it in place of the old one.
    new_hash: str | None = None


class Passwords:
    def __init__(self, hasher: PasswordHasher, *, min_length: int) -> None:
        self._hasher = hasher
        self.min_length = min_length
        # Verified against when the login is unknown, so that answer takes as long as a real one.
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(24))

    @classmethod
    def from_settings(cls, settings: ConsoleAuthSettings) -> "Passwords":
        hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        return cls(hasher, min_length=settings.min_password_length)

    def check_strength(self, password: str) -> None:
        if len(password) < self.min_length:
            raise WeakPassword(f"a password needs at least {self.min_length} characters")
        if len(password) > MAX_PASSWORD_LENGTH:
            raise WeakPassword(f"a password has at most {MAX_PASSWORD_LENGTH} characters")

    def hash(self, password: str) -> str:
        self.check_strength(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> Verified:
        """Check a password; with no stored hash (unknown login) spend the same time and fail."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return Verified(ok=False)
        try:
            self._hasher.verify(stored_hash or self._dummy_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return Verified(ok=False)
        if stored_hash is None:
            return Verified(ok=False)
        if self._hasher.check_needs_rehash(stored_hash):
            return Verified(ok=True, new_hash=self._hasher.hash(password))
        return Verified(ok=True)

    async def verify_in_thread(self, stored_hash: str | None, password: str) -> Verified:
        """`verify` off the event loop: argon2 spends tens of milliseconds of CPU on purpose."""
        return await asyncio.to_thread(self.verify, stored_hash, password)

    async def hash_in_thread(self, password: str) -> str:
        return await asyncio.to_thread(self.hash, password)


def generate_password() -> str:
    """A random password for seeded or reset accounts: 24 URL-safe characters."""
    return secrets.token_urlsafe(18)

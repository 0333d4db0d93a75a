"""Limits on failed logins, per login and per client IP, counted in Redis.

Each counter starts with the first failure and lives for the window; once it reaches its
maximum, attempts are refused (429) until it expires, even with the right password. Keys hold
hashes, not logins or addresses. A per-login limit lets someone lock an agent out for one window
by failing on purpose: the window is short, and the per-IP limit slows that down too.
"""

import hashlib
from dataclasses import dataclass

from redis.asyncio import Redis

KEY_PREFIX = "handoff:console:login-failures"


@dataclass(frozen=True)
class Blocked:
    retry_after_seconds: int


class LoginLimiter:
    def __init__(
        self,
        redis: Redis,
        *,
        max_per_login: int,
        max_per_ip: int,
        window_seconds: int,
    ) -> None:
        self._redis = redis
        self._max_per_login = max_per_login
        self._max_per_ip = max_per_ip
        self._window_seconds = window_seconds

    async def blocked(self, *, login: str, ip: str) -> Blocked | None:
        """Whether attempts for this login or from this address are refused now."""
        limits = {self._login_key(login): self._max_per_login, self._ip_key(ip): self._max_per_ip}
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in limits:
                pipe.get(key)
                pipe.ttl(key)
            answers = await pipe.execute()
        retry_after = 0
        for index, maximum in enumerate(limits.values()):
            failures, ttl = answers[2 * index], answers[2 * index + 1]
            if failures is not None and int(failures) >= maximum:
                retry_after = max(retry_after, ttl if ttl > 0 else self._window_seconds)
        return Blocked(retry_after) if retry_after else None

    async def record_failure(self, *, login: str, ip: str) -> bool:
        """Count a failure; True when it is the one that reached a limit."""
        reached = False
        for key, maximum in (
            (self._login_key(login), self._max_per_login),
            (self._ip_key(ip), self._max_per_ip),
        ):
            async with self._redis.pipeline(transaction=True) as pipe:
                # The window starts with the first failure and is not extended by later ones.
                pipe.set(key, 0, ex=self._window_seconds, nx=True)
                pipe.incr(key)
                _, failures = await pipe.execute()
            reached = reached or failures == maximum
        return reached

    async def clear_login(self, login: str) -> None:
        """A successful login forgets that login's failures (not its address's)."""
        await self._redis.delete(self._login_key(login))

    @staticmethod
    def _login_key(login: str) -> str:
        return f"{KEY_PREFIX}:login:{_digest(login.strip().lower())}"

    @staticmethod
    def _ip_key(ip: str) -> str:
        return f"{KEY_PREFIX}:ip:{_digest(ip)}"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]

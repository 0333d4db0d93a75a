"""How the action server reaches the insurer API: address, key, and how long a member may wait."""

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_URL = "http://127.0.0.1:8002"


@dataclass(frozen=True)
class InsurerSettings:
    base_url: str = DEFAULT_URL
    api_key: str = ""
    # One attempt may take this long...
    attempt_timeout: float = 3.0
    # ...and a whole call, retries and pauses included, this long: a member never waits more.
    budget: float = 6.0
    attempts: int = 3
    # Pause before retry n: backoff_initial * 2**(n-1), at most backoff_max, plus up to
    # backoff_jitter at random, so that many conversations do not retry in lockstep.
    backoff_initial: float = 0.2
    backoff_max: float = 1.0
    backoff_jitter: float = 0.2
    breaker_failures: int = 5
    breaker_cooldown: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "InsurerSettings":
        env = os.environ if env is None else env
        return cls(
            base_url=env.get("INSURER_API_URL") or DEFAULT_URL,
            api_key=env.get("INSURER_API_KEY", ""),
            attempt_timeout=float(env.get("INSURER_TIMEOUT_SECONDS") or cls.attempt_timeout),
            budget=float(env.get("INSURER_BUDGET_SECONDS") or cls.budget),
            attempts=int(env.get("INSURER_ATTEMPTS") or cls.attempts),
            breaker_failures=int(env.get("INSURER_BREAKER_FAILURES") or cls.breaker_failures),
            breaker_cooldown=float(
                env.get("INSURER_BREAKER_COOLDOWN_SECONDS") or cls.breaker_cooldown
            ),
        )

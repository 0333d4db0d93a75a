"""A circuit breaker for one client: after repeated failures, stop calling for a while.

Closed: calls go through; `failure_threshold` failures in a row open it. Open: calls fail at once
for `cooldown_seconds`, so members hear "the system is unavailable" in milliseconds instead of
waiting for timeouts, and a struggling insurer gets room to recover. Half-open: exactly one trial
call goes through (the others still fail fast); its success closes the circuit, its failure opens it
for another cool-down.

Written here rather than taken from a library: pybreaker wraps coroutines only through Tornado,
aiobreaker has not been released since 2021, and purgatory and circuitbreaker let every waiting call
through at once in half-open (no single trial), which is what a recovering insurer does not need.
It runs on one event loop, so it needs no lock.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

State = Literal["closed", "open", "half_open"]


class CircuitOpen(Exception):
    """The call was not made: the circuit is open (or its one trial call is under way)."""


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        cooldown_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown_seconds:
            return "half_open"
        return "open"

    @contextmanager
    def guard(self, is_failure: Callable[[BaseException], bool]) -> Iterator[None]:
        """Run the body as one call through the breaker, or raise CircuitOpen without running it.

        An exception for which `is_failure` is true counts as a failure; any other outcome
        (success, or an answer that shows the server is up, such as a refusal) as a success. A
        cancelled call counts as neither, but frees the half-open trial slot.
        """
        trial = self._admit()
        try:
            yield
        except Exception as error:
            if is_failure(error):
                self._record_failure()
            else:
                self._record_success()
            raise
        except BaseException:
            if trial:
                self._trial_running = False
            raise
        else:
            self._record_success()

    def _admit(self) -> bool:
        """Let the call through or raise; True when it is the half-open trial call."""
        state = self.state
        if state == "closed":
            return False
        if state == "half_open" and not self._trial_running:
            self._trial_running = True
            return True
        raise CircuitOpen(state)

    def _record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def _record_failure(self) -> None:
        self._failures += 1
        if self._trial_running or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_running = False

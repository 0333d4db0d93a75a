"""The circuit breaker's states on a clock the test moves."""

import pytest

from actions.insurer.breaker import CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Down(Exception):
    pass


def everything_fails(error: BaseException) -> bool:
    return isinstance(error, Down)


def fail(breaker: CircuitBreaker) -> None:
    with pytest.raises(Down), breaker.guard(everything_fails):
        raise Down


def succeed(breaker: CircuitBreaker) -> None:
    with breaker.guard(everything_fails):
        pass


def test_opens_after_the_threshold_of_consecutive_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=3, cooldown_seconds=30, clock=Clock())
    fail(breaker)
    fail(breaker)
    assert breaker.state == "closed"
    fail(breaker)
    assert breaker.state == "open"
    with pytest.raises(CircuitOpen):
        succeed(breaker)


def test_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, cooldown_seconds=30, clock=Clock())
    fail(breaker)
    succeed(breaker)
    fail(breaker)
    assert breaker.state == "closed"


def test_answers_that_are_not_failures_count_as_success() -> None:
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=30, clock=Clock())
    with pytest.raises(ValueError), breaker.guard(everything_fails):
        raise ValueError("a refusal: the server is up")
    assert breaker.state == "closed"


def test_half_open_admits_one_trial_and_its_success_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=30, clock=clock)
    fail(breaker)
    clock.now += 29.9
    assert breaker.state == "open"
    clock.now += 0.1
    assert breaker.state == "half_open"
    # A second caller while the trial is out.
    with breaker.guard(everything_fails), pytest.raises(CircuitOpen):
        succeed(breaker)
    assert breaker.state == "closed"
    succeed(breaker)


def test_a_failed_trial_opens_for_a_new_cool_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=5, cooldown_seconds=30, clock=clock)
    for _ in range(5):
        fail(breaker)
    clock.now += 31
    fail(breaker)  # the trial: one failure is enough, not five
    assert breaker.state == "open"
    clock.now += 29
    assert breaker.state == "open"
    clock.now += 1
    assert breaker.state == "half_open"


def test_a_cancelled_trial_frees_the_slot() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=30, clock=clock)
    fail(breaker)
    clock.now += 30
    with pytest.raises(KeyboardInterrupt), breaker.guard(everything_fails):
        raise KeyboardInterrupt  # stands for asyncio.CancelledError, also a BaseException
    assert breaker.state == "half_open"
    succeed(breaker)
    assert breaker.state == "closed"

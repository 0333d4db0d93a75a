"""The console API's refusals, shaped as the login API's (console/auth/errors.py):
`{"detail": {"reason": "...", "message": "..."}}`, so the page tells cases apart without parsing
English. Queue errors map to statuses here, in one place."""

from enum import StrEnum
from typing import Any

from fastapi import HTTPException, status

from handoff.queue.errors import (
    AgentAtCapacity,
    AgentNotFound,
    HandoffNotFound,
    HandoffTaken,
    NotAllowed,
    QueueError,
)


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    TAKEN = "taken"  # another agent has it, or it moved or was resolved meanwhile
    AT_CAPACITY = "at_capacity"
    RESOLVED = "resolved"
    OUTSIDE_WINDOW = "outside_window"  # WhatsApp's 24-hour window closed: send a template
    MISSING_VARIABLES = "missing_variables"
    UNKNOWN_CANNED = "unknown_canned"
    GATEWAY_REFUSED = "gateway_refused"
    GATEWAY_UNAVAILABLE = "gateway_unavailable"
    INVALID = "invalid"


class ConsoleRefused(HTTPException):
    def __init__(self, status_code: int, reason: Refusal, message: str, **extra: Any) -> None:
        super().__init__(status_code, detail={"reason": reason, "message": message, **extra})
        self.reason = reason


def refused_for(error: QueueError) -> ConsoleRefused:
    if isinstance(error, HandoffNotFound):
        return ConsoleRefused(status.HTTP_404_NOT_FOUND, Refusal.NOT_FOUND, "no such handoff")
    if isinstance(error, AgentNotFound):
        return ConsoleRefused(
            status.HTTP_404_NOT_FOUND, Refusal.NOT_FOUND, "no such agent, or not active"
        )
    if isinstance(error, NotAllowed):
        return ConsoleRefused(
            status.HTTP_403_FORBIDDEN,
            Refusal.NOT_ALLOWED,
            "this handoff is not yours to act on (skill or holder)",
        )
    if isinstance(error, AgentAtCapacity):
        return ConsoleRefused(
            status.HTTP_409_CONFLICT,
            Refusal.AT_CAPACITY,
            "that agent already holds as many conversations as they can",
        )
    if isinstance(error, HandoffTaken):
        return ConsoleRefused(
            status.HTTP_409_CONFLICT,
            Refusal.TAKEN,
            "the handoff changed meanwhile (taken, moved or resolved); refresh",
        )
    return ConsoleRefused(status.HTTP_409_CONFLICT, Refusal.INVALID, "refused")


def not_found() -> ConsoleRefused:
    return ConsoleRefused(status.HTTP_404_NOT_FOUND, Refusal.NOT_FOUND, "no such handoff")


def not_allowed(message: str) -> ConsoleRefused:
    return ConsoleRefused(status.HTTP_403_FORBIDDEN, Refusal.NOT_ALLOWED, message)

"""The console's security refusals: an HTTP status plus a machine-readable reason.

Bodies read `{"detail": {"reason": "session_expired", "message": "..."}}`, so the console page
can tell "log in again" from "enter your code" without parsing English.
"""

from enum import StrEnum

from fastapi import HTTPException, status


class Reason(StrEnum):
    NOT_LOGGED_IN = "not_logged_in"
    SESSION_EXPIRED = "session_expired"
    SECOND_FACTOR_REQUIRED = "second_factor_required"
    ALREADY_LOGGED_IN = "already_logged_in"
    WRONG_CREDENTIALS = "wrong_credentials"
    WRONG_CODE = "wrong_code"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    ENROLMENT_REQUIRED = "enrolment_required"
    ALREADY_ENROLLED = "already_enrolled"
    NO_ENROLMENT_STARTED = "no_enrolment_started"
    WEAK_PASSWORD = "weak_password"  # noqa: S105
    FORBIDDEN_ORIGIN = "forbidden_origin"
    CSRF_FAILED = "csrf_failed"
    ROLE_REQUIRED = "role_required"


class AuthRefused(HTTPException):
    def __init__(
        self,
        status_code: int,
        reason: Reason,
        message: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            status_code, detail={"reason": reason, "message": message}, headers=headers
        )
        self.reason = reason


def unauthenticated(
    reason: Reason, message: str, *, headers: dict[str, str] | None = None
) -> AuthRefused:
    return AuthRefused(status.HTTP_401_UNAUTHORIZED, reason, message, headers=headers)


def too_many_attempts(retry_after_seconds: int) -> AuthRefused:
    return AuthRefused(
        status.HTTP_429_TOO_MANY_REQUESTS,
        Reason.TOO_MANY_ATTEMPTS,
        f"too many failed attempts; try again in {retry_after_seconds} seconds",
        headers={"Retry-After": str(retry_after_seconds)},
    )

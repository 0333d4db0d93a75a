"""The two ways an insurer call fails, as the journeys see them.

`InsurerUnavailable`: the insurer could not answer now (down, slow, misconfigured, an answer that
does not fit the contract, or the circuit open after repeated failures). The journey says so
kindly and offers a person; the member did nothing wrong.

`InsurerRefused`: the insurer answered and said no, with a contract code (docs/insurer-api.md). The
journey explains that outcome (not covered, already paid, ...).
"""

from typing import Literal

# Contract codes a journey can meet; another code from the API still arrives as InsurerRefused.
RefusalCode = Literal[
    "no_match", "unknown_request", "not_covered", "already_paid", "unknown_invoice"
]

# Why the insurer was unavailable; for logs and metrics only, never for the member.
UnavailableReason = Literal[
    "timeout",
    "connection",
    "server_error",
    "unauthorized",
    "bad_request",
    "malformed",
    "circuit_open",
]


class InsurerError(Exception):
    """Base class: a journey that only wants "did it work" catches this."""


class InsurerUnavailable(InsurerError):
    def __init__(self, reason: UnavailableReason, detail: str = "") -> None:
        # `detail` is for logs: an operation name, a status code, an exception class; never
        # anything the member typed.
        super().__init__(f"insurer unavailable ({reason}){': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


class InsurerRefused(InsurerError):
    def __init__(self, code: str, message: str = "", status: int | None = None) -> None:
        super().__init__(f"insurer refused: {code}")
        self.code = code
        self.message = message
        self.status = status

"""The contract's error answers: `{"detail": {"code": ..., "message": ...}}` (docs/insurer-api.md).

Services raise the domain errors below; routers turn them into `ApiError`. Messages are English,
for logs, and never carry what the member typed.
"""

from fastapi import HTTPException, status


class ApiError(HTTPException):
    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, detail={"code": code, "message": message})


class UnknownMember(LookupError):
    """No member with that id."""


def unknown_member() -> ApiError:
    return ApiError(status.HTTP_404_NOT_FOUND, "unknown_member", "no member with that id")

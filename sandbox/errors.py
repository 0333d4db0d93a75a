"""The contract's error answers: `{"detail": {"code": ..., "message": ...}}` (docs/insurer-api.md).

Services raise domain errors; routers turn their own into `ApiError`. The few below surface in
many routes and mean the same in all: the app answers them (`answer_shared_error`, registered in
main.py), so routes need not. Messages are English, for logs, and never carry what the member
typed.
"""

import json

from fastapi import HTTPException, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError


class ApiError(HTTPException):
    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, detail={"code": code, "message": message})


class UnknownMember(LookupError):
    """No member with that id."""


class UnknownInvoice(LookupError):
    """No bill with that id for this member."""


SHARED_ERRORS: dict[type[Exception], ApiError] = {
    UnknownMember: ApiError(status.HTTP_404_NOT_FOUND, "unknown_member", "no member with that id"),
    UnknownInvoice: ApiError(
        status.HTTP_404_NOT_FOUND, "unknown_invoice", "the member has no such invoice"
    ),
}


async def answer_shared_error(request: Request, error: Exception) -> Response:
    """The contract's answer to one of SHARED_ERRORS, as if the route had raised its ApiError."""
    return await http_exception_handler(request, SHARED_ERRORS[type(error)])


async def validation_error(request: Request, error: Exception) -> Response:
    """FastAPI's own 422 shape, written as ASCII JSON: the error echoes the input, and input
    with a lone surrogate (valid JSON, `"\\ud800"`) cannot be written as UTF-8 (a 500 otherwise)."""
    assert isinstance(error, RequestValidationError)
    body = json.dumps({"detail": jsonable_encoder(error.errors())}, ensure_ascii=True)
    return Response(body, status.HTTP_422_UNPROCESSABLE_CONTENT, media_type="application/json")

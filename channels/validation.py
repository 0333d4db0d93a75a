"""Checks that what a member sends can be stored as is, and 422 answers that never echo it back."""

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def text_problem(text: str) -> str | None:
    """Why the text cannot be stored in both SQLite and PostgreSQL, or None when it can."""
    if "\x00" in text:
        # PostgreSQL text and jsonb cannot hold NUL.
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # JSON allows "\ud800" on its own; no database (nor UTF-8) can store it.
        return "must be valid Unicode (it contains an unpaired surrogate)"
    return None


def json_problem(value: Any) -> str | None:
    """Like text_problem, for every key and string inside a JSON document."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


async def validation_error_handler(_: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 without the `input` it normally echoes.

    The input is what the member wrote: echoing it would copy personal data into proxies' and
    clients' logs, and a text that cannot be encoded would turn the 422 into a 500.
    """
    assert isinstance(error, RequestValidationError)
    detail = [
        {
            "loc": list(item.get("loc", ())),
            "msg": item.get("msg", ""),
            "type": item.get("type", ""),
        }
        for item in error.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)

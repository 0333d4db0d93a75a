"""`Idempotency-Key` on creating routes (authorizations, agreements): a retry with the same key
within 24 hours gets what the first call created, and two calls racing with one key both get the
one that committed first (a unique key row makes the second insert fail).

Each feature keeps its keys in a table of its own (member, key, what it created, when); this
module holds the rules they share.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from fastapi import Header
from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from sandbox.sql import as_utc

# A key answers with what it first created for this long (docs/insurer-api.md).
IDEMPOTENCY_WINDOW = timedelta(hours=24)
HEADER = "Idempotency-Key"
KEY_PATTERN = r"^[\x21-\x7e]{1,128}$"
KEY_DESCRIPTION = "Any printable token (a UUID): a retry with it gets what the first call made."
# The header as creating routes declare it: `Annotated[str, KEY_HEADER]` (or `str | None`).
KEY_HEADER = Header(alias=HEADER, pattern=KEY_PATTERN, description=KEY_DESCRIPTION)

Created = TypeVar("Created")


def fresh(created_at: InstrumentedAttribute[Any], now: datetime) -> ColumnElement[bool]:
    """Keys still answering with what they created."""
    return created_at > as_utc(now) - IDEMPOTENCY_WINDOW


def expired(created_at: InstrumentedAttribute[Any], now: datetime) -> ColumnElement[bool]:
    """Keys that may start afresh. Only those: a fresh one a racing call committed since our look
    must stay, for our insert to collide with."""
    return created_at <= as_utc(now) - IDEMPOTENCY_WINDOW


async def once(
    create: Callable[[], Awaitable[Created]],
    earlier: Callable[[], Awaitable[Created | None]],
) -> Created:
    """`create()`, or, when a racing call with the same key committed between its look and its
    insert (IntegrityError), what that call created (`earlier()`)."""
    try:
        return await create()
    except IntegrityError:
        found = await earlier()
        if found is None:
            raise
        return found

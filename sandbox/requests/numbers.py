"""Request numbers, what members quote: AUT-2026-000123 (kind prefix, year opened, sequence of the
kind and year), and the compact key a lookup compares (AUT2026000123)."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from sandbox.counters import next_value
from sandbox.requests.enums import RequestKind
from sandbox.text import compact_code

# Authorization numbers (the guide's password the provider asks for) start here: 8 digits.
_AUTHORIZATION_NUMBER_BASE = 10_000_000


AUTHORIZATION_COUNTER = "authorization_number"


def request_counter(kind: str, opened_on: date) -> str:
    """The counter a request's sequence comes from: one per kind and year."""
    return f"{RequestKind(kind).prefix}-{opened_on.year}"


def request_number(kind: str, opened_on: date, sequence: int) -> str:
    return f"{request_counter(kind, opened_on)}-{sequence:06d}"


def authorization_number(sequence: int) -> str:
    return str(_AUTHORIZATION_NUMBER_BASE + sequence)


async def next_request_number(session: AsyncSession, *, kind: str, opened_on: date) -> str:
    sequence = await next_value(session, request_counter(kind, opened_on))
    return request_number(kind, opened_on, sequence)


async def next_authorization_number(session: AsyncSession) -> str:
    return authorization_number(await next_value(session, AUTHORIZATION_COUNTER))


def number_key(number: str) -> str:
    """'aut-2026-000123', 'AUT 2026 000123', 'aut2026000123' → 'AUT2026000123'."""
    return compact_code(number)

"""Payment events, insurer → Acolhe: one row per confirmed payment, in the same transaction as
the payment, listed in id order for replay (GET /v1/events) and pushed by delivery.py."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sandbox.collections.models import PaymentEvent
from sandbox.collections.schemas import PaymentEventView
from sandbox.sql import as_utc


def event_id(number: int) -> str:
    return f"EVT-{number:06d}"


def event_body(event: PaymentEvent) -> dict[str, Any]:
    """What is pushed and listed: the contract's payload, event_id first."""
    return {"event_id": event_id(event.id), **event.payload}


async def record_event(
    session: AsyncSession, *, kind: str, member_id: str, payload: dict[str, Any], at: datetime
) -> PaymentEvent:
    """`payload`: the body without event_id (the row's id, known after the flush, gives it)."""
    event = PaymentEvent(
        type=kind,
        member_id=member_id,
        payload={"type": kind, **payload},
        occurred_at=as_utc(at),
        attempts=0,
    )
    session.add(event)
    await session.flush()
    return event


async def list_events(session: AsyncSession, *, after: int, limit: int) -> list[PaymentEventView]:
    statement = (
        select(PaymentEvent).where(PaymentEvent.id > after).order_by(PaymentEvent.id).limit(limit)
    )
    return [
        PaymentEventView.model_validate(event_body(event))
        for event in await session.scalars(statement)
    ]

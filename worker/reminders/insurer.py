"""The insurer's reminders feed (docs/insurer-api.md, "Collections"): the installments to
remind, the claim that makes each reminder go at most once, and its outcome."""

from datetime import date
from typing import Literal

import httpx
from pydantic import BaseModel

Outcome = Literal["sent", "refused"]


class ClaimedReminder(BaseModel):
    offset_days: int
    outcome: Literal["pending", "sent", "refused"]


class ReminderTarget(BaseModel):
    """An unpaid installment of an unpaid agreement, as the feed gives it (fields the worker
    does not use are left out)."""

    installment_id: str
    market: Literal["BR", "CL", "ES"]
    language: str
    due_date: date
    amount_cents: int
    currency: str
    consent: bool
    channel: str | None
    conversation_id: str | None
    reminders: list[ClaimedReminder]


class InsurerReminders:
    """Calls the insurer with `http`, whose base URL and X-API-Key header are set."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def installments(self, due_from: date, due_to: date) -> list[ReminderTarget]:
        response = await self._http.get(
            "/v1/collections/installments",
            params={"due_from": due_from.isoformat(), "due_to": due_to.isoformat()},
        )
        response.raise_for_status()
        return [ReminderTarget.model_validate(item) for item in response.json()["installments"]]

    async def claim(self, installment_id: str, offset_days: int) -> bool:
        """Take this reminder for this pass; False when someone took it before (409)."""
        response = await self._http.post(
            f"/v1/collections/installments/{installment_id}/reminders",
            json={"offset_days": offset_days},
        )
        if response.status_code == httpx.codes.CONFLICT:
            return False
        response.raise_for_status()
        return True

    async def record(
        self,
        installment_id: str,
        offset_days: int,
        *,
        outcome: Outcome,
        message_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        response = await self._http.patch(
            f"/v1/collections/installments/{installment_id}/reminders/{offset_days}",
            json={"outcome": outcome, "message_id": message_id, "detail": detail},
        )
        response.raise_for_status()

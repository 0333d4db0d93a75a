"""Makes the demo's rows with the numbering the service uses (request numbers, invoice and
co-payment ids, authorization numbers), dates relative to the day the seed runs, and moments at
fixed local times of those days. Rows are numbered in memory and stored together (`store`), then
the counters are brought up to them, so the service carries on where the demo stops."""

from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sandbox import markets
from sandbox.billing.models import Copayment, Invoice
from sandbox.counters import advance_counters
from sandbox.members.models import Member
from sandbox.requests.enums import RequestKind
from sandbox.requests.models import Request, RequestEvent
from sandbox.requests.notes import note
from sandbox.requests.numbers import (
    AUTHORIZATION_COUNTER,
    authorization_number,
    number_key,
    request_counter,
    request_number,
)
from sandbox.sql import as_utc


@dataclass(frozen=True)
class Step:
    """One status of a request's history: `days_ago` at local `hour`:`minute`, with a note."""

    status: str
    days_ago: int
    hour: int
    minute: int = 0
    note: str = ""  # a notes.NOTES key; the status's own name when empty


@dataclass
class Writer:
    today: date
    members: dict[str, Member] = field(default_factory=dict)
    invoices: list[Invoice] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    copayments: list[Copayment] = field(default_factory=list)
    _counters: Tally[str] = field(default_factory=Tally)

    def _next(self, counter: str) -> int:
        self._counters[counter] += 1
        return self._counters[counter]

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def moment(self, member: Member, days_ago: int, hour: int, minute: int = 0) -> datetime:
        """A local time of a past day, stored as UTC."""
        local = datetime.combine(
            self.day(days_ago), time(hour, minute), tzinfo=markets.info(member.market).zone
        )
        return as_utc(local)

    def request(
        self, member: Member, *, kind: RequestKind, title: str, steps: list[Step], **fields: Any
    ) -> Request:
        language = markets.info(member.market).language
        opened_at = self.moment(member, steps[0].days_ago, steps[0].hour, steps[0].minute)
        opened_on = markets.local_today(member.market, opened_at)
        number = request_number(kind, opened_on, self._next(request_counter(kind, opened_on)))
        status = steps[-1].status
        if kind is RequestKind.AUTHORIZATION and status == "approved":
            fields.setdefault(
                "authorization_number", authorization_number(self._next(AUTHORIZATION_COUNTER))
            )
        fields.setdefault("beneficiary", "self")
        request = Request(
            number=number,
            number_key=number_key(number),
            member_id=member.id,
            kind=kind,
            title=title,
            status=status,
            opened_at=opened_at,
            currency=markets.info(member.market).currency,
            missing_documents=fields.pop("missing_documents", []),
            attachments=[],
            history=[
                RequestEvent(
                    status=step.status,
                    at=self.moment(member, step.days_ago, step.hour, step.minute),
                    note=note(step.note or step.status, language),
                )
                for step in steps
            ],
            **fields,
        )
        self.requests.append(request)
        return request

    def invoice(
        self,
        member: Member,
        *,
        kind: str,
        due_in_days: int,
        amount_cents: int,
        paid_days_ago: int | None = None,
    ) -> Invoice:
        due = self.today + timedelta(days=due_in_days)
        invoice = Invoice(
            id=f"INV-{self._next('INV'):06d}",
            member_id=member.id,
            kind=kind,
            # A fee is for the month before it falls due.
            reference_month=f"{(due.replace(day=1) - timedelta(days=1)):%Y-%m}",
            due_date=due,
            amount_cents=amount_cents,
            currency=markets.info(member.market).currency,
            paid_at=(
                self.moment(member, paid_days_ago, 10, 30) if paid_days_ago is not None else None
            ),
        )
        self.invoices.append(invoice)
        return invoice

    def copayment(
        self,
        member: Member,
        *,
        days_ago: int,
        service_kind: str,
        provider_name: str,
        amount_cents: int,
        invoice: Invoice | None,
    ) -> Copayment:
        copayment = Copayment(
            id=f"COP-{self._next('COP'):06d}",
            member_id=member.id,
            invoice_id=invoice.id if invoice is not None else None,
            service_date=self.day(days_ago),
            service_kind=service_kind,
            provider_name=provider_name,
            amount_cents=amount_cents,
            currency=markets.info(member.market).currency,
        )
        self.copayments.append(copayment)
        return copayment

    async def store(self, session: AsyncSession) -> None:
        """Add what was made, bills before what names them, and advance the counters."""
        session.add_all(self.invoices)
        await session.flush()
        session.add_all(self.requests)
        session.add_all(self.copayments)
        await session.flush()
        await advance_counters(session, dict(self._counters))

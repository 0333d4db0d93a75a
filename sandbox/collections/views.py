"""Agreements as the contract shows them: statuses of today, moments on the member's clock, and
how to pay each unpaid installment."""

from dataclasses import dataclass
from datetime import date, datetime

from sandbox import markets
from sandbox.collections.models import Agreement, Installment
from sandbox.collections.payment_options import payment_options
from sandbox.collections.schemas import (
    AcceptanceView,
    AgreementView,
    InstallmentView,
    RemindersView,
    Terms,
)
from sandbox.collections.status import agreement_status, installment_status
from sandbox.members.models import Member
from sandbox.rules import Billing
from sandbox.runtime import SandboxRuntime


@dataclass(frozen=True)
class ViewContext:
    member: Member
    today: date
    billing: Billing
    public_url: str

    @classmethod
    def of(cls, member: Member, runtime: SandboxRuntime) -> "ViewContext":
        """For a route's answer: today on the member's clock, with the running sandbox's rules."""
        return cls(
            member,
            markets.local_today(member.market, runtime.now()),
            runtime.rules.billing,
            runtime.settings.public_url(),
        )

    def local(self, moment: datetime | None) -> datetime | None:
        return markets.local_moment(self.member.market, moment) if moment else None


def installment_view(installment: Installment, context: ViewContext) -> InstallmentView:
    unpaid = installment.paid_at is None
    return InstallmentView(
        id=installment.id,
        number=installment.number,
        due_date=installment.due_date,
        amount_cents=installment.amount_cents,
        currency=installment.currency,
        status=installment_status(installment, context.today),
        paid_at=context.local(installment.paid_at),
        payment=payment_options(
            installment,
            market=context.member.market,
            billing=context.billing,
            public_url=context.public_url,
        )
        if unpaid
        else None,
    )


def agreement_view(agreement: Agreement, context: ViewContext) -> AgreementView:
    return AgreementView(
        id=agreement.id,
        member_id=agreement.member_id,
        status=agreement_status(
            agreement,
            today=context.today,
            broken_after_days=context.billing.agreement_broken_after_days,
        ),
        created_at=markets.local_moment(context.member.market, agreement.created_at),
        terms=Terms.model_validate(agreement.terms),
        terms_hash=agreement.terms_hash,
        acceptance=AcceptanceView.model_validate(agreement.acceptance),
        reminders=RemindersView(
            consent=agreement.reminders_consent,
            updated_at=context.local(agreement.reminders_updated_at),
        ),
        installments=[installment_view(item, context) for item in agreement.installments],
    )

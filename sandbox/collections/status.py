"""An agreement's and an installment's status, derived from the member's today so that they stay
true as days pass: an installment is late once its due date has passed unpaid; an agreement is
paid when every installment is, broken when one is unpaid more than
`billing.agreement_broken_after_days` after its due date, active otherwise."""

from datetime import date

from sandbox.collections.enums import AgreementStatus, InstallmentStatus
from sandbox.collections.models import Agreement, Installment


def installment_status(installment: Installment, today: date) -> InstallmentStatus:
    if installment.paid_at is not None:
        return InstallmentStatus.PAID
    return InstallmentStatus.LATE if installment.due_date < today else InstallmentStatus.PENDING


def agreement_status(
    agreement: Agreement, *, today: date, broken_after_days: int
) -> AgreementStatus:
    unpaid = [item for item in agreement.installments if item.paid_at is None]
    if not unpaid:
        return AgreementStatus.PAID
    if any((today - item.due_date).days > broken_after_days for item in unpaid):
        return AgreementStatus.BROKEN
    return AgreementStatus.ACTIVE

from enum import StrEnum


class AgreementStatus(StrEnum):
    ACTIVE = "active"
    BROKEN = "broken"
    PAID = "paid"


class InstallmentStatus(StrEnum):
    PENDING = "pending"
    LATE = "late"
    PAID = "paid"


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    WEBCHAT = "webchat"
    REST = "rest"


class DisputeKind(StrEnum):
    NOT_RECOGNISED = "not_recognised"
    ALREADY_PAID = "already_paid"
    WRONG_AMOUNT = "wrong_amount"


class DisputeStatus(StrEnum):
    OPEN = "open"


class PaymentMethod(StrEnum):
    PIX = "pix"
    BOLETO = "boleto"
    CARD = "card"


class ReminderOutcome(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    REFUSED = "refused"


PAYMENT_CONFIRMED = "payment.confirmed"

from enum import StrEnum


class InvoiceKind(StrEnum):
    MONTHLY_FEE = "monthly_fee"
    COPAYMENT = "copayment"
    OTHER = "other"


class InvoiceStatus(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"


class ServiceKind(StrEnum):
    """What a co-payment was for, by kind of service only: never a procedure or a diagnosis."""

    CONSULTATION = "consultation"
    EXAM = "exam"
    THERAPY = "therapy"
    EMERGENCY_VISIT = "emergency_visit"
    OTHER = "other"

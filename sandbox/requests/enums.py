from enum import StrEnum


class RequestKind(StrEnum):
    AUTHORIZATION = "authorization"
    REIMBURSEMENT = "reimbursement"
    CLAIM = "claim"

    @property
    def prefix(self) -> str:
        """The start of the number the member quotes: AUT-2026-000123."""
        return {"authorization": "AUT", "reimbursement": "REE", "claim": "SIN"}[self.value]


class RequestStatus(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    PENDING_DOCUMENTS = "pending_documents"
    APPROVED = "approved"
    DENIED = "denied"
    PAID = "paid"
    CANCELLED = "cancelled"


class Urgency(StrEnum):
    ELECTIVE = "elective"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class Beneficiary(StrEnum):
    SELF = "self"
    CHILD = "child"
    SPOUSE = "spouse"
    PARENT = "parent"
    OTHER = "other"


class NextStep(StrEnum):
    AWAIT_REVIEW = "await_review"
    SEND_DOCUMENTS = "send_documents"
    SCHEDULE = "schedule"
    PAYMENT_SCHEDULED = "payment_scheduled"
    NONE = "none"


class MissingDocument(StrEnum):
    NOTA_FISCAL = "nota_fiscal"
    PEDIDO_MEDICO = "pedido_medico"
    COMPROVANTE_PAGAMENTO = "comprovante_pagamento"
    RELATORIO_MEDICO = "relatorio_medico"


def next_step(kind: str, status: str) -> NextStep:
    """What the member waits for or does next, from where the request stands."""
    match RequestStatus(status):
        case RequestStatus.RECEIVED | RequestStatus.IN_REVIEW:
            return NextStep.AWAIT_REVIEW
        case RequestStatus.PENDING_DOCUMENTS:
            return NextStep.SEND_DOCUMENTS
        case RequestStatus.APPROVED if kind == RequestKind.AUTHORIZATION:
            return NextStep.SCHEDULE
        case RequestStatus.APPROVED:
            return NextStep.PAYMENT_SCHEDULED
        case _:
            return NextStep.NONE

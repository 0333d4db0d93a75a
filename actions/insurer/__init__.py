"""The insurer API as the journeys see it: `insurer()` for the client, typed models, two errors.

Usage: `member = await insurer().verify_member(document=cpf, birth_date=born, phone=phone)`,
catching `InsurerUnavailable` (say so kindly, offer a person) and `InsurerRefused` (explain the no).
"""

from actions.insurer.client import InsurerClient, authorization_key, insurer, use_insurer
from actions.insurer.errors import InsurerError, InsurerRefused, InsurerUnavailable
from actions.insurer.models import (
    Agreement,
    AuthorizationDraft,
    Boleto,
    Contact,
    Copayment,
    CoverageItem,
    DebtInvoice,
    Debts,
    Dispute,
    Duplicate,
    HistoryEntry,
    Installment,
    Invoice,
    Member,
    Payment,
    Pix,
    Plan,
    Provider,
    Request,
)
from actions.insurer.settings import InsurerSettings

__all__ = [
    "Agreement",
    "AuthorizationDraft",
    "Boleto",
    "Contact",
    "Copayment",
    "CoverageItem",
    "DebtInvoice",
    "Debts",
    "Dispute",
    "Duplicate",
    "HistoryEntry",
    "Installment",
    "InsurerClient",
    "InsurerError",
    "InsurerRefused",
    "InsurerSettings",
    "InsurerUnavailable",
    "Invoice",
    "Member",
    "Payment",
    "Pix",
    "Plan",
    "Provider",
    "Request",
    "authorization_key",
    "insurer",
    "use_insurer",
]

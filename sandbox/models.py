"""Every sandbox table, imported so that `create_tables` makes them; SANDBOX_TABLES names them."""

from common.db import Base
from sandbox.audit import AuditRecord
from sandbox.billing.models import Copayment, Invoice
from sandbox.collections.models import (
    Agreement,
    AgreementInvoice,
    AgreementKey,
    Dispute,
    DisputeInvoice,
    Installment,
    PaymentEvent,
    Reminder,
)
from sandbox.contacts.models import Contact
from sandbox.counters import Counter
from sandbox.coverage.models import CoverageItem, Plan
from sandbox.members.models import Member
from sandbox.providers.models import Provider
from sandbox.requests.models import FollowUp, IdempotencyKey, Request, RequestEvent

SANDBOX_TABLES = tuple(
    Base.metadata.tables[model.__tablename__]
    for model in (
        Counter,
        Plan,
        CoverageItem,
        Member,
        Contact,
        Provider,
        Request,
        RequestEvent,
        IdempotencyKey,
        FollowUp,
        Invoice,
        Copayment,
        Agreement,
        AgreementInvoice,
        Installment,
        AgreementKey,
        Dispute,
        DisputeInvoice,
        PaymentEvent,
        Reminder,
        AuditRecord,
    )
)

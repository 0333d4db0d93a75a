"""The client against the real insurer sandbox and its demo members (docs/insurer-api.md): what a
journey would notice. The sandbox starts once for these tests (tests/bot/conftest.py)."""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest

from actions.insurer import (
    AuthorizationDraft,
    InsurerClient,
    InsurerRefused,
    InsurerSettings,
    InsurerUnavailable,
)
from tests.bot.sandbox import SandboxServer

ANA = {"document": "52998224725", "birth_date": date(1985, 3, 14), "phone": "+5511987654321"}
BRUNO = {"document": "11144477735", "birth_date": date(1990, 7, 2), "phone": "+5521912345678"}
CAMILA = {"document": "123456785", "birth_date": date(1988, 11, 30), "phone": "+56912345678"}
DIEGO = {"document": "12345678Z", "birth_date": date(1979, 5, 21), "phone": "+34612345678"}
REQUEST_NUMBER = re.compile(r"^(AUT|REE|SIN)-\d{4}-\d{6}$")


def settings_for(sandbox: SandboxServer, **overrides: object) -> InsurerSettings:
    values: dict[str, object] = {
        "base_url": sandbox.base_url,
        "api_key": sandbox.api_key,
        # A first call to a cold sandbox on a busy machine may take a moment.
        "attempt_timeout": 10.0,
        "budget": 20.0,
        **overrides,
    }
    return InsurerSettings(**values)


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[InsurerClient]:
    insurer = InsurerClient(settings_for(sandbox))
    yield insurer
    await insurer.close()


# ---- identity ------------------------------------------------------------------------------


async def test_ana_is_verified_with_document_birth_date_and_phone(client: InsurerClient) -> None:
    member = await client.verify_member(**ANA)
    assert member is not None
    assert (member.id, member.first_name, member.market, member.language) == (
        "M0001",
        "Ana",
        "BR",
        "pt",
    )
    assert member.document_masked == "***.***.247-25"
    assert "52998224725" not in member.json()


async def test_a_formatted_cpf_matches_too(client: InsurerClient) -> None:
    member = await client.verify_member(document="529.982.247-25", birth_date=ANA["birth_date"])
    assert member is not None and member.id == "M0001"


async def test_web_chat_verifies_without_a_phone(client: InsurerClient) -> None:
    member = await client.verify_member(document=ANA["document"], birth_date=ANA["birth_date"])
    assert member is not None and member.id == "M0001"


async def test_a_wrong_birth_date_is_no_match(client: InsurerClient) -> None:
    assert await client.verify_member(**{**ANA, "birth_date": date(1985, 3, 15)}) is None


async def test_someone_elses_phone_is_no_match(client: InsurerClient) -> None:
    assert await client.verify_member(**{**ANA, "phone": BRUNO["phone"]}) is None


async def test_chile_and_spain(client: InsurerClient) -> None:
    camila = await client.verify_member(**{**CAMILA, "document": "12.345.678-5"})
    diego = await client.verify_member(**DIEGO)
    assert camila is not None and (camila.id, camila.market) == ("M0003", "CL")
    assert diego is not None and (diego.id, diego.market) == ("M0004", "ES")


async def test_a_member_by_id(client: InsurerClient) -> None:
    member = await client.member(member_id="M0002")
    assert member is not None and member.first_name == "Bruno"


async def test_a_protocol_for_the_contact(client: InsurerClient) -> None:
    contact = await client.open_contact(member_id="M0001", channel="whatsapp", topic="billing")
    assert re.fullmatch(r"\d{20}", contact.protocol)


# ---- requests ------------------------------------------------------------------------------


async def test_a_request_by_its_number_however_written(client: InsurerClient) -> None:
    # By kind: other tests (and journeys' tests) add authorizations to Ana's most recent five.
    (reimbursement, *_) = await client.requests(member_id="M0001", kind="reimbursement")
    authorizations = await client.requests(member_id="M0001", kind="authorization")
    assert reimbursement.kind == "reimbursement" and authorizations
    assert all(REQUEST_NUMBER.match(r.number) for r in [reimbursement, *authorizations])
    assert await client.request(member_id="M0001", number=reimbursement.number) == reimbursement
    loose = reimbursement.number.replace("-", "").lower()
    found = await client.request(member_id="M0001", number=loose)
    assert found is not None and found.number == reimbursement.number


async def test_an_unknown_number_is_none(client: InsurerClient) -> None:
    assert await client.request(member_id="M0001", number="AUT-2026-999999") is None


async def test_another_members_number_is_unknown(client: InsurerClient) -> None:
    (brunos,) = await client.requests(member_id="M0002", kind="reimbursement", limit=1)
    assert await client.request(member_id="M0001", number=brunos.number) is None


async def test_an_authorization_is_created_once_per_idempotency_key(
    client: InsurerClient,
) -> None:
    draft = AuthorizationDraft(procedure="ressonância do joelho", beneficiary="self")
    key = uuid.uuid4().hex
    created = await client.create_authorization(member_id="M0001", draft=draft, idempotency_key=key)
    assert created.kind == "authorization"
    assert created.number.startswith("AUT-") and REQUEST_NUMBER.match(created.number)
    assert (created.status, created.ans_category) == ("in_review", "high_complexity")
    assert created.ans_max_business_days == 21 and created.promised_date is not None
    again = await client.create_authorization(member_id="M0001", draft=draft, idempotency_key=key)
    assert again.number == created.number
    other = await client.create_authorization(
        member_id="M0001", draft=draft, idempotency_key=uuid.uuid4().hex
    )
    assert other.number != created.number


async def test_an_urgent_consultation_is_approved_at_once(client: InsurerClient) -> None:
    draft = AuthorizationDraft(procedure="consulta com pediatra", urgency="urgent")
    created = await client.create_authorization(
        member_id="M0001", draft=draft, idempotency_key=uuid.uuid4().hex
    )
    assert (created.status, created.next_step) == ("approved", "schedule")
    assert created.authorization_number


async def test_an_aesthetic_procedure_is_not_covered(client: InsurerClient) -> None:
    draft = AuthorizationDraft(procedure="botox")
    with pytest.raises(InsurerRefused) as refused:
        await client.create_authorization(
            member_id="M0001", draft=draft, idempotency_key=uuid.uuid4().hex
        )
    assert refused.value.code == "not_covered"


# ---- coverage and network ------------------------------------------------------------------


async def test_coverage_and_providers(client: InsurerClient) -> None:
    matches = await client.coverage(member_id="M0001", query="ressonancia")
    assert matches and matches[0].category == "high_complexity"
    assert await client.coverage(member_id="M0001", query="zzzz-nothing") == []
    providers = await client.providers(market="BR", limit=3)
    assert 0 < len(providers) <= 3


# ---- bills ---------------------------------------------------------------------------------


async def test_a_brazilian_duplicate_bill_has_a_boleto_and_pix(client: InsurerClient) -> None:
    invoices = await client.invoices(member_id="M0001")
    assert invoices and all(i.status in ("open", "overdue") for i in invoices)
    duplicate = await client.duplicate_bill(member_id="M0001", invoice_id=invoices[0].id)
    assert duplicate.boleto is not None and duplicate.pix is not None
    assert re.fullmatch(r"\d{47}", duplicate.boleto.digitable_line)
    assert re.fullmatch(r"\d{44}", duplicate.boleto.barcode)
    assert duplicate.pix.copy_paste.startswith("000201")
    assert duplicate.payment_link is None
    assert duplicate.currency == "BRL"


async def test_a_chilean_duplicate_bill_is_a_payment_link(client: InsurerClient) -> None:
    (invoice, *_) = await client.invoices(member_id="M0003")
    duplicate = await client.duplicate_bill(member_id="M0003", invoice_id=invoice.id)
    assert duplicate.boleto is None and duplicate.pix is None
    assert duplicate.payment_link and duplicate.payment_link.startswith("https://")


async def test_an_unknown_invoice_is_refused(client: InsurerClient) -> None:
    with pytest.raises(InsurerRefused) as refused:
        await client.duplicate_bill(member_id="M0001", invoice_id="INV-999999")
    assert refused.value.code == "unknown_invoice"


async def test_debts_are_the_overdue_invoices_and_their_late_fees(client: InsurerClient) -> None:
    debts = await client.debts(member_id="M0002")
    assert debts.owes and len(debts.invoices) == 2
    assert all(invoice.status == "overdue" for invoice in debts.invoices)
    assert debts.principal_cents == sum(invoice.amount_cents for invoice in debts.invoices)
    assert debts.charges_cents == sum(invoice.charges_cents for invoice in debts.invoices) > 0
    assert debts.total_cents == debts.principal_cents + debts.charges_cents
    assert debts.days_overdue > 0 and debts.oldest_due_date is not None
    assert debts.oldest_due_date < date.today()


async def test_copayments_say_the_kind_of_service_only(client: InsurerClient) -> None:
    copayments = await client.copayments(member_id="M0001")
    assert copayments
    assert all(
        c.service_kind in ("consultation", "exam", "therapy", "emergency_visit", "other")
        for c in copayments
    )


# ---- access --------------------------------------------------------------------------------


async def test_a_wrong_key_is_unavailable_not_a_no_match(sandbox: SandboxServer) -> None:
    wrong = InsurerClient(settings_for(sandbox, api_key="not-the-key", attempt_timeout=5.0))
    try:
        with pytest.raises(InsurerUnavailable) as raised:
            await wrong.verify_member(**ANA)
        assert raised.value.reason == "unauthorized"
    finally:
        await wrong.close()

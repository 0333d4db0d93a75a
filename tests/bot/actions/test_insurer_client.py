"""The insurer client under failure, against a small scripted HTTP server started by each test:
what a member would notice (a quick, kind "unavailable" instead of a long wait) and what the
insurer would notice (no retried 4xx, no second bill, no calls while the circuit is open)."""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from aiohttp import web

from actions.insurer import (
    AuthorizationDraft,
    InsurerClient,
    InsurerRefused,
    InsurerSettings,
    InsurerUnavailable,
    authorization_key,
    insurer,
    use_insurer,
)
from tests.bot.sandbox import free_port

API_KEY = "test-key-that-must-never-be-logged"

MEMBER = {
    "id": "M0001",
    "first_name": "Ana",
    "full_name": "Ana Souza Lima",
    "market": "BR",
    "language": "pt",
    "document_type": "cpf",
    "document_masked": "***.***.247-25",
    "birth_date": "1985-03-14",
    "phone_masked": "+55 11 *****-4321",
    "card_number": "0012345678901234",
    "plan": {
        "code": "OURO-IND",
        "name": "Acolhe Ouro",
        "tier": "ouro",
        "contract": "individual",
        "copayment": True,
    },
}
REQUEST = {
    "number": "AUT-2026-000123",
    "kind": "authorization",
    "title": "Ressonância magnética do joelho",
    "beneficiary": "child",
    "beneficiary_name": "Pedro",
    "status": "in_review",
    "urgency": "elective",
    "opened_at": "2026-11-18T14:03:00-03:00",
    "promised_date": "2026-12-17",
    "ans_category": "high_complexity",
    "ans_max_business_days": 21,
    "authorization_number": None,
    "amount_cents": None,
    "currency": None,
    "provider_name": "Hospital São Lucas",
    "scheduled_for": None,
    "next_step": "await_review",
    "missing_documents": [],
    "history": [{"status": "received", "at": "2026-11-18T14:03:00-03:00", "note": "Recebido"}],
}
INVOICE = {
    "id": "INV-000321",
    "kind": "monthly_fee",
    "reference_month": "2026-10",
    "due_date": "2026-11-10",
    "amount_cents": 89990,
    "currency": "BRL",
    "status": "overdue",
    "paid_at": None,
}
DRAFT = AuthorizationDraft(procedure="ressonância do joelho", beneficiary="child")


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)  # JSON, or bytes sent as they are
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    client_port: int


class ScriptedInsurer:
    """Answers with the scripted replies in order, then with `default`; records every request."""

    def __init__(self) -> None:
        self.url = ""
        self.replies: list[Reply] = []
        self.default = Reply()
        self.seen: list[Seen] = []

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.seen.append(
            Seen(
                request.method,
                request.path_qs,
                dict(request.headers),
                json.loads(raw) if raw else None,
                peer[1] if peer else 0,
            )
        )
        reply = self.replies.pop(0) if self.replies else self.default
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if isinstance(reply.body, bytes):
            return web.Response(
                body=reply.body, status=reply.status, content_type="application/json"
            )
        return web.json_response(reply.body, status=reply.status)


@pytest.fixture
async def server() -> AsyncIterator[ScriptedInsurer]:
    scripted = ScriptedInsurer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", scripted.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, shutdown_timeout=0.2)
    await site.start()
    scripted.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield scripted
    await runner.cleanup()


ClientFactory = Callable[..., InsurerClient]


@pytest.fixture
async def make_client() -> AsyncIterator[ClientFactory]:
    """Clients with quick pauses, so the tests measure the client's rules, not its waiting."""
    made: list[InsurerClient] = []

    def make(url: str, **overrides: Any) -> InsurerClient:
        settings = {
            "base_url": url,
            "api_key": API_KEY,
            "attempt_timeout": 0.5,
            "budget": 1.5,
            "attempts": 3,
            "backoff_initial": 0.01,
            "backoff_max": 0.05,
            "backoff_jitter": 0.01,
            "breaker_failures": 5,
            "breaker_cooldown": 30.0,
            **overrides,
        }
        client = InsurerClient(InsurerSettings(**settings))
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


async def unavailable(call: Awaitable[Any]) -> InsurerUnavailable:
    with pytest.raises(InsurerUnavailable) as raised:
        await call
    return raised.value


# ---- answers as the contract gives them -------------------------------------------------


async def test_a_verified_member_comes_back_typed_and_the_key_is_sent(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(200, {"member": MEMBER}))
    client = make_client(server.url)
    member = await client.verify_member(
        document="52998224725", birth_date=date(1985, 3, 14), phone="+5511987654321"
    )
    assert member is not None
    assert (member.id, member.first_name, member.plan.tier) == ("M0001", "Ana", "ouro")
    assert member.birth_date == date(1985, 3, 14)
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/v1/members/verify")
    assert seen.headers["X-API-Key"] == API_KEY
    assert seen.body == {
        "document": "52998224725",
        "birth_date": "1985-03-14",
        "phone": "+5511987654321",
    }


async def test_no_match_is_none_not_an_error(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(404, {"detail": {"code": "no_match", "message": "no member"}}))
    client = make_client(server.url)
    assert await client.verify_member(document="1", birth_date=date(1985, 3, 14)) is None
    assert "phone" not in server.seen[0].body


async def test_query_parameters_and_path_segments(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(200, {"invoices": [INVOICE], "requests": [REQUEST]})
    client = make_client(server.url)
    (invoice,) = await client.invoices(member_id="M0001")
    assert (invoice.amount_cents, invoice.status) == (89990, "overdue")
    (request,) = await client.requests(member_id="M0001", kind="authorization", limit=3)
    assert request.history[0].status == "received"
    server.default = Reply(200, REQUEST)
    await client.request(member_id="M0001", number="../admin")
    assert [s.path for s in server.seen] == [
        "/v1/members/M0001/invoices?status=open,overdue&limit=6",
        "/v1/members/M0001/requests?limit=3&kind=authorization",
        # A number can never leave its member's route.
        "/v1/members/M0001/requests/..%2Fadmin",
    ]


async def test_calls_share_one_connection(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(200, {"total_cents": 0, "currency": "BRL", "invoices": []})
    client = make_client(server.url)
    for _ in range(3):
        debts = await client.debts(member_id="M0001")
        assert not debts.owes
    assert len({seen.client_port for seen in server.seen}) == 1


# ---- retries --------------------------------------------------------------------------


async def test_a_read_is_retried_after_503_and_succeeds(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(503, {}), Reply(502, {}), Reply(200, REQUEST))
    client = make_client(server.url)
    request = await client.request(member_id="M0001", number="AUT-2026-000123")
    assert request is not None and request.number == "AUT-2026-000123"
    assert len(server.seen) == 3


async def test_unknown_request_is_none_and_not_retried(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(404, {"detail": {"code": "unknown_request", "message": "no such"}}))
    client = make_client(server.url)
    assert await client.request(member_id="M0001", number="AUT-2026-999999") is None
    assert len(server.seen) == 1


async def test_a_refusal_is_not_retried(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(422, {"detail": {"code": "not_covered", "message": "plan"}}))
    client = make_client(server.url)
    with pytest.raises(InsurerRefused) as refused:
        await client.create_authorization(member_id="M0001", draft=DRAFT, idempotency_key="k1")
    assert (refused.value.code, refused.value.status) == ("not_covered", 422)
    assert len(server.seen) == 1


async def test_a_4xx_outside_the_contract_is_unavailable_and_not_retried(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    fastapi_validation = {"detail": [{"loc": ["body", "urgency"], "msg": "bad", "type": "x"}]}
    server.script(Reply(422, fastapi_validation))
    client = make_client(server.url)
    error = await unavailable(client.coverage(member_id="M0001", query="ressonancia"))
    assert error.reason == "bad_request"
    assert len(server.seen) == 1


async def test_the_authorization_is_retried_with_the_same_idempotency_key(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(503, {}), Reply(201, REQUEST))
    client = make_client(server.url)
    request = await client.create_authorization(
        member_id="M0001", draft=DRAFT, idempotency_key="conversation-1-draft-1"
    )
    assert request.status == "in_review"
    assert [s.headers.get("Idempotency-Key") for s in server.seen] == [
        "conversation-1-draft-1",
        "conversation-1-draft-1",
    ]
    assert server.seen[0].body == server.seen[1].body
    assert server.seen[0].body["procedure"] == "ressonância do joelho"


async def test_a_duplicate_bill_is_not_retried_after_the_insurer_saw_it(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    """Without an idempotency key, a second try could issue a second bill."""
    server.script(Reply(503, {}))
    client = make_client(server.url)
    error = await unavailable(client.duplicate_bill(member_id="M0001", invoice_id="INV-000321"))
    assert error.reason == "server_error"
    assert len(server.seen) == 1


async def test_already_paid_is_a_refusal(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(409, {"detail": {"code": "already_paid", "message": "paid"}}))
    client = make_client(server.url)
    with pytest.raises(InsurerRefused) as refused:
        await client.duplicate_bill(member_id="M0001", invoice_id="INV-000321")
    assert refused.value.code == "already_paid"


async def test_retries_end_with_unavailable_when_the_insurer_keeps_failing(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(500, {})
    client = make_client(server.url)
    error = await unavailable(client.copayments(member_id="M0001"))
    assert error.reason == "server_error"
    assert len(server.seen) == 3


# ---- time ---------------------------------------------------------------------------------


async def test_a_silent_insurer_costs_the_member_no_more_than_the_budget(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(200, {"member": MEMBER}, delay=3.0)
    client = make_client(server.url, attempt_timeout=0.3, budget=0.8)
    started = time.monotonic()
    error = await unavailable(client.member(member_id="M0001"))
    elapsed = time.monotonic() - started
    assert error.reason == "timeout"
    assert elapsed < 0.8 + 0.25
    assert 2 <= len(server.seen) <= 3  # retried while the budget lasted


async def test_a_refused_connection_fails_fast(make_client: ClientFactory) -> None:
    client = make_client(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    started = time.monotonic()
    error = await unavailable(client.debts(member_id="M0001"))
    assert error.reason == "connection"
    assert time.monotonic() - started < 0.5


async def test_a_refused_connection_is_retried_even_for_a_call_that_changes_things(
    make_client: ClientFactory,
) -> None:
    """The insurer never saw the first try, so a second protocol cannot come of it: each of
    the three tries counts as a failure, and the breaker (threshold 3) opens."""
    client = make_client(f"http://127.0.0.1:{free_port()}", breaker_failures=3)
    await unavailable(client.open_contact(member_id="M0001", channel="whatsapp", topic="x"))
    assert client.breaker.state == "open"


# ---- answers that do not fit ---------------------------------------------------------------


async def test_malformed_json_is_unavailable_and_not_retried(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.script(Reply(200, b"<html>proxy error</html>"))
    client = make_client(server.url)
    error = await unavailable(client.debts(member_id="M0001"))
    assert error.reason == "malformed"
    assert len(server.seen) == 1


async def test_an_answer_that_breaks_the_contract_is_unavailable(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    wrong = {**INVOICE, "amount_cents": "899.90"}  # money must be integer cents
    server.script(Reply(200, {"invoices": [wrong]}))
    client = make_client(server.url)
    error = await unavailable(client.invoices(member_id="M0001"))
    assert error.reason == "malformed"


async def test_a_wrong_key_is_unavailable_logged_as_an_error_without_secrets(
    server: ScriptedInsurer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server.default = Reply(401, {"detail": "X-API-Key is not valid"})
    client = make_client(server.url)
    with caplog.at_level(logging.DEBUG, logger="actions.insurer"):
        error = await unavailable(
            client.verify_member(
                document="52998224725", birth_date=date(1985, 3, 14), phone="+5511987654321"
            )
        )
    assert error.reason == "unauthorized"
    assert len(server.seen) == 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "INSURER_API_KEY" in errors[0].getMessage()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (API_KEY, "52998224725", "1985-03-14", "+5511987654321"):
        assert secret not in logged


async def test_logs_never_carry_what_the_member_typed(
    server: ScriptedInsurer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(Reply(503, {}), Reply(200, {"member": {**MEMBER, "market": "AR"}}))
    client = make_client(server.url)
    with caplog.at_level(logging.DEBUG, logger="actions.insurer"):
        await unavailable(
            client.verify_member(document="52998224725", birth_date=date(1985, 3, 14))
        )
        server.script(Reply(200, {"matches": [{"name": "x"}]}))
        await unavailable(client.coverage(member_id="M0001", query="quimioterapia"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "verify_member" in logged and "market" in logged  # what failed, by field name
    for personal in ("52998224725", "1985-03-14", "quimioterapia", "AR", "Ana"):
        assert personal not in logged


# ---- circuit breaker -------------------------------------------------------------------


async def test_the_breaker_opens_after_repeated_failures_and_then_spares_the_insurer(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(503, {})
    client = make_client(server.url, attempts=2, breaker_failures=3)
    await unavailable(client.debts(member_id="M0001"))  # two tries: two failures
    second = await unavailable(client.debts(member_id="M0001"))  # third failure opens it
    assert len(server.seen) == 3
    assert second.reason == "circuit_open"  # the retry after the third failure never left
    started = time.monotonic()
    for _ in range(5):
        error = await unavailable(client.invoices(member_id="M0001"))
        assert error.reason == "circuit_open"
    assert time.monotonic() - started < 0.2
    assert len(server.seen) == 3


async def test_after_the_cool_down_one_trial_call_closes_the_circuit(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(503, {})
    client = make_client(server.url, attempts=1, breaker_failures=2, breaker_cooldown=0.3)
    for _ in range(2):
        await unavailable(client.debts(member_id="M0001"))
    assert client.breaker.state == "open"
    await asyncio.sleep(0.35)
    assert client.breaker.state == "half_open"
    server.default = Reply(200, {"total_cents": 0, "currency": "BRL", "invoices": []}, delay=0.3)
    trial = asyncio.create_task(client.debts(member_id="M0001"))
    await asyncio.sleep(0.02)
    # While the trial is out, the others still fail fast instead of piling on.
    waiting = await unavailable(client.debts(member_id="M0001"))
    assert waiting.reason == "circuit_open"
    assert (await trial).total_cents == 0
    assert client.breaker.state == "closed"
    assert (await client.debts(member_id="M0001")).total_cents == 0
    assert len(server.seen) == 4


async def test_a_failed_trial_opens_the_circuit_again(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    server.default = Reply(503, {})
    client = make_client(server.url, attempts=1, breaker_failures=2, breaker_cooldown=0.2)
    for _ in range(2):
        await unavailable(client.debts(member_id="M0001"))
    await asyncio.sleep(0.25)
    await unavailable(client.debts(member_id="M0001"))  # the trial, answered 503
    assert client.breaker.state == "open"
    assert (await unavailable(client.debts(member_id="M0001"))).reason == "circuit_open"
    assert len(server.seen) == 3


async def test_refusals_do_not_open_the_circuit(
    server: ScriptedInsurer, make_client: ClientFactory
) -> None:
    """A 404 is the insurer answering; members quoting wrong numbers must not take it away."""
    server.default = Reply(404, {"detail": {"code": "unknown_request", "message": "no"}})
    client = make_client(server.url, breaker_failures=2)
    for _ in range(4):
        assert await client.request(member_id="M0001", number="AUT-1") is None
    assert client.breaker.state == "closed"


# ---- the process's client -------------------------------------------------------------


def test_insurer_is_one_client_configured_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INSURER_API_URL", "http://insurer.invalid:9000/")
    monkeypatch.setenv("INSURER_API_KEY", "from-env")
    monkeypatch.setenv("INSURER_TIMEOUT_SECONDS", "2.5")
    use_insurer(None)
    try:
        client = insurer()
        assert insurer() is client
        assert client.settings.base_url == "http://insurer.invalid:9000/"
        assert (client.settings.api_key, client.settings.attempt_timeout) == ("from-env", 2.5)
        assert client.settings.budget == 6.0
    finally:
        use_insurer(None)


def test_defaults_point_at_the_local_sandbox() -> None:
    settings = InsurerSettings.from_env({})
    assert settings.base_url == "http://127.0.0.1:8002"
    assert settings.attempt_timeout * 2 == settings.budget


def test_the_authorization_key_is_stable_per_conversation_and_draft() -> None:
    key = authorization_key("whatsapp:+5511987654321", DRAFT)
    assert key == authorization_key("whatsapp:+5511987654321", DRAFT)
    assert key != authorization_key("whatsapp:+5511987654322", DRAFT)
    other = AuthorizationDraft(procedure="ressonância do joelho", beneficiary="self")
    assert key != authorization_key("whatsapp:+5511987654321", other)
    assert "5511987654321" not in key

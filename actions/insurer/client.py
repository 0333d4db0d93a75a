"""The insurer API client the journeys call (contract: docs/insurer-api.md).

Every method either returns typed values, or raises `InsurerRefused` (the insurer said no, with a
contract code) or `InsurerUnavailable` (it could not answer in time). No call keeps a member
waiting longer than the settings' budget, retries included.

Retries (tenacity: exponential backoff with jitter, within the budget) go only where repeating a
call cannot do something twice:
- reads, and `verify_member` (a POST that only reads);
- `create_authorization`, which sends an Idempotency-Key: the insurer answers a repeat with the
  request it first created;
- `open_contact` and `duplicate_bill` change things and carry no key (a retry could open a second
  protocol or issue a second bill), so they are retried only when the connection was refused,
  that is when the insurer certainly never saw the first try.
A 4xx is an answer and is never retried. A 401/403 means our key is wrong: it is logged as an
error and reported as unavailable, since the member can do nothing about it.

Logs name the operation, status and member id, never what the member typed (documents, birth
dates, phones, procedure names): those are personal and sometimes health data.
"""

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base
from tenacity.wait import wait_exponential_jitter

from actions.insurer.breaker import CircuitBreaker, CircuitOpen
from actions.insurer.errors import InsurerRefused, InsurerUnavailable
from actions.insurer.models import (
    Agreement,
    AuthorizationDraft,
    Channel,
    Contact,
    Copayment,
    CoverageItem,
    Debts,
    Dispute,
    Duplicate,
    Invoice,
    Member,
    Provider,
    Request,
    RequestKind,
)
from actions.insurer.settings import InsurerSettings

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)

# A retry that could not get at least this long before the budget runs out is not worth starting.
MIN_ATTEMPT_SECONDS = 0.2


class Retry(Enum):
    SAFE = "safe"  # repeating the call cannot do anything twice
    UNSENT_ONLY = "unsent_only"  # repeat only when the first try never reached the insurer


class _NotSent(InsurerUnavailable):
    """The connection was refused or could not be made: the request never left."""


def _is_server_fault(error: BaseException) -> bool:
    """What the breaker counts: the insurer (or our access to it) is failing, not a refusal."""
    return isinstance(error, InsurerUnavailable) and error.reason != "bad_request"


def authorization_key(conversation_id: str, draft: AuthorizationDraft) -> str:
    """A stable Idempotency-Key for one draft in one conversation.

    The same member confirming the same request twice (a repeated "sim", a re-run action) gets the
    request first created instead of a second one. Hashed, so the header carries no personal data.
    """
    body = json.dumps(draft.body(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{conversation_id}\n{body}".encode()).hexdigest()[:40]


class InsurerClient:
    """One per process (see `insurer()`); its HTTP session is created on first use, inside the
    running event loop, and reused for every call."""

    def __init__(self, settings: InsurerSettings | None = None) -> None:
        self.settings = settings or InsurerSettings.from_env()
        self.breaker = CircuitBreaker(
            failure_threshold=self.settings.breaker_failures,
            cooldown_seconds=self.settings.breaker_cooldown,
        )
        self._base_url = self.settings.base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    # ---- members and contacts ------------------------------------------------------------

    async def verify_member(
        self, *, document: str, birth_date: date, phone: str | None = None
    ) -> Member | None:
        """The member these details identify, or None when they match no one (the insurer never
        says which detail did not match)."""
        body: dict[str, Any] = {"document": document, "birth_date": birth_date.isoformat()}
        if phone:
            body["phone"] = phone
        try:
            data = await self._call("verify_member", "POST", "/v1/members/verify", json_body=body)
        except InsurerRefused as refusal:
            if refusal.code == "no_match":
                return None
            raise
        return _parse(Member, data.get("member"), "verify_member")

    async def member(self, *, member_id: str) -> Member | None:
        try:
            data = await self._call("member", "GET", f"/v1/members/{_seg(member_id)}")
        except InsurerRefused as refusal:
            if refusal.status == 404:
                return None
            raise
        return _parse(Member, data, "member")

    async def open_contact(self, *, member_id: str | None, channel: Channel, topic: str) -> Contact:
        """Open a service contact; its protocol number is told to the member at the start."""
        body = {"member_id": member_id, "channel": channel, "topic": topic}
        data = await self._call(
            "open_contact", "POST", "/v1/contacts", json_body=body, retry=Retry.UNSENT_ONLY
        )
        return _parse(Contact, data, "open_contact")

    # ---- requests ------------------------------------------------------------------------

    async def requests(
        self, *, member_id: str, kind: RequestKind | None = None, limit: int = 5
    ) -> list[Request]:
        """The member's requests, most recent first."""
        params: dict[str, str] = {"limit": str(limit)}
        if kind:
            params["kind"] = kind
        data = await self._call(
            "requests", "GET", f"/v1/members/{_seg(member_id)}/requests", params=params
        )
        return _parse_list(Request, data, "requests", "requests")

    async def request(self, *, member_id: str, number: str) -> Request | None:
        """The member's request with this number (any case, dashes or not); None when the member
        has no such request."""
        path = f"/v1/members/{_seg(member_id)}/requests/{_seg(number)}"
        try:
            data = await self._call("request", "GET", path)
        except InsurerRefused as refusal:
            if refusal.code == "unknown_request":
                return None
            raise
        return _parse(Request, data, "request")

    async def follow_up(
        self, *, member_id: str, number: str, contact_protocol: str | None
    ) -> Request:
        """Chase a request past its promised date: the insurer notes it on the request's history,
        with the contact's protocol, for the team that owns it. One note per protocol, however
        often it is sent, so it is safe to retry."""
        path = f"/v1/members/{_seg(member_id)}/requests/{_seg(number)}/follow-ups"
        body = {"contact_protocol": contact_protocol, "reason": "late"}
        data = await self._call("follow_up", "POST", path, json_body=body)
        return _parse(Request, data, "follow_up")

    async def create_authorization(
        self, *, member_id: str, draft: AuthorizationDraft, idempotency_key: str
    ) -> Request:
        """Ask for an authorization. The same key within 24 h returns the request first created.
        Raises InsurerRefused("not_covered") when the plan does not cover the procedure."""
        data = await self._call(
            "create_authorization",
            "POST",
            f"/v1/members/{_seg(member_id)}/authorizations",
            json_body=draft.body(),
            headers={"Idempotency-Key": idempotency_key},
        )
        return _parse(Request, data, "create_authorization")

    # ---- coverage and network ------------------------------------------------------------

    async def coverage(self, *, member_id: str, query: str) -> list[CoverageItem]:
        """What the member's plan says about a procedure; empty when the insurer knows no such
        procedure."""
        data = await self._call(
            "coverage", "GET", f"/v1/members/{_seg(member_id)}/coverage", params={"q": query}
        )
        return _parse_list(CoverageItem, data, "matches", "coverage")

    async def providers(
        self,
        *,
        market: str,
        query: str | None = None,
        city: str | None = None,
        member_id: str | None = None,
        limit: int = 5,
    ) -> list[Provider]:
        """Providers in the market; with `member_id`, only those of the member's plan network."""
        params = {"market": market, "limit": str(limit)}
        for name, value in (("q", query), ("city", city), ("member_id", member_id)):
            if value:
                params[name] = value
        data = await self._call("providers", "GET", "/v1/providers", params=params)
        return _parse_list(Provider, data, "providers", "providers")

    # ---- bills ---------------------------------------------------------------------------

    async def invoices(
        self, *, member_id: str, statuses: Iterable[str] = ("open", "overdue"), limit: int = 6
    ) -> list[Invoice]:
        """The member's invoices in these statuses, most recent due date first."""
        params = {"status": ",".join(statuses), "limit": str(limit)}
        data = await self._call(
            "invoices", "GET", f"/v1/members/{_seg(member_id)}/invoices", params=params
        )
        return _parse_list(Invoice, data, "invoices", "invoices")

    async def duplicate_bill(self, *, member_id: str, invoice_id: str) -> Duplicate:
        """A duplicate bill, reissued with fees and a new due date when overdue. Raises
        InsurerRefused("already_paid") or InsurerRefused("unknown_invoice")."""
        path = f"/v1/members/{_seg(member_id)}/invoices/{_seg(invoice_id)}/duplicate"
        data = await self._call("duplicate_bill", "POST", path, retry=Retry.UNSENT_ONLY)
        return _parse(Duplicate, data, "duplicate_bill")

    async def copayments(self, *, member_id: str, limit: int = 5) -> list[Copayment]:
        data = await self._call(
            "copayments",
            "GET",
            f"/v1/members/{_seg(member_id)}/copayments",
            params={"limit": str(limit)},
        )
        return _parse_list(Copayment, data, "copayments", "copayments")

    async def debts(self, *, member_id: str) -> Debts:
        """Overdue invoices, their late fees and total (0 when the member owes nothing), and the
        agreements not yet paid."""
        data = await self._call("debts", "GET", f"/v1/members/{_seg(member_id)}/debts")
        return _parse(Debts, data, "debts")

    # ---- collections ---------------------------------------------------------------------

    async def create_agreement(
        self, *, member_id: str, body: dict[str, Any], idempotency_key: str
    ) -> Agreement:
        """Record an accepted agreement (terms, their hash, the acceptance). The same key within
        24 h returns the agreement first recorded. Raises InsurerRefused("debt_changed") when
        the bills or their fees moved since the offer."""
        data = await self._call(
            "create_agreement",
            "POST",
            f"/v1/members/{_seg(member_id)}/agreements",
            json_body=body,
            headers={"Idempotency-Key": idempotency_key},
        )
        return _parse(Agreement, data, "create_agreement")

    async def agreement_reminders(
        self,
        *,
        member_id: str,
        agreement_id: str,
        consent: bool,
        channel: Channel,
        message_id: str | None,
    ) -> Agreement:
        """Record whether the member wants payment reminders for this agreement."""
        path = f"/v1/members/{_seg(member_id)}/agreements/{_seg(agreement_id)}/reminders"
        body = {"consent": consent, "channel": channel, "message_id": message_id}
        data = await self._call("agreement_reminders", "PUT", path, json_body=body)
        return _parse(Agreement, data, "agreement_reminders")

    async def open_dispute(self, *, member_id: str, body: dict[str, Any]) -> Dispute:
        """Contest bills. Safe to repeat: an open dispute on the same bills is returned."""
        data = await self._call(
            "open_dispute",
            "POST",
            f"/v1/members/{_seg(member_id)}/disputes",
            json_body=body,
        )
        return _parse(Dispute, data, "open_dispute")

    # ---- transport -----------------------------------------------------------------------

    async def _call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        retry: Retry = Retry.SAFE,
    ) -> dict[str, Any]:
        """One logical call: attempts within the budget, through the breaker; the JSON object."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.budget
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.attempts) | _OutOfBudget(deadline),
            wait=wait_exponential_jitter(
                initial=self.settings.backoff_initial,
                max=self.settings.backoff_max,
                jitter=self.settings.backoff_jitter,
            ),
            retry=retry_if_exception(_retryable(retry)),
            before_sleep=lambda state: _log_retry(operation, state),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(
                        operation, method, path, deadline, params, json_body, headers
                    )
        except InsurerUnavailable as error:
            logger.warning("insurer %s unavailable (%s)", operation, error.reason)
            raise
        raise AssertionError("unreachable: tenacity re-raises the last failure")

    async def _attempt(
        self,
        operation: str,
        method: str,
        path: str,
        deadline: float,
        params: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> dict[str, Any]:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise InsurerUnavailable("timeout", operation)
        timeout = aiohttp.ClientTimeout(total=min(self.settings.attempt_timeout, remaining))
        try:
            with self.breaker.guard(_is_server_fault):
                status, body = await self._send(
                    operation, method, path, timeout, params, json_body, headers
                )
                return self._interpret(operation, status, body)
        except CircuitOpen:
            raise InsurerUnavailable("circuit_open", operation) from None

    async def _send(
        self,
        operation: str,
        method: str,
        path: str,
        timeout: aiohttp.ClientTimeout,
        params: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
    ) -> tuple[int, bytes]:
        session = self._session_for_running_loop()
        try:
            async with session.request(
                method,
                self._base_url + path,
                params=params,
                json=json_body,
                headers=headers,
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError:
            raise InsurerUnavailable("timeout", operation) from None
        except aiohttp.ClientConnectorError as error:
            raise _NotSent("connection", f"{operation}: {type(error).__name__}") from None
        except aiohttp.ClientError as error:
            raise InsurerUnavailable("connection", f"{operation}: {type(error).__name__}") from None

    def _interpret(self, operation: str, status: int, body: bytes) -> dict[str, Any]:
        if 200 <= status < 300:
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                logger.error("insurer %s answered %s with no JSON object", operation, status)
                raise InsurerUnavailable("malformed", operation)
            return data
        if status in (401, 403):
            logger.error(
                "insurer refused our credentials on %s (%s): check INSURER_API_KEY",
                operation,
                status,
            )
            raise InsurerUnavailable("unauthorized", f"{operation}: {status}")
        if status >= 500 or status in (408, 429):
            raise InsurerUnavailable("server_error", f"{operation}: {status}")
        code, message = _contract_error(body)
        if code is None:
            # A 4xx outside the contract (FastAPI's validation errors, an unknown route): our
            # request or the deployment is wrong, and the member cannot fix it.
            logger.error("insurer %s answered %s outside the contract", operation, status)
            raise InsurerUnavailable("bad_request", f"{operation}: {status}")
        raise InsurerRefused(code, message, status)

    def _session_for_running_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            # A session belongs to the loop it was made in; a new loop (tests) needs its own.
            self._session = aiohttp.ClientSession(
                headers={"X-API-Key": self.settings.api_key, "Accept": "application/json"},
                raise_for_status=False,
            )
            self._session_loop = loop
        return self._session


class _OutOfBudget(stop_base):
    """Stop when the pause before the next attempt would leave it too little of the budget."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        remaining = self.deadline - asyncio.get_running_loop().time()
        return remaining - retry_state.upcoming_sleep < MIN_ATTEMPT_SECONDS


def _seg(value: str) -> str:
    """One path segment, so an id can never reach another route."""
    return quote(value, safe="")


def _retryable(policy: Retry) -> Callable[[BaseException], bool]:
    transient = ("timeout", "connection", "server_error")

    def predicate(error: BaseException) -> bool:
        if not isinstance(error, InsurerUnavailable) or error.reason not in transient:
            return False
        return policy is Retry.SAFE or isinstance(error, _NotSent)

    return predicate


def _log_retry(operation: str, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    reason = error.reason if isinstance(error, InsurerUnavailable) else type(error).__name__
    logger.warning(
        "insurer %s attempt %d failed (%s); retrying", operation, state.attempt_number, reason
    )


def _contract_error(body: bytes) -> tuple[str | None, str]:
    """The code and message of `{"detail": {"code", "message"}}`, or (None, "")."""
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return None, ""
    if isinstance(detail, dict) and isinstance(detail.get("code"), str):
        return detail["code"], str(detail.get("message") or "")
    return None, ""


def _parse(model: type[ModelT], data: Any, operation: str) -> ModelT:
    try:
        return model.parse_obj(data)
    except ValidationError as error:
        # Field paths and error kinds only: the values may be personal data.
        fields = [(".".join(map(str, e["loc"])), e["type"]) for e in error.errors()]
        logger.error("insurer %s answer does not fit the contract: %s", operation, fields)
        raise InsurerUnavailable("malformed", operation) from None


def _parse_list(
    model: type[ModelT], data: dict[str, Any], key: str, operation: str
) -> list[ModelT]:
    items = data.get(key)
    if not isinstance(items, list):
        logger.error("insurer %s answer has no %r list", operation, key)
        raise InsurerUnavailable("malformed", operation)
    return [_parse(model, item, operation) for item in items]


_client: InsurerClient | None = None


def insurer() -> InsurerClient:
    """The process's one client, configured from the environment on first use."""
    global _client
    if _client is None:
        _client = InsurerClient(InsurerSettings.from_env())
    return _client


def use_insurer(client: InsurerClient | None) -> None:
    """Make `client` the one `insurer()` returns (tests; None goes back to the environment's)."""
    global _client
    _client = client

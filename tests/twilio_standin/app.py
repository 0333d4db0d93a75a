"""The stand-in's ASGI app: Twilio's Messages API for WhatsApp, in memory, plus a control API.

Twilio's cloud can't be reached from test machines, so tests and benchmarks point the real twilio
library here instead. What the library and the product can observe is kept faithful: paths,
form-encoded requests, HTTP Basic auth, the JSON of the Message resource, Twilio's error shape
and codes, and signed status callbacks. Everything else (pricing, messaging services, scheduling)
is left out.

Routes under /_standin/ are not Twilio's: they let a test inspect what was sent and steer how
the stand-in behaves (latency, injected failures, callback outcome, hosted media).
"""

import asyncio
import base64
import binascii
import hmac
import json
import re
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from twilio.request_validator import RequestValidator

API_VERSION = "2010-04-01"
ACCOUNT_PATH = f"/{API_VERSION}/Accounts/{{account_sid}}"
WHATSAPP = "whatsapp:"
MAX_BODY_CHARS = 1600
MAX_MEDIA_URLS = 10
REPEATABLE_FIELDS = frozenset({"MediaUrl", "PersistentAction"})
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")

CallbackMode = Literal["read", "delivered", "sent", "failed", "undelivered", "none"]
CALLBACK_STATUSES: dict[str, tuple[str, ...]] = {
    "read": ("sent", "delivered", "read"),
    "delivered": ("sent", "delivered"),
    "sent": ("sent",),
    "failed": ("sent", "failed"),
    "undelivered": ("sent", "undelivered"),
    "none": (),
}
# Codes WhatsApp senders meet most: 63016 is "outside the 24-hour window", 30008 "unknown error".
DEFAULT_ERROR_CODES = {"failed": 63016, "undelivered": 30008}
ERROR_MESSAGES = {
    63016: "Failed to send freeform message because you are outside the allowed window. "
    "If you are using WhatsApp, please use a Message Template.",
    30008: "Unknown error",
}
# Twilio's own codes for the HTTP statuses a failing API answers with.
HTTP_ERROR_CODES = {
    400: (20001, "Bad Request"),
    401: (20003, "Authenticate"),
    403: (20403, "Forbidden"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}
CALLBACK_TIMEOUT_SECONDS = 15.0  # how long Twilio waits for a status callback to answer


def new_sid(prefix: str) -> str:
    """Twilio's SID shape: two letters naming the resource, then 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def rfc2822(moment: datetime) -> str:
    return format_datetime(moment)


def now() -> datetime:
    return datetime.now(timezone.utc)


class TwilioError(Exception):
    """An API refusal in Twilio's legacy error JSON: the library raises TwilioRestException."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def http_error(status: int, code: int | None = None) -> TwilioError:
    default_code, message = HTTP_ERROR_CODES.get(status, (20000 + status, "Error"))
    return TwilioError(status, code or default_code, message)


def not_found(path: str) -> TwilioError:
    return TwilioError(404, 20404, f"The requested resource {path} was not found")


@dataclass
class StoredMessage:
    sid: str
    account_sid: str
    fields: dict[str, str | list[str]]
    to: str
    from_: str
    body: str
    media_urls: list[str]
    content_sid: str | None
    content_variables: dict[str, Any] | None
    status_callback: str | None
    status: str = "queued"
    error_code: int | None = None
    error_message: str | None = None
    date_created: datetime = field(default_factory=now)
    date_updated: datetime = field(default_factory=now)
    date_sent: datetime | None = None
    history: list[dict[str, str]] = field(default_factory=list)
    # Epoch seconds the request arrived, before the configured latency.
    arrived_at: float | None = None

    def __post_init__(self) -> None:
        self.history.append({"status": self.status, "at": self.date_created.isoformat()})

    def advance(self, status: str, error_code: int | None = None) -> None:
        moment = now()
        self.status, self.date_updated = status, moment
        if status == "sent":
            self.date_sent = moment
        if error_code is not None:
            self.error_code = error_code
            self.error_message = ERROR_MESSAGES.get(error_code, "Message delivery failed")
        self.history.append({"status": status, "at": moment.isoformat()})

    def uri(self) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}.json"

    def resource(self) -> dict[str, Any]:
        """The Message resource as Twilio's API serialises it."""
        base = self.uri().removesuffix(".json")
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body,
            "date_created": rfc2822(self.date_created),
            "date_sent": rfc2822(self.date_sent) if self.date_sent else None,
            "date_updated": rfc2822(self.date_updated),
            "direction": "outbound-api",
            "error_code": self.error_code,
            "error_message": self.error_message,
            "from": self.from_,
            "messaging_service_sid": None,
            "num_media": str(len(self.media_urls)),
            "num_segments": "1",  # WhatsApp never splits a message
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {
                "media": f"{base}/Media.json",
                "feedback": f"{base}/Feedback.json",
            },
            "to": self.to,
            "uri": self.uri(),
        }

    def record(self) -> dict[str, Any]:
        """What the control API reports: the request as received and what became of it."""
        return {
            "sid": self.sid,
            "fields": self.fields,
            "to": self.to,
            "from": self.from_,
            "body": self.body,
            "media_urls": self.media_urls,
            "content_sid": self.content_sid,
            "content_variables": self.content_variables,
            "status_callback": self.status_callback,
            "status": self.status,
            "error_code": self.error_code,
            "status_history": self.history,
            "arrived_at": self.arrived_at,
        }


@dataclass
class CallbackSettings:
    mode: CallbackMode = "read"
    error_code: int | None = None
    delay_ms: int = 20

    def statuses(self) -> tuple[str, ...]:
        return CALLBACK_STATUSES[self.mode]

    def failure_code(self) -> int | None:
        return self.error_code or DEFAULT_ERROR_CODES.get(self.mode)


@dataclass
class HostedMedia:
    sid: str
    message_sid: str
    content_type: str
    data: bytes


@dataclass
class StandinState:
    """Everything the stand-in knows. One event loop touches it, so no locks are needed."""

    account_sid: str
    auth_token: str
    latency_ms: int = 0
    callbacks: CallbackSettings = field(default_factory=CallbackSettings)
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    pending_failures: deque[tuple[int, int | None]] = field(default_factory=deque)
    served_failures: list[dict[str, Any]] = field(default_factory=list)
    callback_log: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, HostedMedia] = field(default_factory=dict)
    # Every message request as it arrived: {"to", "arrived_at"} (epoch seconds).
    arrivals: list[dict[str, Any]] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    http: httpx.AsyncClient | None = None

    def reset(self) -> None:
        """Forget what happened; the settings (latency, callback mode) stay as they were."""
        for task in self.tasks:
            task.cancel()
        self.tasks.clear()
        self.messages.clear()
        self.pending_failures.clear()
        self.served_failures.clear()
        self.callback_log.clear()
        self.media.clear()
        self.arrivals.clear()

    def callback_client(self) -> httpx.AsyncClient:
        if self.http is None:
            # Callbacks go to the product on this machine: a proxy from the environment
            # would only get in the way.
            self.http = httpx.AsyncClient(timeout=CALLBACK_TIMEOUT_SECONDS, trust_env=False)
        return self.http

    async def close(self) -> None:
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.http is not None:
            await self.http.aclose()
            self.http = None


def get_state(request: Request) -> StandinState:
    state: StandinState = request.app.state.standin
    return state


State = Annotated[StandinState, Depends(get_state)]


async def note_arrival(request: Request, state: State) -> None:
    """When a request reached the stand-in, before its API latency, failures and checks: where a
    benchmark's turn ends ("the reply is at Twilio"), seen at once on `GET /_standin/arrivals`."""
    request.state.arrived_at = time.time()
    if request.method == "POST" and request.url.path.endswith("/Messages.json"):
        to = parse_form(await request.body()).get("To")
        state.arrivals.append({"to": to, "arrived_at": request.state.arrived_at})


async def apply_latency(state: State) -> None:
    if state.latency_ms > 0:
        await asyncio.sleep(state.latency_ms / 1000)


def authenticate(request: Request, account_sid: str, state: State) -> None:
    """HTTP Basic with AccountSid:AuthToken, compared in constant time like any credential."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        username = password = ""
    valid = (
        scheme.lower() == "basic"
        and hmac.compare_digest(username.encode(), state.account_sid.encode())
        and hmac.compare_digest(password.encode(), state.auth_token.encode())
    )
    if not valid:
        raise http_error(401)
    if account_sid != state.account_sid:
        raise not_found(request.url.path)


def parse_form(raw: bytes) -> dict[str, str | list[str]]:
    """Form fields as Twilio reads them: the last value wins, except for the repeatable fields."""
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        values.setdefault(name, []).append(value)
    return {
        name: found if name in REPEATABLE_FIELDS else found[-1] for name, found in values.items()
    }


def single(fields: dict[str, str | list[str]], name: str) -> str:
    value = fields.get(name, "")
    return value[-1] if isinstance(value, list) else value


def check_address(address: str, *, code: int, what: str) -> None:
    if not E164.match(address.removeprefix(WHATSAPP)):
        raise TwilioError(400, code, f"The '{what}' number {address} is not a valid phone number.")


def validated_message(account_sid: str, fields: dict[str, str | list[str]]) -> StoredMessage:
    """The message a create asks for, or the refusal Twilio gives the same mistake (same code)."""
    to, from_, body = single(fields, "To"), single(fields, "From"), single(fields, "Body")
    media_field = fields.get("MediaUrl", [])
    media_urls = [url for url in media_field if url] if isinstance(media_field, list) else []
    content_sid = single(fields, "ContentSid") or None
    raw_variables = single(fields, "ContentVariables")
    status_callback = single(fields, "StatusCallback") or None

    if not to:
        raise TwilioError(400, 21604, "A 'To' phone number is required.")
    if not from_:
        raise TwilioError(400, 21603, "A 'From' phone number is required.")
    if not (body or media_urls or content_sid):
        raise TwilioError(400, 21619, "A text message body or media urls must be specified.")
    if len(body) > MAX_BODY_CHARS:
        raise TwilioError(
            400, 21617, "The concatenated message body exceeds the 1600 character limit."
        )
    if to.startswith(WHATSAPP) != from_.startswith(WHATSAPP):
        raise TwilioError(
            400, 21910, "Invalid From and To pair. From and To should be of the same channel"
        )
    if not to.startswith(WHATSAPP):
        # Only WhatsApp is emulated; an SMS number here is a product bug worth failing loudly on.
        raise TwilioError(
            400, 21211, f"Invalid 'To' Phone Number: {to} (stand-in is WhatsApp only)"
        )
    check_address(to, code=21211, what="To")
    check_address(from_, code=21212, what="From")
    if len(media_urls) > MAX_MEDIA_URLS:
        raise TwilioError(400, 21623, "Number of media files exceeds allowed limit of 10")
    if content_sid and not CONTENT_SID.match(content_sid):
        raise TwilioError(400, 21655, "The ContentSid is Invalid.")
    content_variables = parse_content_variables(raw_variables) if raw_variables else None
    if status_callback:
        parts = urlsplit(status_callback)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TwilioError(400, 21609, "Invalid StatusCallback url")

    return StoredMessage(
        sid=new_sid("MM" if media_urls else "SM"),
        account_sid=account_sid,
        fields=fields,
        to=to,
        from_=from_,
        body=body,
        media_urls=media_urls,
        content_sid=content_sid,
        content_variables=content_variables,
        status_callback=status_callback,
    )


def parse_content_variables(raw: str) -> dict[str, Any]:
    try:
        variables = json.loads(raw)
    except json.JSONDecodeError:
        variables = None
    if not isinstance(variables, dict):
        raise TwilioError(400, 21656, "The ContentVariables Parameter is invalid.")
    return variables


def callback_params(state: StandinState, message: StoredMessage) -> dict[str, str]:
    params = {
        "AccountSid": state.account_sid,
        "ApiVersion": API_VERSION,
        "ChannelPrefix": "whatsapp",
        "From": message.from_,
        "MessageSid": message.sid,
        "MessageStatus": message.status,
        "SmsSid": message.sid,
        "SmsStatus": message.status,
        "To": message.to,
    }
    if message.status in ("failed", "undelivered") and message.error_code is not None:
        params["ErrorCode"] = str(message.error_code)
    return params


async def send_status_callbacks(
    state: StandinState, message: StoredMessage, settings: CallbackSettings
) -> None:
    """Walk the message through its statuses, telling the StatusCallback URL at each step."""
    assert message.status_callback is not None
    validator = RequestValidator(state.auth_token)
    for status in settings.statuses():
        await asyncio.sleep(settings.delay_ms / 1000)
        failed = status in ("failed", "undelivered")
        message.advance(status, settings.failure_code() if failed else None)
        params = callback_params(state, message)
        signature = validator.compute_signature(message.status_callback, params)
        entry: dict[str, Any] = {
            "message_sid": message.sid,
            "url": message.status_callback,
            "params": params,
            "signature": signature,
            "status_code": None,
            "error": None,
        }
        try:
            response = await state.callback_client().post(
                message.status_callback,
                data=params,
                headers={"X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1"},
            )
            entry["status_code"] = response.status_code
        except Exception as error:  # any failure to deliver is data for the test, not a crash
            entry["error"] = f"{type(error).__name__}: {error}"
        state.callback_log.append(entry)


def schedule_callbacks(state: StandinState, message: StoredMessage) -> None:
    # The settings are copied now: a test changing the mode later must not alter messages in flight.
    settings = CallbackSettings(**vars(state.callbacks))
    if message.status_callback is None or not settings.statuses():
        return
    task = asyncio.create_task(send_status_callbacks(state, message, settings))
    state.tasks.add(task)
    task.add_done_callback(state.tasks.discard)


api = APIRouter(
    prefix=ACCOUNT_PATH,
    dependencies=[Depends(note_arrival), Depends(apply_latency), Depends(authenticate)],
)


@api.post("/Messages.json", status_code=201)
async def create_message(account_sid: str, request: Request, state: State) -> JSONResponse:
    fields = parse_form(await request.body())
    if state.pending_failures:
        status, code = state.pending_failures.popleft()
        error = http_error(status, code)
        state.served_failures.append({"status": status, "code": error.code, "fields": fields})
        raise error
    message = validated_message(account_sid, fields)
    message.arrived_at = request.state.arrived_at
    state.messages[message.sid] = message
    schedule_callbacks(state, message)
    return JSONResponse(message.resource(), status_code=201)


@api.get("/Messages/{message_sid}.json")
async def fetch_message(message_sid: str, request: Request, state: State) -> JSONResponse:
    message = state.messages.get(message_sid)
    if message is None:
        raise not_found(request.url.path)
    return JSONResponse(message.resource())


@api.get("/Messages/{message_sid}/Media/{media_sid}")
async def fetch_media(message_sid: str, media_sid: str, request: Request, state: State) -> Response:
    media = state.media.get(media_sid)
    if media is None or media.message_sid != message_sid:
        raise not_found(request.url.path)
    return Response(media.data, media_type=media.content_type)


class FailureRequest(BaseModel):
    status: int = Field(500, ge=400, le=599)
    count: int = Field(1, ge=1)
    code: int | None = None


class LatencyRequest(BaseModel):
    ms: int = Field(ge=0)


class CallbackRequest(BaseModel):
    mode: CallbackMode = "read"
    error_code: int | None = None
    delay_ms: int | None = Field(None, ge=0)


control = APIRouter(prefix="/_standin")


@control.get("/health")
async def health(state: State) -> dict[str, Any]:
    return {"status": "ok", "latency_ms": state.latency_ms, "callbacks": vars(state.callbacks)}


@control.get("/messages")
async def list_messages(state: State) -> list[dict[str, Any]]:
    return [message.record() for message in state.messages.values()]


@control.get("/arrivals")
async def list_arrivals(state: State, since: int = 0) -> list[dict[str, Any]]:
    """The message requests that arrived, from the `since`-th on (a poller reads only the tail)."""
    return state.arrivals[max(since, 0) :]


@control.delete("/messages", status_code=204)
async def reset(state: State) -> None:
    state.reset()


@control.post("/failures")
async def inject_failures(failure: FailureRequest, state: State) -> dict[str, Any]:
    state.pending_failures.extend([(failure.status, failure.code)] * failure.count)
    return await list_failures(state)


@control.get("/failures")
async def list_failures(state: State) -> dict[str, Any]:
    return {"pending": len(state.pending_failures), "served": state.served_failures}


@control.post("/latency")
async def set_latency(latency: LatencyRequest, state: State) -> dict[str, int]:
    state.latency_ms = latency.ms
    return {"ms": state.latency_ms}


@control.post("/callbacks")
async def set_callbacks(request: CallbackRequest, state: State) -> dict[str, Any]:
    delay_ms = state.callbacks.delay_ms if request.delay_ms is None else request.delay_ms
    state.callbacks = CallbackSettings(request.mode, request.error_code, delay_ms)
    return vars(state.callbacks)


@control.get("/callbacks")
async def list_callbacks(state: State) -> list[dict[str, Any]]:
    return state.callback_log


@control.post("/media")
async def upload_media(
    request: Request, state: State, message_sid: str | None = None
) -> dict[str, Any]:
    """Host bytes the way Twilio hosts what a member sends, at the URL Twilio would give them."""
    media = HostedMedia(
        sid=new_sid("ME"),
        message_sid=message_sid or new_sid("MM"),
        content_type=request.headers.get("content-type", "application/octet-stream"),
        data=await request.body(),
    )
    state.media[media.sid] = media
    base = str(request.base_url).rstrip("/")
    path = f"/{API_VERSION}/Accounts/{state.account_sid}/Messages/{media.message_sid}"
    return {
        "url": f"{base}{path}/Media/{media.sid}",
        "content_type": media.content_type,
        "size": len(media.data),
        "media_sid": media.sid,
        "message_sid": media.message_sid,
    }


async def twilio_error_response(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, TwilioError)
    headers = {"Twilio-Request-Id": new_sid("RQ")}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def create_app(
    account_sid: str,
    auth_token: str,
    *,
    latency_ms: int = 0,
    callback_mode: CallbackMode = "read",
    callback_error_code: int | None = None,
    callback_delay_ms: int = 20,
) -> FastAPI:
    """The stand-in for one Twilio account; its state lives on `app.state.standin`."""
    state = StandinState(
        account_sid=account_sid,
        auth_token=auth_token,
        latency_ms=latency_ms,
        callbacks=CallbackSettings(callback_mode, callback_error_code, callback_delay_ms),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await state.close()

    app = FastAPI(title="Twilio stand-in", lifespan=lifespan, openapi_url=None)
    app.state.standin = state
    app.add_exception_handler(TwilioError, twilio_error_response)
    app.include_router(api)
    app.include_router(control)
    return app

"""The Twilio stand-in as the real twilio library sees it, and as a webhook receiver sees it.

Every API call goes through `channels.whatsapp.twilio_api.twilio_client`, the product's own
factory, so a protocol detail the stand-in gets wrong fails here before it misleads other tests.
"""

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from channels.whatsapp.twilio_api import twilio_client
from tests.twilio_standin import StandinControl, StandinServer
from tests.twilio_standin.webhooks import inbound_message_params, post_inbound, signature

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "standin-auth-token"
BUSINESS = "whatsapp:+14155238886"
MEMBER = "whatsapp:+5511987654321"
TEMPLATE_SID = "HX" + "b" * 32
CALLBACK_DELAY_MS = 5


@pytest.fixture(scope="module")
def standin() -> Iterator[StandinServer]:
    with StandinServer(ACCOUNT_SID, AUTH_TOKEN) as server:
        yield server


@pytest.fixture
async def control(standin: StandinServer) -> AsyncIterator[StandinControl]:
    """Control of a stand-in that remembers nothing and behaves by default, for every test."""
    async with standin.control() as control:
        await control.reset()
        await control.set_latency(0)
        await control.set_callbacks("read", delay_ms=CALLBACK_DELAY_MS)
        yield control


@pytest.fixture
async def twilio(standin: StandinServer, control: StandinControl) -> AsyncIterator[Client]:
    client = twilio_client(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, base_url=standin.base_url
    )
    try:
        yield client
    finally:
        await client.http_client.close()


@dataclass
class Received:
    url: str
    params: dict[str, str]
    signature: str | None


class Receiver:
    """What a product webhook endpoint would receive, queued in arrival order."""

    def __init__(self, base_url: str, queue: asyncio.Queue[Received]) -> None:
        self.base_url, self._queue = base_url, queue

    async def next(self, timeout_seconds: float = 5.0) -> Received:
        return await asyncio.wait_for(self._queue.get(), timeout_seconds)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    queue: asyncio.Queue[Received] = asyncio.Queue()
    app = FastAPI()

    @app.post("/{path:path}")
    async def receive(request: Request) -> Response:
        params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        signed = request.headers.get("X-Twilio-Signature")
        await queue.put(Received(url=str(request.url), params=params, signature=signed))
        return Response(status_code=200)

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        assert not task.done(), "the callback receiver did not start"
        await asyncio.sleep(0.01)
    try:
        yield Receiver(f"http://127.0.0.1:{sock.getsockname()[1]}", queue)
    finally:
        server.should_exit = True
        await task
        sock.close()


def is_valid_signature(received: Received) -> bool:
    validator = RequestValidator(AUTH_TOKEN)
    return bool(validator.validate(received.url, received.params, received.signature or ""))


async def test_created_text_message_is_queued_and_fetchable(twilio: Client) -> None:
    created = await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, body="Olá, Maria!")

    assert created.sid is not None and created.sid.startswith("SM") and len(created.sid) == 34
    assert created.status == "queued"
    assert (created.to, created.from_, created.body) == (MEMBER, BUSINESS, "Olá, Maria!")
    assert created.account_sid == ACCOUNT_SID
    assert created.direction == "outbound-api"
    assert created.api_version == "2010-04-01"
    assert created.error_code is None and created.price is None
    assert created.num_media == "0" and created.num_segments == "1"
    assert created.date_created is not None  # parsed from RFC 2822 by the library
    assert created.uri == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{created.sid}.json"

    fetched = await twilio.messages(created.sid).fetch_async()

    assert (fetched.sid, fetched.body, fetched.status) == (created.sid, "Olá, Maria!", "queued")


async def test_creates_are_recorded_in_order(twilio: Client, control: StandinControl) -> None:
    sids = [
        (await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, body=f"m{n}")).sid
        for n in range(3)
    ]

    recorded = await control.messages()

    assert [message["sid"] for message in recorded] == sids
    assert [message["fields"]["Body"] for message in recorded] == ["m0", "m1", "m2"]


async def test_wrong_auth_token_is_refused_with_401(standin: StandinServer) -> None:
    client = twilio_client(account_sid=ACCOUNT_SID, auth_token="wrong", base_url=standin.base_url)
    try:
        with pytest.raises(TwilioRestException) as refused:
            await client.messages.create_async(to=MEMBER, from_=BUSINESS, body="oi")
    finally:
        await client.http_client.close()

    assert refused.value.status == 401
    assert refused.value.code == 20003


async def test_unknown_message_is_a_404(twilio: Client) -> None:
    with pytest.raises(TwilioRestException) as missing:
        await twilio.messages("SM" + "0" * 32).fetch_async()

    assert (missing.value.status, missing.value.code) == (404, 20404)


async def test_body_over_1600_characters_is_refused_with_21617(
    twilio: Client, control: StandinControl
) -> None:
    with pytest.raises(TwilioRestException) as refused:
        await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, body="a" * 1601)

    assert (refused.value.status, refused.value.code) == (400, 21617)
    assert await control.messages() == []


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"From": BUSINESS, "Body": "oi"}, 21604),
        ({"To": MEMBER, "Body": "oi"}, 21603),
        ({"To": MEMBER, "From": BUSINESS}, 21619),
        ({"To": "+5511987654321", "From": BUSINESS, "Body": "oi"}, 21910),
        ({"To": "+5511987654321", "From": "+14155238886", "Body": "oi"}, 21211),
        ({"To": "whatsapp:5511", "From": BUSINESS, "Body": "oi"}, 21211),
        (
            {"To": MEMBER, "From": BUSINESS, "ContentSid": TEMPLATE_SID, "ContentVariables": "{"},
            21656,
        ),
    ],
)
async def test_invalid_creates_get_twilios_error_codes(
    standin: StandinServer, control: StandinControl, form: dict[str, str], code: int
) -> None:
    async with httpx.AsyncClient(auth=(ACCOUNT_SID, AUTH_TOKEN)) as http:
        response = await http.post(
            f"{standin.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json", data=form
        )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert await control.messages() == []


@pytest.mark.parametrize(("status", "code"), [(500, 20500), (429, 20429)])
async def test_injected_failure_answers_once_then_creates_succeed(
    twilio: Client, control: StandinControl, status: int, code: int
) -> None:
    await control.fail_next(status, 1)

    with pytest.raises(TwilioRestException) as failed:
        await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, body="primeira")
    second = await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, body="segunda")

    assert (failed.value.status, failed.value.code) == (status, code)
    assert second.status == "queued"
    failures = await control.failures()
    assert failures["pending"] == 0
    assert [(served["status"], served["fields"]["Body"]) for served in failures["served"]] == [
        (status, "primeira")
    ]
    assert [message["body"] for message in await control.messages()] == ["segunda"]


async def test_media_urls_are_recorded_as_a_list(twilio: Client, control: StandinControl) -> None:
    urls = ["https://example.org/carteirinha.pdf", "https://example.org/foto.jpg"]

    created = await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, media_url=urls)

    assert created.sid is not None and created.sid.startswith("MM")
    assert created.num_media == "2"
    [recorded] = await control.messages()
    assert recorded["media_urls"] == urls
    assert recorded["fields"]["MediaUrl"] == urls


async def test_content_template_is_recorded_with_parsed_variables(
    twilio: Client, control: StandinControl
) -> None:
    variables = {"1": "Maria", "2": "12/03 às 14h"}

    await twilio.messages.create_async(
        to=MEMBER,
        from_=BUSINESS,
        content_sid=TEMPLATE_SID,
        content_variables=json.dumps(variables),
    )

    [recorded] = await control.messages()
    assert recorded["content_sid"] == TEMPLATE_SID
    assert recorded["content_variables"] == variables


async def test_status_callbacks_arrive_signed_in_order(
    twilio: Client, control: StandinControl, receiver: Receiver
) -> None:
    callback_url = f"{receiver.base_url}/twilio/status"

    created = await twilio.messages.create_async(
        to=MEMBER, from_=BUSINESS, body="oi", status_callback=callback_url
    )
    received = [await receiver.next() for _ in range(3)]

    assert [r.params["MessageStatus"] for r in received] == ["sent", "delivered", "read"]
    for callback in received:
        assert callback.url == callback_url
        assert is_valid_signature(callback), callback
        assert callback.params["MessageSid"] == callback.params["SmsSid"] == created.sid
        assert callback.params["AccountSid"] == ACCOUNT_SID
        assert (callback.params["From"], callback.params["To"]) == (BUSINESS, MEMBER)
        assert callback.params["ApiVersion"] == "2010-04-01"
        assert "ErrorCode" not in callback.params
    log = await control.wait_for_callbacks(3)
    assert [entry["status_code"] for entry in log] == [200, 200, 200]
    assert (await twilio.messages(created.sid).fetch_async()).status == "read"
    [recorded] = await control.messages()
    history = [step["status"] for step in recorded["status_history"]]
    assert history == ["queued", "sent", "delivered", "read"]


async def test_failed_mode_reports_the_error_code(
    twilio: Client, control: StandinControl, receiver: Receiver
) -> None:
    await control.set_callbacks("failed", error_code=63016, delay_ms=CALLBACK_DELAY_MS)

    created = await twilio.messages.create_async(
        to=MEMBER, from_=BUSINESS, body="oi", status_callback=f"{receiver.base_url}/status"
    )
    sent, failed = await receiver.next(), await receiver.next()

    assert sent.params["MessageStatus"] == "sent" and "ErrorCode" not in sent.params
    assert failed.params["MessageStatus"] == "failed"
    assert failed.params["ErrorCode"] == "63016"
    assert is_valid_signature(failed)
    fetched = await twilio.messages(created.sid).fetch_async()
    assert (fetched.status, fetched.error_code) == ("failed", 63016)


async def test_undeliverable_callback_is_logged_and_the_standin_carries_on(
    twilio: Client, control: StandinControl
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        await control.set_callbacks("sent", delay_ms=CALLBACK_DELAY_MS)
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/status"
        await twilio.messages.create_async(
            to=MEMBER, from_=BUSINESS, body="oi", status_callback=url
        )
        [entry] = await control.wait_for_callbacks(1)

    assert entry["url"] == url
    assert entry["status_code"] is None and entry["error"]
    assert (await control.health())["status"] == "ok"


async def test_uploaded_media_is_served_only_with_basic_auth(control: StandinControl) -> None:
    image = b"\x89PNG\r\n\x1a\nnot really a png"

    media = await control.upload_media(image, "image/png", message_sid="MM" + "1" * 32)

    assert media["url"].endswith(f"/Messages/{'MM' + '1' * 32}/Media/{media['media_sid']}")
    assert f"/2010-04-01/Accounts/{ACCOUNT_SID}/" in media["url"]
    assert (media["content_type"], media["size"]) == ("image/png", len(image))
    async with httpx.AsyncClient() as http:
        with_auth = await http.get(media["url"], auth=(ACCOUNT_SID, AUTH_TOKEN))
        without_auth = await http.get(media["url"])
        wrong_auth = await http.get(media["url"], auth=(ACCOUNT_SID, "wrong"))

    assert with_auth.status_code == 200
    assert with_auth.content == image
    assert with_auth.headers["content-type"] == "image/png"
    assert without_auth.status_code == wrong_auth.status_code == 401
    assert without_auth.json()["code"] == 20003


async def test_latency_delays_every_api_response(twilio: Client, control: StandinControl) -> None:
    latency_ms = 60
    await control.set_latency(latency_ms)

    started = time.perf_counter()
    created = await twilio.messages.create_async(to=MEMBER, from_=BUSINESS, body="oi")
    created_after = time.perf_counter() - started
    await twilio.messages(created.sid).fetch_async()
    fetched_after = time.perf_counter() - started

    assert created_after >= latency_ms / 1000
    assert fetched_after >= 2 * latency_ms / 1000


def test_inbound_text_has_twilios_whatsapp_fields() -> None:
    params = inbound_message_params(
        from_phone="+5511987654321",
        to=BUSINESS,
        body="quero a segunda via do boleto",
        account_sid=ACCOUNT_SID,
        profile_name="Maria",
    )

    assert params["MessageSid"] == params["SmsMessageSid"] == params["SmsSid"]
    assert params["MessageSid"].startswith("SM") and len(params["MessageSid"]) == 34
    assert params["From"] == MEMBER and params["To"] == BUSINESS
    assert params["WaId"] == "5511987654321"
    assert params["ProfileName"] == "Maria"
    assert params["MessageType"] == "text"
    assert (params["NumMedia"], params["NumSegments"]) == ("0", "1")
    assert (params["SmsStatus"], params["ApiVersion"]) == ("received", "2010-04-01")
    assert params["AccountSid"] == ACCOUNT_SID


@pytest.mark.parametrize(
    ("extra", "message_type", "expected"),
    [
        (
            {"media": [("https://m/1", "image/jpeg"), ("https://m/2", "application/pdf")]},
            "image",
            {
                "NumMedia": "2",
                "MediaUrl0": "https://m/1",
                "MediaContentType0": "image/jpeg",
                "MediaUrl1": "https://m/2",
                "MediaContentType1": "application/pdf",
            },
        ),
        ({"media": [("https://m/1", "application/pdf")]}, "document", {"NumMedia": "1"}),
        ({"media": [("https://m/1", "audio/ogg")]}, "audio", {"MediaContentType0": "audio/ogg"}),
        (
            {"latitude": -23.5505, "longitude": -46.6333, "address": "Av. Paulista", "label": "X"},
            "location",
            {
                "Latitude": "-23.5505",
                "Longitude": "-46.6333",
                "Address": "Av. Paulista",
                "Label": "X",
            },
        ),
        (
            {"body": "Confirmar", "button_payload": "confirm_appointment"},
            "button",
            {"ButtonPayload": "confirm_appointment", "ButtonText": "Confirmar"},
        ),
    ],
)
def test_inbound_message_kinds(
    extra: dict[str, Any], message_type: str, expected: dict[str, str]
) -> None:
    params = inbound_message_params(
        from_phone=MEMBER, to=BUSINESS, account_sid=ACCOUNT_SID, **extra
    )

    assert params["MessageType"] == message_type
    assert expected.items() <= params.items()
    if "media" in extra:
        assert params["MessageSid"].startswith("MM")


async def test_post_inbound_signs_like_twilio(receiver: Receiver) -> None:
    url = f"{receiver.base_url}/webhooks/whatsapp"
    params = inbound_message_params(
        from_phone=MEMBER, to=BUSINESS, body="oi", account_sid=ACCOUNT_SID
    )

    async with httpx.AsyncClient() as http:
        signed = await post_inbound(http, url, params, AUTH_TOKEN)
        unsigned = await post_inbound(http, url, params, AUTH_TOKEN, signed=False)
    first, second = await receiver.next(), await receiver.next()

    assert signed.status_code == unsigned.status_code == 200
    assert first.params == params
    assert first.signature == signature(AUTH_TOKEN, url, params)
    assert is_valid_signature(first)
    assert second.signature is None

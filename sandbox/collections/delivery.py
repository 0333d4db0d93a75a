"""Pushing payment events to Acolhe's gateway (SANDBOX_EVENTS_URL), after the payment committed:
a signed POST, retried a few times with backoff; a 2xx marks the event delivered. An event never
delivered stays in GET /v1/events for the gateway to replay.

Signed as common/event_signature.py says, with the wall clock's timestamp (the receiver compares
it with its own), never the sandbox's test clock.
"""

import asyncio
import json
import logging
import time

import httpx
from fastapi import BackgroundTasks

from common.event_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, event_signature
from sandbox.collections.enums import PaymentMethod
from sandbox.collections.events import event_body
from sandbox.collections.models import PaymentEvent
from sandbox.collections.payments import confirm_payment
from sandbox.collections.schemas import PaymentConfirmation
from sandbox.runtime import SandboxRuntime
from sandbox.sql import as_utc

logger = logging.getLogger(__name__)

# Seconds before each retry: four attempts in about 4 s, short enough for a request's background.
RETRY_DELAYS = (0.5, 1.0, 2.5)
TIMEOUT_SECONDS = 5.0


def encoded(body: dict[str, object]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


async def confirm_then_push(
    runtime: SandboxRuntime, background: BackgroundTasks, *, reference: str, method: PaymentMethod
) -> PaymentConfirmation:
    """A route's payment (the bank's confirmation, the checkout's card): confirmed, and its event
    pushed once the response is sent, so after the commit. Raises what confirm_payment raises."""
    confirmed = await confirm_payment(
        runtime.sessions,
        reference=reference,
        method=method,
        billing=runtime.rules.billing,
        now=runtime.now(),
    )
    background.add_task(deliver, runtime, confirmed.event_number)
    logger.info(
        "payment confirmed",
        extra={"reference": confirmed.confirmation.reference, "method": method},
    )
    return confirmed.confirmation


async def deliver(runtime: SandboxRuntime, event_number: int) -> bool:
    """Push one event; True once the receiver took it. Never raises: a failure is logged and the
    event waits in the feed."""
    settings = runtime.settings
    if not settings.pushes_events():
        return False
    async with runtime.sessions() as session:
        event = await session.get(PaymentEvent, event_number)
        if event is None or event.delivered_at is not None:
            return event is not None
        body = encoded(event_body(event))
    secret = settings.insurer_events_secret.get_secret_value()
    attempts = 0
    delivered = False
    async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as http:
        for delay in (0.0, *RETRY_DELAYS):
            await asyncio.sleep(delay)
            attempts += 1
            timestamp = str(int(time.time()))
            try:
                response = await http.post(
                    settings.sandbox_events_url,
                    content=body,
                    headers={
                        "Content-Type": "application/json",
                        TIMESTAMP_HEADER: timestamp,
                        SIGNATURE_HEADER: event_signature(secret, timestamp, body),
                    },
                )
            except httpx.HTTPError as error:
                logger.warning(
                    "event push failed",
                    extra={"event_id": event_number, "error": type(error).__name__},
                )
                continue
            if response.is_success:
                delivered = True
                break
            logger.warning(
                "event push refused",
                extra={"event_id": event_number, "status": response.status_code},
            )
    async with runtime.sessions() as session, session.begin():
        event = await session.get(PaymentEvent, event_number)
        if event is not None:
            event.attempts += attempts
            if delivered:
                event.delivered_at = as_utc(runtime.now())
    if delivered:
        logger.info("event delivered", extra={"event_id": event_number})
    return delivered

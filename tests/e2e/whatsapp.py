"""A member on WhatsApp as Twilio carries them: signed webhooks in, sends at the stand-in out."""

import secrets
import time
from typing import Any

import httpx

from ops.stack import Stack
from tests.e2e.conftest import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, WHATSAPP_NUMBER
from tests.twilio_standin import StandinServer, inbound_message_params, signature


class WhatsAppMember:
    def __init__(
        self, stack: Stack, twilio: StandinServer, country: str = "+55", phone: str | None = None
    ) -> None:
        # A new number each time, unless a test needs a member the insurer knows: the stand-in is
        # shared by every test and both stacks (see `skip_earlier`).
        self.phone = phone or country + "9" + "".join(
            secrets.choice("0123456789") for _ in range(9)
        )
        self.address = f"whatsapp:{self.phone}"
        self._earlier = 0
        self._webhook = f"{stack.gateway_url}/webhooks/whatsapp"
        self._twilio = twilio.base_url
        self._http = httpx.Client(timeout=30)

    def close(self) -> None:
        self._http.close()

    def inbound(self, body: str, **fields: Any) -> dict[str, str]:
        return inbound_message_params(
            from_phone=self.phone,
            to=f"whatsapp:{WHATSAPP_NUMBER}",
            body=body,
            account_sid=TWILIO_ACCOUNT_SID,
            **fields,
        )

    def deliver(self, params: dict[str, str]) -> httpx.Response:
        """POST one webhook as Twilio does, signed for the gateway's public URL."""
        headers = {"X-Twilio-Signature": signature(TWILIO_AUTH_TOKEN, self._webhook, params)}
        return self._http.post(self._webhook, data=params, headers=headers)

    def say(self, body: str) -> dict[str, str]:
        params = self.inbound(body)
        response = self.deliver(params)
        assert response.status_code == 200, response.text
        return params

    def received(self) -> list[dict[str, Any]]:
        """Every message Twilio was asked to send this member, in order (since `skip_earlier`)."""
        messages = self._http.get(f"{self._twilio}/_standin/messages").json()
        return [message for message in messages if message["to"] == self.address][self._earlier :]

    def skip_earlier(self) -> None:
        """Count from now: a number used before (by the other stack) has messages already."""
        self._earlier += len(self.received())

    def wait_for_text(self, part: str, timeout: float = 60) -> list[str]:
        """Every body so far, once one contains `part`."""
        deadline = time.monotonic() + timeout
        while True:
            bodies = [message.get("body") or "" for message in self.received()]
            if any(part in body for body in bodies):
                return bodies
            if time.monotonic() > deadline:
                raise AssertionError(f"no message with {part!r}; got {bodies}")
            time.sleep(0.2)

    def wait_for(self, count: int, timeout: float = 60) -> list[str]:
        """The bodies of the first `count` messages sent to this member, once they are there."""
        deadline = time.monotonic() + timeout
        while True:
            received = self.received()
            if len(received) >= count:
                return [message.get("body") or "" for message in received]
            if time.monotonic() > deadline:
                bodies = [message.get("body") for message in received]
                refused = self._http.get(f"{self._twilio}/_standin/failures").json()
                raise AssertionError(
                    f"{count} messages expected, got {len(bodies)}: {bodies}; "
                    f"the stand-in refused: {refused}"
                )
            time.sleep(0.2)

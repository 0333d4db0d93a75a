"""Talks to the Rasa server through its REST channel (`POST /webhooks/rest/webhook`)."""

from typing import Any

import httpx

# One reply item as Rasa's REST channel returns it: {"recipient_id", "text", "buttons", ...}.
RasaReply = dict[str, Any]


class RasaUnavailable(Exception):
    """Rasa could not be reached or did not answer properly; the member's turn got no reply."""


class RasaClient:
    def __init__(self, *, http: httpx.AsyncClient, base_url: str, timeout_seconds: float) -> None:
        self._http = http
        self._webhook_url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self._timeout = httpx.Timeout(timeout_seconds)

    async def send(
        self, *, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[RasaReply]:
        """Send one member message and return Rasa's replies, in order."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        try:
            response = await self._http.post(self._webhook_url, json=body, timeout=self._timeout)
        except httpx.TimeoutException as error:
            raise RasaUnavailable(f"rasa did not answer within {self._timeout.read}s") from error
        except httpx.TransportError as error:
            raise RasaUnavailable(f"rasa unreachable: {type(error).__name__}") from error
        if response.status_code != httpx.codes.OK:
            # A 4xx is no more the member's fault than a 5xx: most likely the REST channel is not
            # enabled in credentials.yml. Either way the turn got no answer.
            raise RasaUnavailable(f"rasa answered HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError as error:
            raise RasaUnavailable("rasa answered with a body that is not JSON") from error
        if not isinstance(replies, list) or not all(isinstance(item, dict) for item in replies):
            raise RasaUnavailable("rasa answered with something other than a list of replies")
        return replies

"""Talks to the handoff service's internal API (docs/handoff.md): opens handoffs, passes on the
member's messages while an agent has the conversation, and hands over satisfaction answers."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from channels.models import Conversation, Message


class HandoffServiceUnavailable(Exception):
    """The handoff service could not take the call now; the gateway tries again later."""


class HandoffClosed(Exception):
    """The handoff ended meanwhile (an agent resolved it): the member's message goes to the bot."""


class HandoffRefused(Exception):
    """The handoff service refused the call for good (4xx): retrying would not help."""


@dataclass(frozen=True)
class Ticket:
    """What the member is told once a handoff is open."""

    id: int
    protocol: str
    priority: str
    position: int
    expected_wait_minutes: int | None
    humans_available: bool
    next_opening_at: datetime | None


class HandoffClient:
    def __init__(
        self, *, http: httpx.AsyncClient, base_url: str, token: str, timeout_seconds: float
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = httpx.Timeout(timeout_seconds)

    async def open(self, conversation: Conversation, request: dict[str, Any]) -> Ticket:
        body = {
            **request,
            "conversation_id": conversation.id,
            "channel": conversation.channel,
            "language": request.get("language") or conversation.language or "pt",
        }
        answer = await self._post("/api/handoffs", body)
        opening = answer.get("next_opening_at")
        return Ticket(
            id=int(answer["id"]),
            protocol=str(answer["protocol"]),
            priority=str(answer["priority"]),
            position=int(answer["position"]),
            expected_wait_minutes=answer.get("expected_wait_minutes"),
            humans_available=bool(answer.get("humans_available", True)),
            next_opening_at=datetime.fromisoformat(opening) if opening else None,
        )

    async def relay(
        self, handoff_id: int, message: Message, attachments: list[dict[str, Any]]
    ) -> None:
        body = {
            "message_id": message.id,
            "text": message.text,
            "attachments": attachments,
            "at": message.created_at.isoformat(),
        }
        await self._post(f"/api/handoffs/{handoff_id}/member-messages", body)

    async def send_csat(self, handoff_id: int, answer: dict[str, Any]) -> None:
        await self._post(f"/api/handoffs/{handoff_id}/csat", answer)

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.post(
                self._base_url + path, json=body, headers=self._headers, timeout=self._timeout
            )
        except httpx.TransportError as error:
            raise HandoffServiceUnavailable(f"unreachable: {type(error).__name__}") from error
        if response.status_code in (404, 409):
            raise HandoffClosed(f"handoff service answered {response.status_code}")
        if 400 <= response.status_code < 500 and response.status_code != 429:
            raise HandoffRefused(f"handoff service answered {response.status_code}")
        if response.status_code >= 400:
            raise HandoffServiceUnavailable(f"handoff service answered {response.status_code}")
        try:
            answer = response.json() if response.content else {}
        except ValueError as error:
            raise HandoffServiceUnavailable("handoff service answered non-JSON") from error
        return answer if isinstance(answer, dict) else {}

"""The gateway's API as the handoff service uses it (docs/handoff.md, "Gateway API"): read a
conversation's transcript, send an agent's reply on the member's channel, give the conversation
back to the bot.

Every failure is one of the errors below, so callers decide per kind: retry later
(GatewayUnavailable), tell the agent to use a template (OutsideWindow), or stop trying
(GatewayRefused and its kinds). Nothing here logs message text or URLs (conversation ids are in
them).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx


class GatewayError(Exception):
    """Base class of everything the gateway client raises."""


class GatewayUnavailable(GatewayError):
    """Unreachable, timed out, or answered 5xx/429: worth trying again later."""


class GatewayRefused(GatewayError):
    """The gateway refused the call (4xx): retrying the same call will not help."""

    def __init__(self, status_code: int, detail: Any) -> None:
        super().__init__(f"gateway answered {status_code}")
        self.status_code = status_code
        self.detail = detail


class ConversationNotFound(GatewayRefused):
    pass


class OutsideWindow(GatewayRefused):
    """409 on a send: outside WhatsApp's 24-hour window (or opted out); only a template may go."""


class NotTheOpenHandoff(GatewayRefused):
    """409 on handoff/end: the conversation's open handoff is another one (or none): the
    conversation is not this handoff's to give back any more."""


@dataclass(frozen=True)
class Author:
    """Who writes an agent's reply: the gateway stores it with the message for the transcript."""

    agent_id: int
    name: str


@dataclass(frozen=True)
class TranscriptConversation:
    id: str
    channel: str
    language: str | None
    within_window: bool


@dataclass(frozen=True)
class TranscriptMessage:
    id: int
    direction: str  # "in" | "out"
    author: str  # "member" | "bot" | "agent" | "system"
    agent_name: str | None
    text: str | None
    attachments: list[dict[str, Any]]
    status: str | None
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "direction": self.direction,
            "author": self.author,
            "agent_name": self.agent_name,
            "text": self.text,
            "attachments": self.attachments,
            "status": self.status,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class Transcript:
    conversation: TranscriptConversation
    messages: list[TranscriptMessage] = field(default_factory=list)  # oldest first


class GatewayClient:
    def __init__(
        self, *, http: httpx.AsyncClient, base_url: str, token: str, timeout_seconds: float
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._timeout = httpx.Timeout(timeout_seconds)

    async def transcript(self, conversation_id: str, *, limit: int = 200) -> Transcript:
        answer = await self._call(
            "GET", f"{_conversation_path(conversation_id)}/messages", params={"limit": limit}
        )
        try:
            return _parse_transcript(answer)
        except (KeyError, TypeError, ValueError) as error:
            raise GatewayUnavailable(
                "the gateway's transcript is not in the agreed shape"
            ) from error

    async def send(
        self,
        conversation_id: str,
        *,
        author: Author,
        text: str | None = None,
        template: str | None = None,
        variables: dict[str, str] | None = None,
    ) -> list[int]:
        """Queue a message for the member; the ids of the messages the gateway stored."""
        if (text is None) == (template is None):
            raise ValueError("give either text or template")
        body: dict[str, Any] = {"author": {"agent_id": author.agent_id, "name": author.name}}
        if text is not None:
            body["text"] = text
        else:
            body["template"] = {"name": template, "variables": variables or {}}
        try:
            answer = await self._call(
                "POST", f"{_conversation_path(conversation_id)}/messages", json=body
            )
        except GatewayRefused as refused:
            if refused.status_code == 409:
                raise OutsideWindow(refused.status_code, refused.detail) from None
            raise
        ids = answer.get("message_ids") if isinstance(answer, dict) else None
        return [int(i) for i in ids] if isinstance(ids, list) else []

    async def end_handoff(self, conversation_id: str, *, handoff_id: int) -> None:
        """Give the conversation back to the bot, which asks the member for a CSAT score."""
        try:
            await self._call(
                "POST",
                f"{_conversation_path(conversation_id)}/handoff/end",
                json={"handoff_id": handoff_id},
            )
        except GatewayRefused as refused:
            if refused.status_code == 409:
                raise NotTheOpenHandoff(refused.status_code, refused.detail) from None
            raise

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        try:
            response = await self._http.request(
                method,
                self._base_url + path,
                json=json,
                params=params,
                headers=self._headers,
                timeout=self._timeout,
            )
        except httpx.TransportError as error:  # connection refused, timeouts, protocol errors
            raise GatewayUnavailable(f"gateway unreachable: {type(error).__name__}") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise GatewayUnavailable(f"gateway answered {response.status_code}")
        if response.status_code >= 400:
            detail = _detail(response)
            if response.status_code == 404:
                raise ConversationNotFound(response.status_code, detail)
            raise GatewayRefused(response.status_code, detail)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError as error:
            raise GatewayUnavailable("gateway answered non-JSON") from error


def _conversation_path(conversation_id: str) -> str:
    return f"/api/conversations/{quote(conversation_id, safe='')}"


def _detail(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("detail") if isinstance(body, dict) else None


def _parse_transcript(answer: Any) -> Transcript:
    conversation = answer["conversation"]
    return Transcript(
        conversation=TranscriptConversation(
            id=str(conversation["id"]),
            channel=str(conversation["channel"]),
            language=conversation.get("language"),
            within_window=bool(conversation.get("within_window", False)),
        ),
        messages=[
            TranscriptMessage(
                id=int(message["id"]),
                direction=str(message["direction"]),
                author=str(message.get("author") or "system"),
                agent_name=message.get("agent_name"),
                text=message.get("text"),
                attachments=list(message.get("attachments") or []),
                status=message.get("status"),
                at=datetime.fromisoformat(message["at"]),
            )
            for message in answer["messages"]
        ],
    )

"""The gateway's outbound API (docs/channels.md), as the worker uses it: a proactive WhatsApp
template to a conversation, sent or refused with the gateway's reason."""

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Sent:
    message_id: int


@dataclass(frozen=True)
class Refused:
    reason: str  # the gateway's: "opted_out", "no such conversation"...


class GatewayMessages:
    """Calls the gateway with `http`, whose base URL and bearer token are set."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def send_template(
        self, conversation_id: str, name: str, variables: dict[str, str]
    ) -> Sent | Refused:
        response = await self._http.post(
            f"/api/conversations/{conversation_id}/messages",
            json={"template": {"name": name, "variables": variables}, "proactive": True},
        )
        if response.status_code in (
            httpx.codes.NOT_FOUND,
            httpx.codes.CONFLICT,
            httpx.codes.UNPROCESSABLE_ENTITY,
        ):
            # A decision about this member (opted out, unknown, wrong channel): asking again
            # would not change it.
            return Refused(str(response.json().get("detail")))
        response.raise_for_status()
        return Sent(int(response.json()["message_ids"][0]))

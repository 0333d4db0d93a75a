"""Running a journey action the way the action server does: a tracker as Rasa sends it, the
real insurer sandbox behind `insurer()`, and what the member would see."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import HANDOFF_REQUEST
from actions.insurer import InsurerClient, InsurerSettings, use_insurer

# The sandbox's demo members (docs/insurer-api.md).
ANA = {"document": "529.982.247-25", "born": "14/03/1985", "phone": "+5511987654321"}
BRUNO = {"document": "111.444.777-35", "born": "02/07/1990", "phone": "+5521912345678"}
CAMILA = {"document": "12.345.678-5", "born": "30/11/1988", "phone": "+56912345678"}
DIEGO = {"document": "12345678Z", "born": "21/05/1979", "phone": "+34612345678"}
VERIFIED = {
    "M0001": {"member_first_name": "Ana", "member_market": "BR", "language": "pt"},
    "M0002": {"member_first_name": "Bruno", "member_market": "BR", "language": "pt"},
    "M0003": {"member_first_name": "Camila", "member_market": "CL", "language": "es"},
    "M0004": {"member_first_name": "Diego", "member_market": "ES", "language": "es"},
}


@asynccontextmanager
async def insurer_at(
    url: str, api_key: str = "any key", **settings: Any
) -> AsyncIterator[InsurerClient]:
    """`insurer()` is a client of `url` (the sandbox, an insurer down, one too slow) for the
    block."""
    client = connect(url, api_key, **settings)
    use_insurer(client)
    try:
        yield client
    finally:
        use_insurer(None)
        await client.close()


def connect(url: str, api_key: str, **settings: Any) -> InsurerClient:
    quick = {"attempt_timeout": 2.0, "budget": 3.0, "backoff_initial": 0.05, "backoff_jitter": 0}
    return InsurerClient(InsurerSettings(base_url=url, api_key=api_key, **{**quick, **settings}))


def verified(member_id: str, **slots: Any) -> dict[str, Any]:
    return {
        "identity_verified": True,
        "identity_outcome": "verified",
        "member_id": member_id,
        **VERIFIED[member_id],
        **slots,
    }


def said(response: str) -> dict[str, Any]:
    """An earlier message of the assistant, as the tracker holds it."""
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


@dataclass
class Turn:
    """One member message and the slots before it."""

    text: str
    intent: str = "inform"
    slots: dict[str, Any] = field(default_factory=dict)
    entities: list[dict[str, Any]] = field(default_factory=list)
    channel: str = "whatsapp"
    phone: str | None = None
    # The gateway's id of this message (channels/processor.py).
    message_id: int | None = None
    attachments: list[str] = field(default_factory=list)
    urgency: dict[str, Any] | None = None
    # A form's turn: the loop, the slot asked, and the values extracted from this message.
    form: str | None = None
    requested: str | None = None
    candidates: dict[str, Any] = field(default_factory=dict)
    # What the assistant said before, e.g. [said("utter_coverage_unknown")].
    earlier: list[dict[str, Any]] = field(default_factory=list)

    def tracker(self, sender: str = "member-1") -> Tracker:
        acolhe: dict[str, Any] = {"channel": self.channel, "history": {}}
        if self.phone:
            acolhe["phone"] = self.phone
        if self.message_id is not None:
            acolhe["message_id"] = self.message_id
        metadata: dict[str, Any] = {"acolhe": acolhe}
        if self.attachments:
            metadata["attachments"] = [
                {"id": a, "content_type": "image/jpeg"} for a in self.attachments
            ]
        latest = {
            "text": self.text,
            "intent": {"name": self.intent, "confidence": 0.99},
            "entities": self.entities,
            "metadata": metadata,
            "urgency": self.urgency or {"level": "none", "reasons": []},
        }
        slots = {"language": "pt", **self.slots, **self.candidates}
        if self.form:
            slots["requested_slot"] = self.requested
        events: list[dict[str, Any]] = [
            *self.earlier,
            {"event": "user", "text": self.text, "parse_data": latest, "metadata": metadata},
        ]
        events += [{"event": "slot", "name": k, "value": v} for k, v in self.candidates.items()]
        return Tracker(
            sender,
            slots,
            latest,
            events,
            False,
            None,
            {"name": self.form} if self.form else {},
            "action_listen",
        )


@dataclass
class Answer:
    responses: list[str]
    messages: list[dict[str, Any]]
    slots: dict[str, Any]
    events: list[dict[str, Any]]

    @property
    def left_the_form(self) -> bool:
        return any(e.get("event") == "active_loop" and e.get("name") is None for e in self.events)

    @property
    def texts(self) -> list[str]:
        """What the action wrote itself (codes, lists), beside its named responses."""
        return [m["text"] for m in self.messages if m.get("text")]

    def said(self, response: str) -> dict[str, Any]:
        """The variables of one response the action sent."""
        (message,) = [m for m in self.messages if m.get("response") == response]
        return message

    @property
    def handoff(self) -> dict[str, Any] | None:
        requests = [m["custom"][HANDOFF_REQUEST] for m in self.messages if m.get("custom")]
        return requests[0] if requests else None


@cache
def domain() -> dict[str, Any]:
    """The assistant's domain, as the action server gets it from Rasa (forms and their slots)."""
    return yaml.safe_load((Path(__file__).parents[3] / "domain.yml").read_text(encoding="utf-8"))


async def run(action: Action, turn: Turn, sender: str = "member-1") -> Answer:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, turn.tracker(sender), domain())
    return Answer(
        responses=[m["response"] for m in dispatcher.messages if m.get("response")],
        messages=dispatcher.messages,
        slots={e["name"]: e["value"] for e in events if e.get("event") == "slot"},
        events=events,
    )

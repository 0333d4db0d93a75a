"""What an agent may see of a handoff: LGPD's "only what the task needs" (DOMAIN.md).

Who may open a handoff: the agents whose queues hold its skill (supervisors and admins: every
queue) and the agent who holds it. Everyone else gets 403, and the queue never lists it to them.

Clinical details are health data, and a collections conversation must never touch diagnoses
(DOMAIN.md, CDC art. 42). So a view leaves them out when either
- the handoff is a collections one (whoever looks, supervisors included: nothing in a debt
  negotiation needs them), or
- the viewer is an agent none of whose skills needs them (only `collections`): this happens when a
  supervisor hands such an agent a handoff of another skill.
What "clinical details" are, in such a restricted view:
- reasons: only the routing reasons below are shown; urgency reasons ("chest_pain",
  "suicide_risk", ...) and any reason the service does not know are left out;
- summary: the urgency signal is dropped, and of the bot's slots only those named for identity and
  money (RESTRICTED_VIEW_SLOTS, RESTRICTED_VIEW_SLOT_PREFIXES) are kept;
- timeline: the reasons in its entries' details are dropped;
- notes: only notes written while the handoff was a collections one;
- member text: the agent must read what the member writes to answer them, so the summary's last
  turns and the transcript stay; but the transcript starts when the handoff opened, leaving out
  the conversation's earlier history (an authorization request weeks ago, say).
A full view shows everything. Every detail view is audited (conversation.viewed) with which of
the two it was.
"""

from collections.abc import Sequence
from typing import Any

from handoff.agents.models import Agent, Role, Skill
from handoff.gateway_client import TranscriptMessage
from handoff.notes.models import HandoffNote
from handoff.queue.eligibility import can_take
from handoff.queue.enums import Reason
from handoff.queue.models import Handoff, HandoffEvent, as_utc

# Skills whose work may need clinical details.
CLINICAL_NEED_SKILLS = frozenset(
    {Skill.FRONT_LINE, Skill.TECHNICAL, Skill.CLINICAL, Skill.SUPERVISOR}
)
# Why the bot handed over, as bot/escalation.yml routes it: none of these says anything clinical.
NON_CLINICAL_REASONS = frozenset(
    {reason.value for reason in Reason if reason != Reason.RED_URGENCY} | {"not_understood"}
)
RESTRICTED_VIEW_SLOTS = frozenset(
    {"language", "identity_verified", "member_name", "member_first_name", "member_id", "cpf"}
)
RESTRICTED_VIEW_SLOT_PREFIXES = (
    "debt",
    "invoice",
    "payment",
    "agreement",
    "installment",
    "boleto",
    "pix",
    "amount",
    "due_date",
    "plan",
    "contract",
    # The assistant's negotiation (offers, the one picked) and the promises to pay not kept
    # (actions/negotiation/): what a negotiator needs to go on.
    "negotiation",
    "broken_agreement",
)
# Timeline detail keys that may carry urgency reasons.
_REASON_KEYS = ("reasons", "added_reasons")


def may_view(agent: Agent, handoff: Handoff) -> bool:
    return handoff.assigned_agent_id == agent.id or can_take(agent, handoff.skill)


def sees_clinical_details(agent: Agent, handoff: Handoff) -> bool:
    if handoff.skill == Skill.COLLECTIONS:
        return False
    if agent.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    return any(skill in CLINICAL_NEED_SKILLS for skill in agent.skills)


def visible_reasons(reasons: Sequence[str], *, clinical: bool) -> list[str]:
    if clinical:
        return list(reasons)
    return [reason for reason in reasons if reason in NON_CLINICAL_REASONS]


def visible_summary(summary: dict[str, Any], *, clinical: bool) -> dict[str, Any]:
    if clinical:
        return summary
    shown = {key: value for key, value in summary.items() if key not in ("signals", "slots")}
    signals = summary.get("signals")
    if isinstance(signals, dict):
        shown["signals"] = {key: value for key, value in signals.items() if key != "urgency"}
    slots = summary.get("slots")
    if isinstance(slots, dict):
        shown["slots"] = {name: value for name, value in slots.items() if _money_or_identity(name)}
    return shown


def visible_timeline_detail(detail: dict[str, Any], *, clinical: bool) -> dict[str, Any]:
    if clinical:
        return detail
    return {key: value for key, value in detail.items() if key not in _REASON_KEYS}


def visible_notes(notes: Sequence[HandoffNote], *, clinical: bool) -> list[HandoffNote]:
    if clinical:
        return list(notes)
    return [note for note in notes if note.skill == Skill.COLLECTIONS]


def visible_transcript(
    messages: Sequence[TranscriptMessage], *, handoff: Handoff, clinical: bool
) -> list[TranscriptMessage]:
    if clinical:
        return list(messages)
    opened = as_utc(handoff.created_at)
    return [message for message in messages if as_utc(message.at) >= opened]


def visible_events(events: Sequence[HandoffEvent], *, clinical: bool) -> list[dict[str, Any]]:
    return [
        {
            "name": event.name,
            "at": as_utc(event.at).isoformat(),
            "actor_agent_id": event.actor_agent_id,
            "detail": visible_timeline_detail(event.detail or {}, clinical=clinical),
        }
        for event in events
    ]


def member_first_name(summary: dict[str, Any]) -> str | None:
    """For greetings: the first name the assistant learnt, if it did."""
    slots = summary.get("slots")
    if not isinstance(slots, dict):
        return None
    for name in ("member_first_name", "member_name", "name"):
        value = slots.get(name)
        if isinstance(value, str) and value.strip():
            return value.split()[0].capitalize()
    return None


def _money_or_identity(slot: str) -> bool:
    return slot in RESTRICTED_VIEW_SLOTS or slot.startswith(RESTRICTED_VIEW_SLOT_PREFIXES)

"""The words of the handoff queue: priorities, statuses, reasons and timeline event names."""

from enum import StrEnum


class Priority(StrEnum):
    """DOMAIN.md's alert colours. Red is a clinical urgency and is answered 24/7."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def rank(self) -> int:
        """0 is the most urgent; queues are read in ascending rank."""
        return PRIORITY_ORDER.index(self)

    def is_more_urgent_than(self, other: "Priority") -> bool:
        return self.rank < other.rank


PRIORITY_ORDER = (Priority.RED, Priority.YELLOW, Priority.GREEN)


class HandoffStatus(StrEnum):
    WAITING = "waiting"  # in a skill's queue, nobody holds it
    ASSIGNED = "assigned"  # an agent holds it
    RESOLVED = "resolved"  # closed; the conversation goes back to the bot


OPEN_STATUSES = (HandoffStatus.WAITING, HandoffStatus.ASSIGNED)


class Language(StrEnum):
    PT = "pt"
    ES = "es"


class Reason(StrEnum):
    """Why the bot handed over. Stored as plain strings: a reason the bot learns later is kept
    rather than refused, because refusing would leave the member without a person."""

    MEMBER_ASKED = "member_asked"
    RED_URGENCY = "red_urgency"
    FRUSTRATION = "frustration"
    FALLBACKS = "fallbacks"
    REPEATED_QUESTION = "repeated_question"
    COMPLAINT_THREAT = "complaint_threat"
    BACKEND_FAILURE = "backend_failure"
    IDENTITY_FAILED = "identity_failed"


class EventName(StrEnum):
    """Names of the timeline entries, and of the messages published to the consoles."""

    OPENED = "handoff.opened"
    REQUESTED_AGAIN = "handoff.requested_again"  # the bot asked again while one was open
    ASSIGNED = "handoff.assigned"  # by auto-assignment
    CLAIMED = "handoff.claimed"  # taken by hand from the queue
    TRANSFERRED = "handoff.transferred"
    AGENT_REPLIED = "handoff.agent_replied"  # the first reply only; replies live in the gateway
    RESOLVED = "handoff.resolved"
    SLA_BREACHED = "handoff.sla_breached"
    ESCALATED = "handoff.escalated"


class PresenceStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"

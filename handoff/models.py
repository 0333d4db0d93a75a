"""Every table of the handoff service, imported here so that `create_tables` makes them all."""

from handoff.agents.models import Agent
from handoff.audit.models import AuditEntry, AuditHead
from handoff.console.auth.models import ConsoleSession, UsedTotpStep
from handoff.handback.models import Handback
from handoff.notes.models import HandoffNote
from handoff.queue.models import AgentPresence, Handoff, HandoffEvent, ProtocolSequence
from handoff.satisfaction.models import CsatAnswer, FollowUpTask
from handoff.sla.models import SlaBreach

__all__ = [
    "Agent",
    "AgentPresence",
    "AuditEntry",
    "AuditHead",
    "ConsoleSession",
    "CsatAnswer",
    "FollowUpTask",
    "Handback",
    "Handoff",
    "HandoffEvent",
    "HandoffNote",
    "ProtocolSequence",
    "SlaBreach",
    "UsedTotpStep",
]

"""What the audit log records (actions) and who did it (actors), as constants.

Actions read `<thing>.<what happened>`, past tense. Add new ones here rather than inventing strings
at the call site, so that the log stays searchable.
"""

from enum import StrEnum

BOT = "bot"
SYSTEM = "system"  # the service itself: SLA sweeps, expiries
CLI = "cli"  # an operator at the admin command line (python -m handoff.agents)
ANONYMOUS = "anonymous"  # a login attempt that named no known agent


def agent_actor(agent_id: int) -> str:
    return f"agent:{agent_id}"


class AuditAction(StrEnum):
    # --- the console's security (handoff/console/auth)
    # First factor only; the TOTP step is still due.
    LOGIN_PASSWORD_ACCEPTED = "login.password_accepted"  # noqa: S105
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGIN_LOCKED = "login.locked"  # too many failures: attempts refused for a while
    TOTP_ENROLLED = "totp.enrolled"
    TOTP_FAILED = "totp.failed"
    TOTP_RESET = "totp.reset"
    SESSION_LOGOUT = "session.logout"
    SESSION_EXPIRED = "session.expired"
    PASSWORD_CHANGED = "password.changed"  # noqa: S105
    PASSWORD_CHANGE_FAILED = "password.change_failed"  # noqa: S105
    # --- agents (handoff/agents)
    AGENT_CREATED = "agent.created"
    AGENT_DEACTIVATED = "agent.deactivated"
    # --- member data and conversations (the console's pages)
    CONVERSATION_VIEWED = "conversation.viewed"
    MEMBER_DATA_VIEWED = "member_data.viewed"
    MESSAGE_SENT = "message.sent"
    # --- the queue (handoff/queue)
    HANDOFF_CREATED = "handoff.created"
    HANDOFF_CLAIMED = "handoff.claimed"
    HANDOFF_ASSIGNED = "handoff.assigned"
    HANDOFF_TRANSFERRED = "handoff.transferred"
    HANDOFF_RELEASED = "handoff.released"
    HANDOFF_CLOSED = "handoff.closed"
    # --- the console's other actions (handoff/console)
    NOTE_ADDED = "note.added"
    PRESENCE_CHANGED = "presence.changed"
    FOLLOWUP_COMPLETED = "followup.completed"

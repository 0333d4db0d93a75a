"""The tamper-evident audit log: every agent action and every view of member data, hash-chained.

`append` writes an entry inside the caller's transaction (so it commits with the action it records);
`record` does the same in a transaction of its own. `verify_chain` and `python -m handoff.audit
verify` walk the chain and name the first entry that breaks it.
"""

from handoff.audit.actions import ANONYMOUS, BOT, CLI, SYSTEM, AuditAction, agent_actor
from handoff.audit.chain import append, record
from handoff.audit.verify import ChainReport, verify_chain

__all__ = [
    "ANONYMOUS",
    "BOT",
    "CLI",
    "SYSTEM",
    "AuditAction",
    "ChainReport",
    "agent_actor",
    "append",
    "record",
    "verify_chain",
]

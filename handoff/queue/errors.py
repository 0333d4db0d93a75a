"""What the queue refuses, so the HTTP layer can map each to a status code."""


class QueueError(Exception):
    """Base class: the request was understood and refused."""


class HandoffNotFound(QueueError):
    pass


class AgentNotFound(QueueError):
    """No such agent, or the agent is deactivated."""


class NotAllowed(QueueError):
    """The agent may not do this: not their skill, not their handoff."""


class HandoffTaken(QueueError):
    """The handoff is no longer in the state the action needs (another agent took it, or it was
    resolved meanwhile)."""


class AgentAtCapacity(QueueError):
    """The agent already holds as many conversations as their capacity allows."""

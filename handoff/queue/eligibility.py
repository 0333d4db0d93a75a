"""Who may see and take which handoffs."""

from sqlalchemy.ext.asyncio import AsyncSession

from handoff.agents.models import Agent, Role, Skill
from handoff.queue.errors import AgentNotFound

KNOWN_SKILLS = frozenset(skill.value for skill in Skill)


def sees_every_queue(agent: Agent) -> bool:
    """Supervisors (by role or by skill) and admins see, take and transfer any handoff."""
    return agent.role in (Role.SUPERVISOR, Role.ADMIN) or Skill.SUPERVISOR in agent.skills


def visible_skills(agent: Agent) -> list[str]:
    if sees_every_queue(agent):
        return [skill.value for skill in Skill]
    return [skill for skill in agent.skills if skill in KNOWN_SKILLS]


def can_take(agent: Agent, skill: str) -> bool:
    return agent.active and (skill in agent.skills or sees_every_queue(agent))


async def active_agent(session: AsyncSession, agent_id: int) -> Agent:
    agent = await session.get(Agent, agent_id)
    if agent is None or not agent.active:
        raise AgentNotFound(f"no active agent {agent_id}")
    return agent

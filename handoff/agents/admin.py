"""Managing agents' accounts: what the admin CLI (python -m handoff.agents) and `make run` call.

Every change is audited with the given actor, and any change that must lock someone out
(deactivation, a new password, a TOTP reset) ends their sessions at once.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handoff.agents.models import Agent, Role, Skill
from handoff.audit import CLI, AuditAction, agent_actor, append
from handoff.console.auth.passwords import Passwords, generate_password
from handoff.console.auth.sessions import end_all
from handoff.console.auth.settings import ConsoleAuthSettings

LOGIN_FORMAT = re.compile(r"[^@\s]+@[^@\s]+")
MAX_CAPACITY = 50

DEMO_LOGIN = "demo@acolhe.local"
DEMO_NAME = "Demo supervisor"


class AgentProblem(ValueError):
    """A request the agents' accounts cannot take (bad login, unknown skill, duplicate...)."""


@dataclass(frozen=True)
class DemoAgent:
    login: str
    password: str


def normalised_login(login: str) -> str:
    login = login.strip().lower()
    if len(login) > 254 or not LOGIN_FORMAT.fullmatch(login):
        raise AgentProblem("the login must be an e-mail address")
    return login


def checked_skills(skills: Sequence[str]) -> list[str]:
    known = {skill.value for skill in Skill}
    unknown = sorted(set(skills) - known)
    if unknown:
        raise AgentProblem(f"unknown skills {unknown}; known: {sorted(known)}")
    return sorted(set(skills))


async def create_agent(
    sessions: async_sessionmaker[AsyncSession],
    passwords: Passwords,
    *,
    login: str,
    display_name: str,
    role: str,
    skills: Sequence[str],
    capacity: int,
    password: str,
    actor: str = CLI,
) -> Agent:
    """A new agent, who enrols a TOTP device at their first login."""
    login = normalised_login(login)
    if role not in {r.value for r in Role}:
        raise AgentProblem(f"unknown role {role!r}; known: {[r.value for r in Role]}")
    if not 0 <= capacity <= MAX_CAPACITY:
        raise AgentProblem(f"capacity must be between 0 and {MAX_CAPACITY}")
    if not display_name.strip():
        raise AgentProblem("the display name is empty")
    skill_list = checked_skills(skills)
    passwords.check_strength(password)
    password_hash = await passwords.hash_in_thread(password)
    async with sessions() as db:
        if await _by_login(db, login) is not None:
            raise AgentProblem("an agent with this login exists already")
        agent = Agent(
            login=login,
            display_name=display_name.strip(),
            role=role,
            skills=skill_list,
            capacity=capacity,
            password_hash=password_hash,
            active=True,
        )
        db.add(agent)
        try:
            await db.flush()
        except IntegrityError as error:  # created meanwhile by someone else
            raise AgentProblem("an agent with this login exists already") from error
        await append(
            db,
            actor=actor,
            action=AuditAction.AGENT_CREATED,
            subject=agent_actor(agent.id),
            detail={"role": role, "skills": skill_list, "capacity": capacity},
        )
        await db.commit()
        return agent


async def list_agents(sessions: async_sessionmaker[AsyncSession]) -> list[Agent]:
    async with sessions() as db:
        return list(await db.scalars(select(Agent).order_by(Agent.id)))


async def deactivate_agent(
    sessions: async_sessionmaker[AsyncSession], *, login: str, actor: str = CLI
) -> Agent:
    """The agent can no longer log in; their open sessions end now."""
    async with sessions() as db:
        agent = await _existing(db, login)
        agent.active = False
        ended = await end_all(db, agent_id=agent.id)
        await append(
            db,
            actor=actor,
            action=AuditAction.AGENT_DEACTIVATED,
            subject=agent_actor(agent.id),
            detail={"sessions_ended": ended},
        )
        await db.commit()
        return agent


async def reset_totp(
    sessions: async_sessionmaker[AsyncSession], *, login: str, actor: str = CLI
) -> Agent:
    """For a lost phone: the agent enrols a new authenticator at their next login."""
    async with sessions() as db:
        agent = await _existing(db, login)
        agent.totp_secret_encrypted = None
        ended = await end_all(db, agent_id=agent.id)
        await append(
            db,
            actor=actor,
            action=AuditAction.TOTP_RESET,
            subject=agent_actor(agent.id),
            detail={"sessions_ended": ended},
        )
        await db.commit()
        return agent


async def set_password(
    sessions: async_sessionmaker[AsyncSession],
    passwords: Passwords,
    *,
    login: str,
    password: str,
    actor: str = CLI,
) -> Agent:
    """A new password set by an operator; every session of the agent ends."""
    passwords.check_strength(password)
    password_hash = await passwords.hash_in_thread(password)
    async with sessions() as db:
        agent = await _existing(db, login)
        agent.password_hash = password_hash
        ended = await end_all(db, agent_id=agent.id)
        await append(
            db,
            actor=actor,
            action=AuditAction.PASSWORD_CHANGED,
            subject=agent_actor(agent.id),
            detail={"sessions_ended": ended, "by_operator": True},
        )
        await db.commit()
        return agent


async def seed_demo_agent(
    sessions: async_sessionmaker[AsyncSession],
    settings: ConsoleAuthSettings | None = None,
    *,
    login: str = DEMO_LOGIN,
) -> DemoAgent:
    """A supervisor with every skill for `make run`, with a fresh random password each call.

    Run again, it keeps the agent (and their enrolled authenticator) and only replaces the
    password, since the previous one was printed to an earlier terminal. TOTP enrolment happens
    at the first login, on the console page.
    """
    passwords = Passwords.from_settings(settings or ConsoleAuthSettings())
    password = generate_password()
    async with sessions() as db:
        exists = await _by_login(db, login) is not None
    if exists:
        await set_password(sessions, passwords, login=login, password=password)
    else:
        await create_agent(
            sessions,
            passwords,
            login=login,
            display_name=DEMO_NAME,
            role=Role.SUPERVISOR,
            skills=[skill.value for skill in Skill],
            capacity=5,
            password=password,
        )
    return DemoAgent(login=login, password=password)


async def _by_login(db: AsyncSession, login: str) -> Agent | None:
    return await db.scalar(select(Agent).where(Agent.login == login))


async def _existing(db: AsyncSession, login: str) -> Agent:
    agent = await _by_login(db, normalised_login(login))
    if agent is None:
        raise AgentProblem("no agent has this login")
    return agent

"""What routes declare to be reached only by a logged-in agent.

    @router.get("/conversations")
    async def conversations(agent: CurrentAgent) -> ...

    @router.post("/agents", dependencies=[Depends(require_role(Role.ADMIN))])

Every dependency here also refuses state-changing requests (POST/PUT/PATCH/DELETE) that fail the
CSRF checks (csrf.py), so a route that uses one is protected without further ado. The agent they
give is a snapshot loaded for this request, detached from any SQL session.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, WebSocket, WebSocketException, status

from handoff.agents.models import Agent, Role
from handoff.audit import AuditAction, agent_actor, append
from handoff.console.auth import sessions
from handoff.console.auth.cookies import cleared_cookie_headers
from handoff.console.auth.csrf import csrf_problem, csrf_token_for, origin_problem
from handoff.console.auth.errors import AuthRefused, Reason, unauthenticated
from handoff.console.auth.models import ConsoleSession, Stage
from handoff.console.auth.runtime import AuthServices, auth_services

Services = Annotated[AuthServices, Depends(auth_services)]


@dataclass(frozen=True)
class SessionContext:
    """A live session and its agent; `token` is the cookie's secret, for the CSRF token."""

    row: ConsoleSession
    agent: Agent
    token: str

    @property
    def stage(self) -> Stage:
        return Stage(self.row.stage)

    @property
    def csrf_token(self) -> str:
        return csrf_token_for(self.token)


async def resolve_session(
    services: AuthServices,
    *,
    token: str | None,
    method: str | None,
    headers: dict[str, str],
) -> SessionContext:
    """The session this cookie token opens, after the CSRF checks for `method` (None: skip)."""
    auth = services.auth
    dead_cookie = cleared_cookie_headers(auth)
    if not token:
        raise unauthenticated(Reason.NOT_LOGGED_IN, "log in to use the console")
    if method is not None:
        problem = csrf_problem(
            method, headers, session_token=token, allowed_origin=auth.settings.origin
        )
        if problem:
            raise AuthRefused(status.HTTP_403_FORBIDDEN, Reason.CSRF_FAILED, problem)
    now = auth.now()
    async with services.sessions() as db:
        found = await sessions.find(db, token)
        if found is None:
            raise unauthenticated(
                Reason.NOT_LOGGED_IN, "log in to use the console", headers=dead_cookie
            )
        row, agent = found
        if not agent.active:
            await sessions.end(db, row.id)
            await db.commit()
            raise unauthenticated(
                Reason.NOT_LOGGED_IN, "this account is deactivated", headers=dead_cookie
            )
        if sessions.has_expired(row, policy=auth.policy, now=now):
            await sessions.end(db, row.id)
            await append(
                db,
                actor=agent_actor(agent.id),
                action=AuditAction.SESSION_EXPIRED,
                subject=agent_actor(agent.id),
                detail={"stage": row.stage},
                at=now,
            )
            await db.commit()
            raise unauthenticated(
                Reason.SESSION_EXPIRED, "the session expired; log in again", headers=dead_cookie
            )
        if sessions.touch(row, now=now):
            await db.commit()
        return SessionContext(row=row, agent=agent, token=token)


async def any_session(request: Request, services: Services) -> SessionContext:
    """A session at either stage: password only, or both factors."""
    return await resolve_session(
        services,
        token=request.cookies.get(services.auth.cookie_name),
        method=request.method,
        headers=dict(request.headers),
    )


async def full_session(session: Annotated[SessionContext, Depends(any_session)]) -> SessionContext:
    if session.stage != Stage.FULL:
        raise unauthenticated(
            Reason.SECOND_FACTOR_REQUIRED, "enter the code from your authenticator app first"
        )
    return session


async def password_only_session(
    session: Annotated[SessionContext, Depends(any_session)],
) -> SessionContext:
    """A session still waiting for its second factor (the TOTP and enrolment steps)."""
    if session.stage != Stage.PASSWORD:
        raise AuthRefused(
            status.HTTP_409_CONFLICT, Reason.ALREADY_LOGGED_IN, "this session is fully logged in"
        )
    return session


AnySession = Annotated[SessionContext, Depends(any_session)]
FullSession = Annotated[SessionContext, Depends(full_session)]
PasswordOnlySession = Annotated[SessionContext, Depends(password_only_session)]


async def current_agent(session: FullSession) -> Agent:
    return session.agent


CurrentAgent = Annotated[Agent, Depends(current_agent)]


def require_role(*roles: Role) -> Callable[[Agent], Awaitable[Agent]]:
    """A dependency giving the current agent if their role is one of `roles` (403 otherwise).

    Roles are listed explicitly, not ranked: require_role(Role.SUPERVISOR, Role.ADMIN).
    """
    allowed = frozenset(roles)
    if not allowed:
        raise ValueError("require_role needs at least one role")

    async def agent_with_role(agent: CurrentAgent) -> Agent:
        if agent.role not in allowed:
            raise AuthRefused(
                status.HTTP_403_FORBIDDEN,
                Reason.ROLE_REQUIRED,
                f"this needs the role {' or '.join(sorted(allowed))}",
            )
        return agent

    return agent_with_role


CurrentSupervisor = Annotated[Agent, Depends(require_role(Role.SUPERVISOR, Role.ADMIN))]
CurrentAdmin = Annotated[Agent, Depends(require_role(Role.ADMIN))]


def can_work_skill(agent: Agent, skill: str) -> bool:
    """Whether the agent may work conversations that need `skill`: agents those of their own
    skills, supervisors and admins all of them."""
    if not agent.active:
        return False
    if agent.role in (Role.SUPERVISOR, Role.ADMIN):
        return True
    return skill in (agent.skills or [])


async def websocket_agent(websocket: WebSocket, services: Services) -> Agent:
    """The agent behind a console websocket: full session, opened from the console's origin.

    A websocket handshake is not subject to CORS and carries no CSRF header; its Origin is what
    tells the console's own page from another site's (cross-site websocket hijacking).
    """
    problem = origin_problem(dict(websocket.headers), allowed_origin=services.auth.settings.origin)
    if problem:
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, reason=problem)
    try:
        session = await resolve_session(
            services,
            token=websocket.cookies.get(services.auth.cookie_name),
            method=None,
            headers=dict(websocket.headers),
        )
    except AuthRefused as refusal:
        raise WebSocketException(status.WS_1008_POLICY_VIOLATION, reason=refusal.reason) from None
    if session.stage != Stage.FULL:
        raise WebSocketException(
            status.WS_1008_POLICY_VIOLATION, reason=Reason.SECOND_FACTOR_REQUIRED
        )
    return session.agent


WebSocketAgent = Annotated[Agent, Depends(websocket_agent)]

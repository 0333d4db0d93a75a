"""The console's login API, under /console/api:

    POST /login                     {login, password}  → {stage: "totp"|"enrol", csrf_token}
    POST /totp                      {code}             → {stage: "full", csrf_token}
    POST /totp/enrolment                               → {secret, provisioning_uri, qr_svg}
    POST /totp/enrolment/confirm    {code}             → {stage: "full", csrf_token}
    GET  /session                                      → {stage, csrf_token, agent?}
    POST /password                  {current_password, new_password} → {stage: "full", csrf_token}
    POST /logout                                       → 204

Each step sets a new session cookie. Every POST but /login needs the X-CSRF-Token header; every
POST needs the console's Origin. Refusals: {"detail": {"reason", "message"}} (errors.py).
"""

from fastapi import APIRouter, Depends, FastAPI, Request, Response, status

from handoff.console.auth import login_flow
from handoff.console.auth.cookies import clear_session_cookie, set_session_cookie
from handoff.console.auth.csrf import csrf_token_for, origin_problem
from handoff.console.auth.dependencies import (
    AnySession,
    FullSession,
    PasswordOnlySession,
    Services,
    SessionContext,
)
from handoff.console.auth.errors import AuthRefused, Reason
from handoff.console.auth.models import Stage
from handoff.console.auth.runtime import (
    AuthServices,
    Clock,
    ConsoleAuth,
    attach_console_auth,
    client_ip,
    utc_now,
)
from handoff.console.auth.schemas import (
    AgentView,
    CodeRequest,
    EnrolmentResponse,
    LoginRequest,
    NextStep,
    PasswordChangeRequest,
    SessionResponse,
    StepResponse,
)
from handoff.console.auth.sessions import Issued
from handoff.console.auth.settings import ConsoleAuthSettings

API_PREFIX = "/console/api"


def install_console_auth(
    app: FastAPI, settings: ConsoleAuthSettings, *, clock: Clock = utc_now
) -> ConsoleAuth:
    """Check the settings (refusing default secrets), keep what the dependencies need on the app,
    and mount the login API. The app's lifespan must provide app.state.sessions and
    app.state.redis, as common/app.py's does."""
    auth = ConsoleAuth.create(settings, clock=clock)
    attach_console_auth(app, auth)
    app.include_router(create_auth_router())
    return auth


async def console_origin_only(request: Request, services: Services) -> None:
    """No session yet at login, so no CSRF token: the Origin check stands alone (login CSRF)."""
    problem = origin_problem(dict(request.headers), allowed_origin=services.auth.settings.origin)
    if problem:
        raise AuthRefused(status.HTTP_403_FORBIDDEN, Reason.FORBIDDEN_ORIGIN, problem)


def create_auth_router(prefix: str = API_PREFIX) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=["console auth"])

    @router.post("/login", dependencies=[Depends(console_origin_only)])
    async def login(
        body: LoginRequest, request: Request, response: Response, services: Services
    ) -> StepResponse:
        accepted = await login_flow.check_password(
            services,
            login=body.login,
            password=body.password,
            ip=client_ip(request),
            previous_token=request.cookies.get(services.auth.cookie_name),
        )
        return _step(response, services, accepted.issued, stage=accepted.next_step)

    @router.post("/totp")
    async def verify_code(
        body: CodeRequest,
        request: Request,
        response: Response,
        session: PasswordOnlySession,
        services: Services,
    ) -> StepResponse:
        issued = await login_flow.check_code(
            services, session, code=body.code, ip=client_ip(request)
        )
        return _step(response, services, issued, stage="full")

    @router.post("/totp/enrolment")
    async def start_enrolment(
        session: PasswordOnlySession, services: Services
    ) -> EnrolmentResponse:
        enrolment = await login_flow.start_enrolment(services, session)
        return EnrolmentResponse(
            secret=enrolment.secret,
            provisioning_uri=enrolment.provisioning_uri,
            qr_svg=enrolment.qr_svg,
        )

    @router.post("/totp/enrolment/confirm")
    async def confirm_enrolment(
        body: CodeRequest,
        request: Request,
        response: Response,
        session: PasswordOnlySession,
        services: Services,
    ) -> StepResponse:
        issued = await login_flow.confirm_enrolment(
            services, session, code=body.code, ip=client_ip(request)
        )
        return _step(response, services, issued, stage="full")

    @router.get("/session")
    async def current_session(session: AnySession) -> SessionResponse:
        return SessionResponse(
            stage=_stage_of(session),
            csrf_token=session.csrf_token,
            agent=_agent_view(session) if session.stage == Stage.FULL else None,
        )

    @router.post("/password")
    async def change_password(
        body: PasswordChangeRequest,
        request: Request,
        response: Response,
        session: FullSession,
        services: Services,
    ) -> StepResponse:
        issued = await login_flow.change_password(
            services,
            session,
            current_password=body.current_password,
            new_password=body.new_password,
            ip=client_ip(request),
        )
        return _step(response, services, issued, stage="full")

    @router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
    async def logout(response: Response, session: AnySession, services: Services) -> None:
        await login_flow.logout(services, session)
        clear_session_cookie(response, services.auth)

    return router


def _step(
    response: Response, services: AuthServices, issued: Issued, *, stage: NextStep
) -> StepResponse:
    set_session_cookie(response, services.auth, issued.token)
    return StepResponse(stage=stage, csrf_token=csrf_token_for(issued.token))


def _stage_of(session: SessionContext) -> NextStep:
    if session.stage == Stage.FULL:
        return "full"
    return "totp" if session.agent.totp_secret_encrypted else "enrol"


def _agent_view(session: SessionContext) -> AgentView:
    agent = session.agent
    return AgentView(
        id=agent.id,
        login=agent.login,
        display_name=agent.display_name,
        role=agent.role,
        skills=list(agent.skills or []),
        capacity=agent.capacity,
    )

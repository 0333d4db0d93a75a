"""The two-step login and what follows it, as plain functions the router's views call.

password → a password-only session (stage PASSWORD) that can only enter a TOTP code, or enrol
a device first → a new, fully logged-in session (the token changes at each step, so a token seen
before the second factor is worth nothing after it). Every outcome is audited; failures count
towards the login limits.
"""

from dataclasses import dataclass
from typing import Literal, NoReturn

from fastapi import status
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.agents.models import Agent
from handoff.audit import ANONYMOUS, AuditAction, agent_actor, append
from handoff.console.auth import sessions, totp
from handoff.console.auth.dependencies import SessionContext
from handoff.console.auth.errors import AuthRefused, Reason, too_many_attempts, unauthenticated
from handoff.console.auth.models import ConsoleSession, Stage
from handoff.console.auth.passwords import WeakPassword
from handoff.console.auth.runtime import AuthServices
from handoff.console.auth.sessions import Issued
from handoff.console.auth.totp_replay import consume_step

WRONG_CREDENTIALS = "wrong login or password"


@dataclass(frozen=True)
class PasswordAccepted:
    issued: Issued
    next_step: Literal["totp", "enrol"]


@dataclass(frozen=True)
class Enrolment:
    secret: str
    provisioning_uri: str
    qr_svg: str


def normalised_login(login: str) -> str:
    return login.strip().lower()


async def check_password(
    services: AuthServices,
    *,
    login: str,
    password: str,
    ip: str,
    previous_token: str | None,
) -> PasswordAccepted:
    """The first factor. Unknown logins, deactivated agents and wrong passwords are refused
    alike, after the same argon2 work, so the answer does not tell which logins exist."""
    auth = services.auth
    login = normalised_login(login)
    await _refuse_if_blocked(services, login=login, ip=ip)
    async with services.sessions() as db:
        agent = await db.scalar(select(Agent).where(Agent.login == login))
    # A deactivated agent's password is checked against the dummy hash too: same time, refused.
    stored_hash = agent.password_hash if agent is not None and agent.active else None
    verified = await auth.passwords.verify_in_thread(stored_hash, password)
    if agent is None or not agent.active or not verified.ok:
        reason = "unknown_login" if agent is None else "wrong_password"
        if agent is not None and not agent.active:
            reason = "deactivated"
        await _count_failure(
            services,
            login=login,
            ip=ip,
            actor=agent_actor(agent.id) if agent else ANONYMOUS,
            action=AuditAction.LOGIN_FAILED,
            reason=reason,
        )
        raise unauthenticated(Reason.WRONG_CREDENTIALS, WRONG_CREDENTIALS)

    now = auth.now()
    async with services.sessions() as db:
        if verified.new_hash:
            # Hashed with older argon2 parameters: upgrade while the password is at hand.
            await db.execute(
                update(Agent).where(Agent.id == agent.id).values(password_hash=verified.new_hash)
            )
        if previous_token:
            await sessions.end_by_token(db, previous_token)
        issued = await sessions.issue(
            db, agent_id=agent.id, stage=Stage.PASSWORD, policy=auth.policy, now=now
        )
        next_step: Literal["totp", "enrol"] = "totp" if agent.totp_secret_encrypted else "enrol"
        await append(
            db,
            actor=agent_actor(agent.id),
            action=AuditAction.LOGIN_PASSWORD_ACCEPTED,
            subject=agent_actor(agent.id),
            detail={"ip": ip, "next_step": next_step, "rehashed": verified.new_hash is not None},
            at=now,
        )
        await db.commit()
    return PasswordAccepted(issued=issued, next_step=next_step)


async def check_code(
    services: AuthServices, session: SessionContext, *, code: str, ip: str
) -> Issued:
    """The second factor, for an agent with an enrolled device."""
    agent = session.agent
    if agent.totp_secret_encrypted is None:
        raise AuthRefused(
            status.HTTP_409_CONFLICT, Reason.ENROLMENT_REQUIRED, "enrol an authenticator first"
        )
    await _refuse_if_blocked(services, login=agent.login, ip=ip)
    secret = services.auth.totp_secrets.decrypt(agent.totp_secret_encrypted)
    now = services.auth.now()
    step = totp.matching_step(secret, code, now=now)
    if step is None:
        await _refuse_code(services, session, ip=ip, reason="wrong_code")
    async with services.sessions() as db:
        if not await consume_step(db, agent_id=agent.id, step=step, now=now):
            await db.rollback()
            await _refuse_code(services, session, ip=ip, reason="replayed_code")
        issued = await _swap_for_full_session(services, db, session)
        await _audit_login(services, db, session, ip=ip, via="totp")
        await db.commit()
    await services.limiter.clear_login(agent.login)
    return issued


async def start_enrolment(services: AuthServices, session: SessionContext) -> Enrolment:
    """A new TOTP secret for the agent's authenticator app, pending until a code confirms it."""
    agent = session.agent
    if agent.totp_secret_encrypted is not None:
        raise AuthRefused(
            status.HTTP_409_CONFLICT,
            Reason.ALREADY_ENROLLED,
            "an authenticator is already enrolled; an admin can reset it",
        )
    secret = totp.new_secret()
    async with services.sessions() as db:
        await db.execute(
            update(ConsoleSession)
            .where(ConsoleSession.id == session.row.id)
            .values(pending_totp_secret_encrypted=services.auth.totp_secrets.encrypt(secret))
        )
        await db.commit()
    uri = totp.provisioning_uri(secret, account=agent.login)
    return Enrolment(secret=secret, provisioning_uri=uri, qr_svg=totp.qr_svg(uri))


async def confirm_enrolment(
    services: AuthServices, session: SessionContext, *, code: str, ip: str
) -> Issued:
    """A first valid code makes the pending secret the agent's, and completes the login."""
    agent = session.agent
    pending = session.row.pending_totp_secret_encrypted
    if pending is None:
        raise AuthRefused(
            status.HTTP_409_CONFLICT, Reason.NO_ENROLMENT_STARTED, "start the enrolment first"
        )
    await _refuse_if_blocked(services, login=agent.login, ip=ip)
    now = services.auth.now()
    step = totp.matching_step(services.auth.totp_secrets.decrypt(pending), code, now=now)
    if step is None:
        await _refuse_code(services, session, ip=ip, reason="wrong_enrolment_code")
    async with services.sessions() as db:
        enrolled = await db.execute(
            update(Agent)
            .where(Agent.id == agent.id, Agent.totp_secret_encrypted.is_(None))
            .values(totp_secret_encrypted=pending)
        )
        if getattr(enrolled, "rowcount", 0) != 1:
            raise AuthRefused(
                status.HTTP_409_CONFLICT,
                Reason.ALREADY_ENROLLED,
                "an authenticator was enrolled meanwhile",
            )
        if not await consume_step(db, agent_id=agent.id, step=step, now=now):
            await db.rollback()
            await _refuse_code(services, session, ip=ip, reason="replayed_code")
        issued = await _swap_for_full_session(services, db, session)
        # Audit last: appending locks the chain's head until commit, and every transaction
        # takes its locks in the same order (agent, sessions, audit head) so none deadlock.
        await append(
            db,
            actor=agent_actor(agent.id),
            action=AuditAction.TOTP_ENROLLED,
            subject=agent_actor(agent.id),
            detail={"ip": ip},
            at=now,
        )
        await _audit_login(services, db, session, ip=ip, via="enrolment")
        await db.commit()
    await services.limiter.clear_login(agent.login)
    return issued


async def logout(services: AuthServices, session: SessionContext) -> None:
    async with services.sessions() as db:
        if await sessions.end(db, session.row.id):
            await append(
                db,
                actor=agent_actor(session.agent.id),
                action=AuditAction.SESSION_LOGOUT,
                subject=agent_actor(session.agent.id),
                detail={"stage": session.row.stage},
                at=services.auth.now(),
            )
        await db.commit()


async def change_password(
    services: AuthServices,
    session: SessionContext,
    *,
    current_password: str,
    new_password: str,
    ip: str,
) -> Issued:
    """A new password ends every session of the agent; this browser gets a new one."""
    auth = services.auth
    agent = session.agent
    try:
        auth.passwords.check_strength(new_password)
    except WeakPassword as error:
        raise AuthRefused(
            status.HTTP_422_UNPROCESSABLE_CONTENT, Reason.WEAK_PASSWORD, str(error)
        ) from error
    await _refuse_if_blocked(services, login=agent.login, ip=ip)
    verified = await auth.passwords.verify_in_thread(agent.password_hash, current_password)
    if not verified.ok:
        await _count_failure(
            services,
            login=agent.login,
            ip=ip,
            actor=agent_actor(agent.id),
            action=AuditAction.PASSWORD_CHANGE_FAILED,
            reason="wrong_password",
        )
        raise unauthenticated(Reason.WRONG_CREDENTIALS, "the current password is wrong")
    new_hash = await auth.passwords.hash_in_thread(new_password)
    now = auth.now()
    async with services.sessions() as db:
        await db.execute(update(Agent).where(Agent.id == agent.id).values(password_hash=new_hash))
        ended = await sessions.end_all(db, agent_id=agent.id)
        issued = await sessions.issue(
            db, agent_id=agent.id, stage=Stage.FULL, policy=auth.policy, now=now
        )
        await append(
            db,
            actor=agent_actor(agent.id),
            action=AuditAction.PASSWORD_CHANGED,
            subject=agent_actor(agent.id),
            detail={"ip": ip, "other_sessions_ended": max(ended - 1, 0)},
            at=now,
        )
        await db.commit()
    return issued


async def _swap_for_full_session(
    services: AuthServices, db: AsyncSession, session: SessionContext
) -> Issued:
    """End the password-only session and open a full one, in the caller's transaction."""
    if not await sessions.end(db, session.row.id):
        await db.rollback()
        raise unauthenticated(Reason.NOT_LOGGED_IN, "this login attempt ended; log in again")
    return await sessions.issue(
        db,
        agent_id=session.agent.id,
        stage=Stage.FULL,
        policy=services.auth.policy,
        now=services.auth.now(),
    )


async def _audit_login(
    services: AuthServices, db: AsyncSession, session: SessionContext, *, ip: str, via: str
) -> None:
    await append(
        db,
        actor=agent_actor(session.agent.id),
        action=AuditAction.LOGIN_SUCCEEDED,
        subject=agent_actor(session.agent.id),
        detail={"ip": ip, "via": via},
        at=services.auth.now(),
    )


async def _refuse_if_blocked(services: AuthServices, *, login: str, ip: str) -> None:
    blocked = await services.limiter.blocked(login=login, ip=ip)
    if blocked:
        raise too_many_attempts(blocked.retry_after_seconds)


async def _count_failure(
    services: AuthServices,
    *,
    login: str,
    ip: str,
    actor: str,
    action: AuditAction,
    reason: str,
) -> None:
    """Audit a failed attempt and count it; from the one that reaches a limit on, 429."""
    now = services.auth.now()
    reached = await services.limiter.record_failure(login=login, ip=ip)
    async with services.sessions() as db:
        await append(db, actor=actor, action=action, detail={"ip": ip, "reason": reason}, at=now)
        if reached:
            await append(
                db, actor=actor, action=AuditAction.LOGIN_LOCKED, detail={"ip": ip}, at=now
            )
        await db.commit()
    if reached:
        blocked = await services.limiter.blocked(login=login, ip=ip)
        raise too_many_attempts(
            blocked.retry_after_seconds
            if blocked
            else services.auth.settings.failure_window_seconds
        )


async def _refuse_code(
    services: AuthServices, session: SessionContext, *, ip: str, reason: str
) -> NoReturn:
    """Refuse a TOTP code; once the login is locked, the password-only session ends too."""
    try:
        await _count_failure(
            services,
            login=session.agent.login,
            ip=ip,
            actor=agent_actor(session.agent.id),
            action=AuditAction.TOTP_FAILED,
            reason=reason,
        )
    except AuthRefused:
        async with services.sessions() as db:
            await sessions.end(db, session.row.id)
            await db.commit()
        raise
    raise unauthenticated(Reason.WRONG_CODE, "wrong or already used code")

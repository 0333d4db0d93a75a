"""The two-step login over HTTP, on real SQL (SQLite and PostgreSQL) and real Redis."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from handoff.agents.models import Agent
from handoff.audit import verify_chain
from handoff.console.auth.passwords import Passwords
from tests.services.handoff.auth_helpers import (
    COOKIE,
    MAX_FAILURES_PER_IP,
    MAX_FAILURES_PER_LOGIN,
    FakeClock,
    MadeAgent,
    audit_actions,
    audit_trail,
    code_at,
    log_in,
    password_step,
    post,
)

pytest_plugins = ["tests.services.handoff.auth_fixtures"]

WHOAMI = "/console/api/test/whoami"


async def test_a_new_agent_enrols_totp_then_logs_in_with_both_factors(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock, sessions: Any
) -> None:
    agent: MadeAgent = await make_agent()

    step = await password_step(client, agent)
    assert step["stage"] == "enrol"
    cookie = client.cookies[COOKIE]
    session = (await client.get("/console/api/session")).json()
    assert session == {"stage": "enrol", "csrf_token": step["csrf_token"], "agent": None}

    enrolment = await post(client, "/console/api/totp/enrolment", csrf=step["csrf_token"])
    assert enrolment.status_code == 200, enrolment.text
    offer = enrolment.json()
    assert offer["provisioning_uri"].startswith("otpauth://totp/Acolhe:")
    assert "issuer=Acolhe" in offer["provisioning_uri"]
    assert offer["qr_svg"].startswith("<svg")

    # The secret is not the agent's until a code from it comes back.
    wrong = await post(
        client, "/console/api/totp/enrolment/confirm", {"code": "000000"}, csrf=step["csrf_token"]
    )
    assert wrong.status_code == 401
    assert wrong.json()["detail"]["reason"] == "wrong_code"
    async with sessions() as db:
        stored = await db.scalar(select(Agent).where(Agent.id == agent.id))
        assert stored is not None and stored.totp_secret_encrypted is None

    confirmed = await post(
        client,
        "/console/api/totp/enrolment/confirm",
        {"code": code_at(offer["secret"], clock())},
        csrf=step["csrf_token"],
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["stage"] == "full"
    assert client.cookies[COOKIE] != cookie  # a new token once both factors are done
    async with sessions() as db:
        stored = await db.scalar(select(Agent).where(Agent.id == agent.id))
        assert stored is not None and stored.totp_secret_encrypted is not None
        assert offer["secret"].encode() not in stored.totp_secret_encrypted

    me = await client.get(WHOAMI)
    assert me.status_code == 200 and me.json()["id"] == agent.id
    session = (await client.get("/console/api/session")).json()
    assert session["stage"] == "full"
    assert session["csrf_token"] == confirmed.json()["csrf_token"]
    assert session["agent"] == {
        "id": agent.id,
        "login": agent.login,
        "display_name": agent.login.split("@")[0].title(),
        "role": "agent",
        "skills": ["front_line"],
        "capacity": 3,
    }

    # Next login: password, then a code from the enrolled secret.
    clock.advance(seconds=30)
    agent.totp_secret = offer["secret"]
    async with httpx.AsyncClient(
        transport=client._transport, base_url=str(client.base_url), headers=client.headers
    ) as other_browser:
        await log_in(other_browser, agent, clock)
        assert (await other_browser.get(WHOAMI)).status_code == 200

    actions = await audit_actions(sessions)
    assert actions[-6:] == [
        "login.password_accepted",
        "totp.failed",
        "totp.enrolled",
        "login.succeeded",
        "login.password_accepted",
        "login.succeeded",
    ]
    assert (await verify_chain(sessions)).intact


async def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(
    client: httpx.AsyncClient, make_agent: Any, sessions: Any
) -> None:
    agent = await make_agent()
    wrong = await client.post(
        "/console/api/login", json={"login": agent.login, "password": "not the password"}
    )
    unknown = await client.post(
        "/console/api/login", json={"login": "nobody@acolhe.test", "password": "not the password"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"]["reason"] == "wrong_credentials"
    assert COOKIE not in client.cookies
    assert (await client.get(WHOAMI)).status_code == 401

    failures = [e for e in await audit_trail(sessions) if e.action == "login.failed"]
    assert [(e.actor, e.detail["reason"]) for e in failures] == [
        (f"agent:{agent.id}", "wrong_password"),
        ("anonymous", "unknown_login"),
    ]
    for entry in failures:  # neither the password nor the login typed goes into the log
        assert "not the password" not in str(entry.detail)
        assert "nobody" not in str(entry.detail)


async def test_a_deactivated_agent_cannot_log_in(
    client: httpx.AsyncClient, make_agent: Any, sessions: Any
) -> None:
    from handoff.agents.admin import deactivate_agent

    agent = await make_agent()
    await deactivate_agent(sessions, login=agent.login)
    response = await client.post(
        "/console/api/login", json={"login": agent.login, "password": agent.password}
    )
    assert response.status_code == 401
    assert response.json()["detail"]["reason"] == "wrong_credentials"


async def test_login_is_locked_after_repeated_failures_even_with_the_right_password(
    client: httpx.AsyncClient, make_agent: Any, sessions: Any
) -> None:
    agent = await make_agent()
    other = await make_agent()
    statuses = []
    for _ in range(MAX_FAILURES_PER_LOGIN):
        response = await client.post(
            "/console/api/login", json={"login": agent.login.upper(), "password": "wrong guess!"}
        )
        statuses.append(response.status_code)
    assert statuses == [401] * (MAX_FAILURES_PER_LOGIN - 1) + [429]

    locked = await client.post(
        "/console/api/login", json={"login": agent.login, "password": agent.password}
    )
    assert locked.status_code == 429
    assert locked.json()["detail"]["reason"] == "too_many_attempts"
    retry_after = int(locked.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert COOKIE not in client.cookies

    # Another agent on the same address is not locked out by it.
    assert (await password_step(client, other))["stage"] == "enrol"
    assert (await audit_actions(sessions)).count("login.locked") == 1


async def test_too_many_failures_from_one_address_block_it_for_every_login(
    new_client: Callable[..., httpx.AsyncClient], make_agent: Any
) -> None:
    agent = await make_agent()
    async with new_client(ip="203.0.113.7") as attacker, new_client(ip="198.51.100.2") as office:
        for number in range(MAX_FAILURES_PER_IP):
            await attacker.post(
                "/console/api/login",
                json={"login": f"guess{number}@acolhe.test", "password": "wrong guess!"},
            )
        blocked = await attacker.post(
            "/console/api/login", json={"login": agent.login, "password": agent.password}
        )
        assert blocked.status_code == 429
        assert "Retry-After" in blocked.headers
        assert (await password_step(office, agent))["stage"] == "enrol"


async def test_the_password_hash_is_upgraded_at_login_when_parameters_changed(
    client: httpx.AsyncClient, make_agent: Any, sessions: Any, passwords: Passwords
) -> None:
    from argon2 import PasswordHasher
    from sqlalchemy import update

    agent = await make_agent()
    weaker = PasswordHasher(time_cost=1, memory_cost=4 * 1024, parallelism=1)
    old_hash = weaker.hash(agent.password)
    async with sessions() as db:
        await db.execute(update(Agent).where(Agent.id == agent.id).values(password_hash=old_hash))
        await db.commit()

    await password_step(client, agent)

    async with sessions() as db:
        stored = await db.scalar(select(Agent.password_hash).where(Agent.id == agent.id))
    assert stored is not None and stored != old_hash
    assert "m=8192" in stored  # the service's current parameters
    assert passwords.verify(stored, agent.password).ok


async def test_a_wrong_totp_code_is_refused(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    step = await password_step(client, agent)
    assert step["stage"] == "totp"
    stale = code_at(agent.totp_secret, clock.now.replace(hour=11))
    for code in ("123456", stale):
        refused = await post(client, "/console/api/totp", {"code": code}, csrf=step["csrf_token"])
        assert refused.status_code == 401
        assert refused.json()["detail"]["reason"] == "wrong_code"
    assert (await client.get(WHOAMI)).status_code == 401


async def test_a_used_totp_code_cannot_be_used_again(
    new_client: Callable[..., httpx.AsyncClient], make_agent: Any, clock: FakeClock, sessions: Any
) -> None:
    agent = await make_agent(enrolled=True)
    code = code_at(agent.totp_secret, clock())
    async with new_client() as first:
        await log_in(first, agent, clock)

    clock.advance(seconds=5)  # same 30-second step: the code is still "valid", but used
    async with new_client() as second:
        step = await password_step(second, agent)
        replayed = await post(second, "/console/api/totp", {"code": code}, csrf=step["csrf_token"])
        assert replayed.status_code == 401
        assert replayed.json()["detail"]["reason"] == "wrong_code"
        # Nor an older code still inside the ±1 step window.
        older = code_at(agent.totp_secret, clock.now.replace(second=0) - timedelta(seconds=30))
        refused = await post(second, "/console/api/totp", {"code": older}, csrf=step["csrf_token"])
        assert refused.status_code == 401

        clock.advance(seconds=30)
        fresh = code_at(agent.totp_secret, clock())
        accepted = await post(second, "/console/api/totp", {"code": fresh}, csrf=step["csrf_token"])
        assert accepted.status_code == 200, accepted.text

    reasons = [e.detail["reason"] for e in await audit_trail(sessions) if e.action == "totp.failed"]
    assert reasons == ["replayed_code", "replayed_code"]


async def test_repeated_wrong_codes_lock_the_login_and_end_the_half_session(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    step = await password_step(client, agent)
    answers = []
    for _ in range(MAX_FAILURES_PER_LOGIN):
        answer = await post(
            client, "/console/api/totp", {"code": "000000"}, csrf=step["csrf_token"]
        )
        answers.append(answer.status_code)
    assert answers == [401] * (MAX_FAILURES_PER_LOGIN - 1) + [429]
    gone = await client.get("/console/api/session")
    assert gone.status_code == 401


async def test_a_password_only_session_cannot_reach_console_routes(
    client: httpx.AsyncClient, make_agent: Any
) -> None:
    agent = await make_agent(enrolled=True)
    step = await password_step(client, agent)

    me = await client.get(WHOAMI)
    assert me.status_code == 401
    assert me.json()["detail"]["reason"] == "second_factor_required"
    note = await post(client, "/console/api/test/notes", csrf=step["csrf_token"])
    assert note.status_code == 401
    supervision = await client.get("/console/api/test/supervision")
    assert supervision.status_code == 401
    password = await post(
        client,
        "/console/api/password",
        {"current_password": agent.password, "new_password": "a brand new passphrase"},
        csrf=step["csrf_token"],
    )
    assert password.status_code == 401


async def test_a_full_session_does_not_go_through_the_totp_step_again(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    csrf = await log_in(client, agent, clock)
    again = await post(client, "/console/api/totp/enrolment", csrf=csrf)
    assert again.status_code == 409
    assert again.json()["detail"]["reason"] == "already_logged_in"


async def test_a_session_expires_after_30_idle_minutes(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock, sessions: Any
) -> None:
    agent = await make_agent(enrolled=True)
    await log_in(client, agent, clock)
    clock.advance(minutes=29)
    assert (await client.get(WHOAMI)).status_code == 200  # activity restarts the idle timer
    clock.advance(minutes=29)
    assert (await client.get(WHOAMI)).status_code == 200
    clock.advance(minutes=31)
    expired = await client.get(WHOAMI)
    assert expired.status_code == 401
    assert expired.json()["detail"]["reason"] == "session_expired"
    assert COOKIE not in client.cookies  # the dead cookie is dropped
    assert (await audit_actions(sessions))[-1] == "session.expired"


async def test_a_session_ends_after_12_hours_however_active(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    await log_in(client, agent, clock)
    for _ in range(11 * 3):  # every 20 minutes for 11 hours
        clock.advance(minutes=20)
        assert (await client.get(WHOAMI)).status_code == 200
    clock.advance(minutes=61)
    expired = await client.get(WHOAMI)
    assert expired.status_code == 401
    assert expired.json()["detail"]["reason"] == "session_expired"


async def test_the_second_factor_must_come_within_five_minutes(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock
) -> None:
    agent = await make_agent(enrolled=True)
    step = await password_step(client, agent)
    clock.advance(minutes=6)
    late = await post(
        client,
        "/console/api/totp",
        {"code": code_at(agent.totp_secret, clock())},
        csrf=step["csrf_token"],
    )
    assert late.status_code == 401
    assert late.json()["detail"]["reason"] == "session_expired"


async def test_logout_ends_the_session_for_good(
    client: httpx.AsyncClient, make_agent: Any, clock: FakeClock, sessions: Any
) -> None:
    agent = await make_agent(enrolled=True)
    csrf = await log_in(client, agent, clock)
    token = client.cookies[COOKIE]

    logged_out = await post(client, "/console/api/logout", csrf=csrf)
    assert logged_out.status_code == 204
    assert COOKIE not in client.cookies
    assert (await client.get(WHOAMI)).status_code == 401

    client.cookies.set(COOKIE, token)  # the old token, replayed by hand
    replayed = await client.get(WHOAMI)
    assert replayed.status_code == 401
    assert replayed.json()["detail"]["reason"] == "not_logged_in"
    assert "session.logout" in await audit_actions(sessions)


async def test_a_password_change_logs_out_every_other_session(
    new_client: Callable[..., httpx.AsyncClient], make_agent: Any, clock: FakeClock, sessions: Any
) -> None:
    agent = await make_agent(enrolled=True)
    async with new_client() as laptop, new_client() as phone:
        csrf = await log_in(laptop, agent, clock)
        clock.advance(seconds=30)
        await log_in(phone, agent, clock)

        weak = await post(
            laptop,
            "/console/api/password",
            {"current_password": agent.password, "new_password": "short"},
            csrf=csrf,
        )
        assert weak.status_code == 422
        assert weak.json()["detail"]["reason"] == "weak_password"
        wrong = await post(
            laptop,
            "/console/api/password",
            {"current_password": "not my password", "new_password": "a brand new passphrase"},
            csrf=csrf,
        )
        assert wrong.status_code == 401

        changed = await post(
            laptop,
            "/console/api/password",
            {"current_password": agent.password, "new_password": "a brand new passphrase"},
            csrf=csrf,
        )
        assert changed.status_code == 200, changed.text
        assert (await laptop.get(WHOAMI)).status_code == 200  # this browser got a new session
        assert (await phone.get(WHOAMI)).status_code == 401

    async with new_client() as browser:
        old = await browser.post(
            "/console/api/login", json={"login": agent.login, "password": agent.password}
        )
        assert old.status_code == 401
        agent.password = "a brand new passphrase"
        assert (await password_step(browser, agent))["stage"] == "totp"
    assert "password.changed" in await audit_actions(sessions)


async def test_expired_sessions_can_be_purged_by_a_periodic_job(
    new_client: Callable[..., httpx.AsyncClient],
    make_agent: Any,
    clock: FakeClock,
    sessions: Any,
    console_auth: Any,
) -> None:
    from handoff.console.auth.models import ConsoleSession
    from handoff.console.auth.sessions import purge_expired

    agent = await make_agent(enrolled=True)
    async with new_client() as idle, new_client() as active:
        await log_in(idle, agent, clock)
        clock.advance(seconds=30)
        await log_in(active, agent, clock)
        clock.advance(minutes=20)
        assert (await active.get(WHOAMI)).status_code == 200
        clock.advance(minutes=15)  # idle: 35 minutes without a request; active: 15
        async with sessions() as db:
            assert await purge_expired(db, policy=console_auth.policy, now=clock()) == 1
            await db.commit()
            assert len(list(await db.scalars(select(ConsoleSession)))) == 1
        assert (await active.get(WHOAMI)).status_code == 200

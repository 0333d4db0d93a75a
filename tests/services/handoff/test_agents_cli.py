"""The admin command line: an agent it creates can log in; passwords never ride on argv."""

import io
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from handoff.agents import __main__ as cli
from handoff.agents.admin import seed_demo_agent
from handoff.agents.models import Agent
from handoff.audit import verify_chain
from handoff.console.auth.settings import ConsoleAuthSettings
from tests.services.handoff.auth_helpers import CHEAP_ARGON2, MadeAgent, password_step

pytest_plugins = ["tests.services.handoff.auth_fixtures"]

NEW_PASSWORD = "a long and secret passphrase"


def agents_cli(database_url: str, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handoff.agents", "--database-url", database_url, *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        # Cheap argon2 for speed; login rehashes to the app's parameters either way.
        env={**os.environ, **{f"CONSOLE_{k.upper()}": str(v) for k, v in CHEAP_ARGON2.items()}},
        check=False,
    )


async def test_an_agent_created_on_the_command_line_can_log_in(
    database_url: str, sessions: Any, client: httpx.AsyncClient
) -> None:
    created = agents_cli(
        database_url,
        "create",
        "--login",
        "Ana@Example.com",
        "--name",
        "Ana Souza",
        "--role",
        "agent",
        "--skills",
        "front_line,clinical",
        "--capacity",
        "3",
        stdin=NEW_PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    assert NEW_PASSWORD not in created.stdout + created.stderr

    async with sessions() as db:
        agent = await db.scalar(select(Agent).where(Agent.login == "ana@example.com"))
    assert agent is not None
    assert (agent.display_name, agent.role, agent.capacity) == ("Ana Souza", "agent", 3)
    assert agent.skills == ["clinical", "front_line"]
    assert agent.password_hash.startswith("$argon2id$")
    assert agent.totp_secret_encrypted is None

    made = MadeAgent(id=agent.id, login="ana@example.com", password=NEW_PASSWORD, totp_secret=None)
    assert (await password_step(client, made))["stage"] == "enrol"

    listed = agents_cli(database_url, "list")
    assert listed.returncode == 0 and "ana@example.com" in listed.stdout

    deactivated = agents_cli(database_url, "deactivate", "--login", "ana@example.com")
    assert deactivated.returncode == 0, deactivated.stderr
    assert (await client.get("/console/api/session")).status_code == 401  # session ended
    refused = await client.post(
        "/console/api/login", json={"login": "ana@example.com", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 401
    assert (await verify_chain(sessions)).intact


def test_the_command_line_refuses_bad_input(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = ["--database-url", f"sqlite:///{tmp_path}/agents.db"]
    create = [*database, "create", "--login", "bo@example.com", "--name", "Bo"]

    def run(arguments: list[str], stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main(arguments)
        return code, capsys.readouterr().err

    assert run(create) == (1, "error: no password on standard input\n")
    code, error = run(create, stdin="short\n")
    assert code == 1 and "at least 12 characters" in error
    code, error = run([*create, "--skills", "cooking"], stdin=NEW_PASSWORD + "\n")
    assert code == 1 and "unknown skills ['cooking']" in error
    code, error = run([*database, "create", "--login", "not-an-email", "--name", "Bo"], "x" * 20)
    assert code == 1 and "e-mail address" in error
    code, error = run([*database, "deactivate", "--login", "nobody@example.com"])
    assert code == 1 and "no agent has this login" in error
    with pytest.raises(SystemExit) as usage:  # a password on argv is not even an option
        run([*create, "--password", NEW_PASSWORD])
    assert usage.value.code == 2


async def test_the_demo_agent_gets_a_fresh_password_each_time(
    sessions: Any, new_client: Callable[..., httpx.AsyncClient]
) -> None:
    settings = ConsoleAuthSettings(_env_file=None, **CHEAP_ARGON2)  # type: ignore[arg-type]
    first = await seed_demo_agent(sessions, settings)
    second = await seed_demo_agent(sessions, settings)
    assert first.login == second.login and first.password != second.password

    async with new_client() as browser:
        stale = await browser.post(
            "/console/api/login", json={"login": first.login, "password": first.password}
        )
        assert stale.status_code == 401
        demo = MadeAgent(id=0, login=second.login, password=second.password, totp_secret=None)
        assert (await password_step(browser, demo))["stage"] == "enrol"
    async with sessions() as db:
        agent = await db.scalar(select(Agent).where(Agent.login == second.login))
    assert agent is not None and agent.role == "supervisor" and "clinical" in agent.skills

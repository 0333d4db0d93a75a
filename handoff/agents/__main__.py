"""Admin command line for agents' accounts.

    python -m handoff.agents create --login ana@example.com --name "Ana" --role agent \
        --skills front_line,clinical --capacity 3
    python -m handoff.agents list
    python -m handoff.agents deactivate --login ana@example.com
    python -m handoff.agents reset-totp --login ana@example.com
    python -m handoff.agents set-password --login ana@example.com

Passwords are read from standard input (first line) or, at a terminal, prompted for twice; never
from the command line, where other users and the shell history would see them. New agents enrol
their authenticator app at their first login. DATABASE_URL (or .env) names the database, as for
the service; --database-url overrides it.
"""

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handoff.models  # noqa: F401  (registers every handoff table for create_tables)
from common.db import create_engine, create_tables, session_factory
from common.settings import ServiceSettings
from handoff.agents.admin import (
    AgentProblem,
    create_agent,
    deactivate_agent,
    list_agents,
    reset_totp,
    set_password,
)
from handoff.agents.models import Agent, Role, Skill
from handoff.console.auth.passwords import Passwords, WeakPassword
from handoff.console.auth.settings import ConsoleAuthSettings

Sessions = async_sessionmaker[AsyncSession]


class CommandFailed(Exception):
    pass


def read_password(stdin: TextIO | None = None) -> str:
    stream = stdin or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise CommandFailed("the passwords differ")
        return first
    password = stream.readline().rstrip("\r\n")
    if not password:
        raise CommandFailed("no password on standard input")
    return password


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m handoff.agents",
        description="Manage the agents who log in to the console.",
    )
    main.add_argument("--database-url", help="plain URL (default: DATABASE_URL, as the service)")
    commands = main.add_subparsers(dest="command", required=True)

    create = commands.add_parser("create", help="add an agent (password from stdin or prompt)")
    create.add_argument("--login", required=True, help="e-mail address the agent logs in with")
    create.add_argument("--name", required=True, help="name shown to colleagues")
    create.add_argument("--role", default=Role.AGENT.value, choices=[r.value for r in Role])
    create.add_argument(
        "--skills",
        default="",
        help=f"comma-separated, from: {', '.join(s.value for s in Skill)}",
    )
    create.add_argument("--capacity", type=int, default=3, help="conversations held at once")

    commands.add_parser("list", help="show every agent")
    for name, help_text in (
        ("deactivate", "stop an agent from logging in and end their sessions"),
        ("reset-totp", "make an agent enrol a new authenticator at their next login"),
        ("set-password", "give an agent a new password (stdin or prompt); ends their sessions"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--login", required=True)
    return main


async def run(arguments: argparse.Namespace, sessions: Sessions) -> None:
    if arguments.command == "list":
        print_agents(await list_agents(sessions))
    elif arguments.command == "create":
        password = read_password()
        agent = await create_agent(
            sessions,
            Passwords.from_settings(ConsoleAuthSettings()),
            login=arguments.login,
            display_name=arguments.name,
            role=arguments.role,
            skills=[s.strip() for s in arguments.skills.split(",") if s.strip()],
            capacity=arguments.capacity,
            password=password,
        )
        print(f"created agent {agent.id} ({agent.login}); TOTP enrolment at first login")
    elif arguments.command == "deactivate":
        agent = await deactivate_agent(sessions, login=arguments.login)
        print(f"deactivated agent {agent.id}")
    elif arguments.command == "reset-totp":
        agent = await reset_totp(sessions, login=arguments.login)
        print(f"agent {agent.id} enrols a new authenticator at next login")
    elif arguments.command == "set-password":
        password = read_password()
        agent = await set_password(
            sessions,
            Passwords.from_settings(ConsoleAuthSettings()),
            login=arguments.login,
            password=password,
        )
        print(f"new password set for agent {agent.id}; their sessions ended")


def print_agents(agents: list[Agent]) -> None:
    print(f"{'id':>4}  {'login':<32} {'role':<10} {'cap':>3}  {'active':<6} {'totp':<4}  skills")
    for agent in agents:
        print(
            f"{agent.id:>4}  {agent.login:<32} {agent.role:<10} {agent.capacity:>3}  "
            f"{'yes' if agent.active else 'no':<6} "
            f"{'yes' if agent.totp_secret_encrypted else 'no':<4}  {','.join(agent.skills)}"
        )


async def with_database(database_url: str, work: Callable[[Sessions], Awaitable[None]]) -> None:
    engine = create_engine(database_url)
    try:
        await create_tables(engine)
        await work(session_factory(engine))
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    database_url = arguments.database_url or ServiceSettings().database_url
    try:
        asyncio.run(with_database(database_url, lambda sessions: run(arguments, sessions)))
    except (AgentProblem, WeakPassword, CommandFailed) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

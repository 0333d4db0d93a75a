"""Human handoff: how fast an escalation reaches an agent's console, how fast an agent's reply
reaches the member, and how the queue holds with 10,000 waiting conversations and 200 agents.

Three parts (`--parts escalation,reply,queue`, all by default):
- escalation: our stack booted as bench/whatsapp.py boots it (bench ports, a temporary var/
  folder, Redis database 2, WhatsApp through the Twilio stand-in), one agent (clinical and
  front line) logged in over HTTP with both factors, off line so that handoffs stay in the queue,
  with the console's websocket open. Members send a signed WhatsApp webhook asking for a person
  (every fifth an urgent message), one at a time and then a few at once. Measured from the
  webhook POST until the websocket announces the new handoff (`handoff.updated`), and until the
  queue read the page makes on `queue.changed` lists it (what the agent sees).
- reply: the agent claims those handoffs through the console API and replies; measured from the
  POST of the reply until the message arrives at the stand-in (as bench/whatsapp.py ends a turn),
  one at a time and then the concurrent members' handoffs at once. Needs the escalation part's
  handoffs, so it runs that part too.
- queue: in process, no stack: against a fresh SQLite file and a throwaway PostgreSQL database
  (Redis database 3, flushed), 200 agents online and 10,000 waiting handoffs: `--timed-opens`
  of them opened through open_handoff and timed (a quarter into a short queue, the rest into the
  deep one), the others written in bulk as open_handoff leaves them; then queue reads, claims,
  resolutions, one auto-assignment pass, the Redis copy rebuilt after FLUSHDB, and SLA
  evaluation over the whole queue.

Printed: p50/p95 (and throughput) of each, the CPU each process used for the stack parts, a line
on what limits each part, and a markdown summary with the machine and the settings.

    python -m bench.handoff [--parts escalation,reply,queue] [--members 30] [--concurrent 8]
                            [--handoffs 10000] [--agents 200] [--timed-opens 2000]
                            [--queue-reads 200] [--claims 500]
                            [--databases sqlite,postgresql] [--twilio-latency-ms 50]
                            [--database-url postgresql://...]
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import random
import re
import secrets
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pyotp
from redis.asyncio import Redis
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

import handoff.models  # noqa: F401  (registers every handoff table for create_tables)
from bench.__main__ import BENCH_PORTS, percentile, process_tree
from bench.whatsapp import (
    MACHINE,
    STANDIN_PORTS,
    TWILIO_ACCOUNT_SID,
    WHATSAPP_NUMBER,
    CpuMeter,
    ReplyWatcher,
    cpu_seconds,
    describe_cpu,
    first_free_port,
    machine_busy_seconds,
    machine_description,
    running,
    stack_overrides,
    stack_processes,
    standin_command,
    tail,
    wait_for_free_ports,
    wait_until_answers,
)
from bench.whatsapp import Settings as WhatsAppSettings
from common.ans_protocol import DEMO_ANS_REGISTRATION, protocol_day, protocol_number
from common.db import create_engine, create_tables, session_factory
from handoff.agents.admin import create_agent
from handoff.agents.models import Role, Skill
from handoff.console.auth.passwords import Passwords
from handoff.console.auth.settings import ConsoleAuthSettings
from handoff.queue.enums import EventName, HandoffStatus, PresenceStatus, Priority
from handoff.queue.fast_path import FastPath
from handoff.queue.hours import load_business_hours
from handoff.queue.models import Handoff, HandoffEvent, ProtocolSequence, as_utc
from handoff.queue.presence import set_presence
from handoff.queue.routing import auto_assign, queue_for_agent
from handoff.queue.service import claim_handoff, open_handoff, resolve_handoff
from handoff.queue.sql import QUEUE_ORDER, Sessions, insert_for
from handoff.sla.evaluator import evaluate_sla
from handoff.sla.policy import load_sla_policy
from ops.stack import Stack, stack_environment
from tests.databases import POSTGRES_ADMIN_URL, fresh_postgres_database
from tests.twilio_standin import inbound_message_params, post_inbound

PARTS = ("escalation", "reply", "queue")
DATABASES = ("sqlite", "postgresql")

# ---- the stack parts ---------------------------------------------------------------------------

ASK_FOR_PERSON = "quero falar com um atendente"
URGENT = "meu filho de 2 anos está com febre de 40 e teve uma convulsão agora"
URGENT_EVERY = 5  # every fifth member writes the urgent message
AGENT_REPLY = "Oi, aqui é a Ana, da equipe Acolhe. Já estou com você: me conta o que houve?"
# The console lists 50 waiting handoffs and an agent holds at most 50: the measured handoffs and
# the two warm-up ones must fit in both.
CONSOLE_QUEUE_LIMIT = 50
AGENT_CAPACITY = 50
WARM_UP_MEMBERS = 2
BOOT_TIMEOUT_SECONDS = 300.0
ESCALATION_TIMEOUT_SECONDS = 90.0
REPLY_TIMEOUT_SECONDS = 60.0
WAIT_POLL_SECONDS = 0.005
STANDIN_POLL_SECONDS = 0.05
# No message at the stand-in for this long: the bot's answers to the escalations are all out.
SETTLE_SECONDS = 2.0

# ---- the queue part ----------------------------------------------------------------------------

QUEUE_REDIS_URL = "redis://localhost:6379/3"
PG_DATABASE = "acolhe_bench_handoff"
# A Wednesday morning in business hours in São Paulo and Santiago, so that the SLA clocks of the
# business-hours priorities run the same whatever day the benchmark runs on.
QUEUE_START = datetime(2025, 6, 4, 11, 30, tzinfo=UTC)
OPENING_SPAN = timedelta(hours=1)
AGENT_QUEUE_CAPACITY = 3
BULK_CHUNK = 1000
SUPERVISOR_EVERY = 20  # one agent in 20 is a supervisor (every queue)
AGENT_SKILL_SETS = (
    ["front_line"],
    ["front_line"],
    ["front_line", "technical"],
    ["clinical"],
    ["clinical", "front_line"],
    ["technical"],
    ["collections"],
    ["collections", "front_line"],
)
PRIORITY_WEIGHTS = {Priority.RED: 0.05, Priority.YELLOW: 0.30, Priority.GREEN: 0.65}
# Red is a clinical urgency, always clinical; the others spread over the skills.
SKILL_WEIGHTS = {
    Skill.FRONT_LINE: 0.50,
    Skill.CLINICAL: 0.15,
    Skill.TECHNICAL: 0.15,
    Skill.COLLECTIONS: 0.15,
    Skill.SUPERVISOR: 0.05,
}
REASONS_BY_PRIORITY = {
    Priority.RED: ["red_urgency"],
    Priority.YELLOW: ["frustration", "complaint_threat"],
    Priority.GREEN: ["member_asked"],
}


# ---- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    parts: tuple[str, ...]
    members: int
    concurrent: int
    handoffs: int
    agents: int
    queue_reads: int
    claims: int
    timed_opens: int
    databases: tuple[str, ...]
    twilio_latency_ms: int
    database_url: str | None

    @property
    def stack_parts(self) -> bool:
        return "escalation" in self.parts or "reply" in self.parts

    def whatsapp_settings(self) -> WhatsAppSettings:
        """bench/whatsapp.py's settings, for its helpers that boot the stack and the stand-in."""
        return WhatsAppSettings(
            turns=0,
            concurrency=[1],
            long_turns=0,
            probe_turns=0,
            twilio_latency_ms=self.twilio_latency_ms,
            status_callbacks=False,
            database_url=self.database_url,
            rasa_workers=1,
        )


def parse_settings(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(
        prog="python -m bench.handoff",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--parts", default=",".join(PARTS), help="which parts to run")
    parser.add_argument("--members", type=int, default=30, help="escalations one at a time")
    parser.add_argument("--concurrent", type=int, default=8, help="escalations at once, after")
    parser.add_argument("--handoffs", type=int, default=10_000, help="queue part: handoffs")
    parser.add_argument("--agents", type=int, default=200, help="queue part: agents online")
    parser.add_argument("--queue-reads", type=int, default=200, help="queue part: reads timed")
    parser.add_argument("--claims", type=int, default=500, help="queue part: claims timed")
    parser.add_argument(
        "--timed-opens",
        type=int,
        default=2000,
        help="queue part: openings timed (a quarter into a short queue, the rest into the deep "
        "one); the others are loaded in bulk. --timed-opens 10000 times every one",
    )
    parser.add_argument(
        "--databases", default=",".join(DATABASES), help="queue part: sqlite, postgresql"
    )
    parser.add_argument("--twilio-latency-ms", type=int, default=50)
    parser.add_argument(
        "--database-url", help="stack parts: PostgreSQL for every SQL store; else SQLite"
    )
    args = parser.parse_args(argv)
    parts = tuple(part.strip() for part in args.parts.split(",") if part.strip())
    databases = tuple(name.strip() for name in args.databases.split(",") if name.strip())
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown parts {sorted(unknown)}; known: {', '.join(PARTS)}")
    if unknown := set(databases) - set(DATABASES):
        parser.error(f"unknown databases {sorted(unknown)}; known: {', '.join(DATABASES)}")
    if args.members < 1 or args.concurrent < 0:
        parser.error("--members must be at least 1 and --concurrent at least 0")
    if args.members + args.concurrent + WARM_UP_MEMBERS > min(CONSOLE_QUEUE_LIMIT, AGENT_CAPACITY):
        parser.error(
            f"--members + --concurrent must stay within "
            f"{min(CONSOLE_QUEUE_LIMIT, AGENT_CAPACITY) - WARM_UP_MEMBERS}: the console lists "
            f"{CONSOLE_QUEUE_LIMIT} waiting handoffs and an agent holds {AGENT_CAPACITY} at most"
        )
    if args.claims > args.agents * AGENT_QUEUE_CAPACITY or args.claims > args.handoffs:
        parser.error("--claims must fit the agents' places (3 each) and the handoffs")
    return Settings(
        parts=parts,
        members=args.members,
        concurrent=args.concurrent,
        handoffs=args.handoffs,
        agents=args.agents,
        queue_reads=args.queue_reads,
        claims=args.claims,
        timed_opens=args.timed_opens,
        databases=databases,
        twilio_latency_ms=args.twilio_latency_ms,
        database_url=args.database_url,
    )


# ---- figures -----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def p50_p95(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{ms(statistics.median(values))} / {ms(percentile(values, 0.95))}"


@dataclass
class Timed:
    """Latencies of one kind of operation (seconds), and the wall time they took in all."""

    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


@dataclass
class Row:
    label: str
    value: str


@dataclass
class PartReport:
    title: str
    rows: list[Row] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)

    def add(self, label: str, value: str) -> None:
        self.rows.append(Row(label, value))
        print(f"  {label:<66} {value}", flush=True)

    def limit(self, line: str) -> None:
        self.limits.append(line)
        print(f"  what limits it: {line}", flush=True)


def cpu_limit_line(busy: dict[str, float], path: str) -> str:
    """From the CPU each process used: the busiest of ours, and whether the machine was full."""
    ours = {name: share for name, share in busy.items() if name != MACHINE}
    ranked = sorted(ours.items(), key=lambda item: -item[1])[:3]
    top = ", ".join(f"{name} {share:.0f}%" for name, share in ranked)
    capacity = (os.cpu_count() or 1) * 100
    machine, elsewhere = busy[MACHINE], max(busy[MACHINE] - sum(ours.values()), 0.0)
    if ranked and ranked[0][1] > 85:
        verdict = f"{ranked[0][0]} used a whole core: it is the bottleneck"
    elif machine > 0.85 * capacity:
        verdict = (
            f"no process of ours is CPU-bound, but the machine's CPUs were full ({machine:.0f}% "
            f"of {capacity}%, {elsewhere:.0f}% of it outside the processes measured: Redis, the "
            "kernel, other work on the machine), so "
            "waits for a core add to the figures"
        )
    else:
        verdict = "no process is CPU-bound: the time is the chain of hops and waits"
    return f"{path}; busiest of ours {top}; {verdict}"


# ---- booting the stack -------------------------------------------------------------------------


def boot(
    settings: Settings,
    standin_port: int,
    var_dir: Path,
    auth_token: str,
    processes: contextlib.ExitStack,
) -> tuple[Stack, dict[str, list[int]]]:
    """The stand-in and our stack, as bench/whatsapp.py starts them (without stock Rasa)."""
    standin_url = f"http://127.0.0.1:{standin_port}"
    overrides = stack_overrides(settings.whatsapp_settings(), var_dir, auth_token, standin_url)
    env = stack_environment({**os.environ, **overrides})
    standin = processes.enter_context(
        running(
            standin_command(settings.whatsapp_settings(), auth_token, standin_port),
            env,
            var_dir / "standin.log",
        )
    )
    stack = Stack(env, log_path=var_dir / "stack.log")
    processes.callback(stack.stop)
    stack.start()
    started = time.perf_counter()
    wait_until_answers(f"{standin_url}/_standin/health", standin, 30)
    stack.wait_until_healthy(timeout=BOOT_TIMEOUT_SECONDS)
    print(f"Booted our stack and the stand-in in {time.perf_counter() - started:.0f}s", flush=True)
    pids = {**stack_processes(stack.manager_pid), "stand-in": sorted(process_tree(standin.pid))}
    return stack, pids


async def make_agent(database_url: str) -> tuple[str, str]:
    """An agent of the clinical and front-line queues, as `python -m handoff.agents create` makes
    one (same function, same password hashing as the service)."""
    login = f"ana.{secrets.token_hex(3)}@bench.acolhe.test"
    password = secrets.token_urlsafe(18)
    engine = create_engine(database_url)
    try:
        await create_agent(
            session_factory(engine),
            Passwords.from_settings(ConsoleAuthSettings()),
            login=login,
            display_name="Ana Bench",
            role=Role.AGENT,
            skills=[Skill.CLINICAL, Skill.FRONT_LINE],
            capacity=AGENT_CAPACITY,
            password=password,
        )
    finally:
        await engine.dispose()
    return login, password


# ---- the console, as its page uses it -----------------------------------------------------------


class ConsoleClient:
    """The console's HTTP API with a logged-in session: cookie, Origin and X-CSRF-Token."""

    def __init__(self, handoff_url: str, origin: str) -> None:
        self.origin = origin
        self.http = httpx.AsyncClient(
            base_url=handoff_url, headers={"Origin": origin}, timeout=60, trust_env=False
        )
        self._csrf = ""

    async def aclose(self) -> None:
        await self.http.aclose()

    async def log_in(self, login: str, password: str) -> None:
        """Password, then TOTP: enrolment at the first login, a code from the secret after."""
        step = await self.post("/console/api/login", {"login": login, "password": password})
        if step["stage"] == "enrol":
            enrolment = await self.post("/console/api/totp/enrolment")
            code = pyotp.TOTP(enrolment["secret"]).now()
            step = await self.post("/console/api/totp/enrolment/confirm", {"code": code})
        if step["stage"] != "full":
            raise RuntimeError(f"login stopped at stage {step['stage']!r}")

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.http.cookies.jar)

    async def get(self, path: str) -> Any:
        response = await self.http.get(path)
        _raise_for_status(response)
        return response.json()

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = await self.http.post(path, json=body, headers={"X-CSRF-Token": self._csrf})
        _raise_for_status(response)
        answer = response.json() if response.content else None
        if isinstance(answer, dict) and "csrf_token" in answer:
            self._csrf = answer["csrf_token"]
        return answer


def _raise_for_status(response: httpx.Response) -> None:
    if response.is_error:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: {response.status_code} "
            f"{response.text[:300]}"
        )


class ConsolePage:
    """What the console page does with its websocket: notes each event, and on `queue.changed`
    reads the queue again (one read at a time, again at once if events came meanwhile)."""

    def __init__(self, console: ConsoleClient, socket: ClientConnection) -> None:
        self._console = console
        self._socket = socket
        self.announced_at: dict[int, float] = {}  # first `handoff.updated` of each handoff
        self.shown_at: dict[int, float] = {}  # first queue read that listed it
        self.queue_items: dict[int, dict[str, Any]] = {}
        self.events = 0
        self._stale = asyncio.Event()

    async def run(self) -> None:
        await asyncio.gather(self._listen(), self._refresh())

    async def _listen(self) -> None:
        async for raw in self._socket:
            at = time.time()
            event = json.loads(raw)
            self.events += 1
            if event.get("event") == "handoff.updated":
                self.announced_at.setdefault(int(event["handoff_id"]), at)
            elif event.get("event") == "queue.changed":
                self._stale.set()

    async def _refresh(self) -> None:
        while True:
            await self._stale.wait()
            self._stale.clear()
            items = await self._console.get("/console/api/queue")
            at = time.time()
            for item in items:
                self.shown_at.setdefault(item["id"], at)
                self.queue_items[item["id"]] = item


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:.0f}s")
        await asyncio.sleep(WAIT_POLL_SECONDS)


# ---- escalation → console -----------------------------------------------------------------------


@dataclass
class Escalation:
    member: str
    urgent: bool
    sent_at: float  # epoch seconds, when the webhook went out
    handoff_id: int | None = None

    @property
    def address(self) -> str:
        return f"whatsapp:{self.member}"


class Members:
    """Members writing on WhatsApp: signed webhooks to the gateway."""

    def __init__(
        self, http: httpx.AsyncClient, gateway_url: str, auth_token: str, standin_url: str
    ) -> None:
        self._http = http
        self._webhook_url = f"{gateway_url}/webhooks/whatsapp"
        self._auth_token = auth_token
        self._messages_url = f"{standin_url}/_standin/messages"
        self._numbers = itertools.count(930_000_001)

    async def escalate(self, urgent: bool) -> Escalation:
        member = f"+5511{next(self._numbers)}"
        params = inbound_message_params(
            from_phone=member,
            to=f"whatsapp:{WHATSAPP_NUMBER}",
            body=URGENT if urgent else ASK_FOR_PERSON,
            account_sid=TWILIO_ACCOUNT_SID,
        )
        sent_at = time.time()
        response = await post_inbound(self._http, self._webhook_url, params, self._auth_token)
        response.raise_for_status()
        return Escalation(member=member, urgent=urgent, sent_at=sent_at)

    async def standin_messages(self) -> list[dict[str, Any]]:
        response = await self._http.get(self._messages_url)
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages


async def match_handoffs(
    escalations: list[Escalation], page: ConsolePage, members: Members, timeout: float
) -> None:
    """Which handoff is whose: the protocol the console lists is in the message the member got
    (\"Seu protocolo é ...\"). Waits until every member has theirs."""
    deadline = time.monotonic() + timeout
    while True:
        by_protocol = {item["protocol"]: hid for hid, item in page.queue_items.items()}
        pending = [e for e in escalations if e.handoff_id is None]
        if pending:
            for message in await members.standin_messages():
                for protocol in re.findall(r"\d{10,}", message.get("body") or ""):
                    for escalation in pending:
                        if message["to"] == escalation.address and protocol in by_protocol:
                            escalation.handoff_id = by_protocol[protocol]
        if all(e.handoff_id is not None for e in escalations):
            return
        if time.monotonic() > deadline:
            missing = sum(e.handoff_id is None for e in escalations)
            raise TimeoutError(f"{missing} members got no protocol within {timeout:.0f}s")
        await asyncio.sleep(STANDIN_POLL_SECONDS)


@dataclass
class EscalationRound:
    name: str
    escalations: list[Escalation]
    wall: float
    cpu: dict[str, float]

    def since_sent(self, moments: dict[int, float], *, urgent: bool | None = None) -> list[float]:
        """Seconds from each webhook to the moment noted for its handoff (of one kind if asked)."""
        return [
            moments[handoff_id] - escalation.sent_at
            for escalation in self.escalations
            if (handoff_id := escalation.handoff_id) is not None
            and handoff_id in moments
            and (urgent is None or escalation.urgent == urgent)
        ]


async def opened_at(database_url: str, handoff_ids: list[int]) -> dict[int, float]:
    """When the handoff service committed each handoff (its created_at), in epoch seconds."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Handoff.id, Handoff.created_at).where(Handoff.id.in_(handoff_ids))
            )
            return {handoff_id: as_utc(created).timestamp() for handoff_id, created in rows}
    finally:
        await engine.dispose()


async def escalate_and_wait(
    members: Members, page: ConsolePage, urgent_flags: list[bool]
) -> list[Escalation]:
    """These members write at once; returns when the console lists each one's handoff."""
    known = set(page.shown_at)
    escalations = list(await asyncio.gather(*(members.escalate(urgent) for urgent in urgent_flags)))
    await wait_until(
        lambda: len(set(page.shown_at) - known) >= len(escalations),
        ESCALATION_TIMEOUT_SECONDS,
        "the console did not list the new handoffs",
    )
    await match_handoffs(escalations, page, members, ESCALATION_TIMEOUT_SECONDS)
    return escalations


async def wait_for_quiet(members: Members) -> None:
    """Until no message reached the stand-in for SETTLE_SECONDS: the bot has said everything."""
    count, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < SETTLE_SECONDS:
        now_count = len(await members.standin_messages())
        if now_count != count:
            count, quiet_since = now_count, time.monotonic()
        await asyncio.sleep(0.2)


async def run_escalations(
    settings: Settings, members: Members, page: ConsolePage, cpu: CpuMeter
) -> list[EscalationRound]:
    for urgent in (False, True)[:WARM_UP_MEMBERS]:  # unmeasured: first use of each code path
        await escalate_and_wait(members, page, [urgent])
    await wait_for_quiet(members)
    rounds = []
    before, started = cpu.sample(), time.perf_counter()
    sequential: list[Escalation] = []
    for index in range(settings.members):
        sequential += await escalate_and_wait(members, page, [index % URGENT_EVERY == 0])
        # The next member writes once this one has their protocol, as a person would.
    wall = time.perf_counter() - started
    rounds.append(EscalationRound("one at a time", sequential, wall, cpu.busy_since(before, wall)))
    if settings.concurrent:
        await wait_for_quiet(members)
        flags = [index % URGENT_EVERY == 0 for index in range(settings.concurrent)]
        before, started = cpu.sample(), time.perf_counter()
        together = await escalate_and_wait(members, page, flags)
        wall = time.perf_counter() - started
        rounds.append(
            EscalationRound(
                f"{settings.concurrent} at once", together, wall, cpu.busy_since(before, wall)
            )
        )
    await wait_for_quiet(members)
    return rounds


def report_escalations(
    rounds: list[EscalationRound], page: ConsolePage, opened: dict[int, float]
) -> PartReport:
    report = PartReport("Escalation → console")
    print(
        "\nEscalation → console: signed webhook POST until the websocket announces the handoff, "
        "and until the queue read that event triggers lists it (ms)",
        flush=True,
    )
    for round_ in rounds:
        announced = round_.since_sent(page.announced_at)
        label = f"{round_.name}, {len(announced)} members"
        report.add(f"{label}: websocket event p50 / p95", p50_p95(announced))
        report.add(
            f"{label}: listed in the console's queue p50 / p95",
            p50_p95(round_.since_sent(page.shown_at)),
        )
        asked = round_.since_sent(page.shown_at, urgent=False)
        urgent = round_.since_sent(page.shown_at, urgent=True)
        report.add(
            f"{label}: listed, median asking for a person / urgent",
            f"{ms(statistics.median(asked)) if asked else '—'} / "
            f"{ms(statistics.median(urgent)) if urgent else '—'}",
        )
        committed = round_.since_sent(opened)
        to_event = [
            page.announced_at[handoff_id] - opened[handoff_id]
            for escalation in round_.escalations
            if (handoff_id := escalation.handoff_id) in opened and handoff_id in page.announced_at
        ]
        report.add(
            f"{label}: split, webhook → handoff committed / → websocket, p50",
            f"{p50(committed)} / {p50(to_event)}",
        )
        if len(round_.escalations) > 1 and rounds.index(round_) > 0:
            report.add(f"{label}: handoffs per second", f"{len(announced) / round_.wall:.1f}")
        print(f"    CPU: {describe_cpu(round_.cpu)}", flush=True)
    report.limit(
        cpu_limit_line(
            rounds[-1].cpu,
            "most of the time is the member's turn (gateway, Rasa, action server) before the "
            "handoff service is called; opening, publishing and the websocket add little (split "
            "above)",
        )
    )
    return report


def p50(values: list[float]) -> str:
    return ms(statistics.median(values)) if values else "—"


# ---- agent reply → stand-in ---------------------------------------------------------------------


@dataclass
class ReplyRound:
    name: str
    claim: Timed
    reply_post: Timed
    arrival: Timed
    cpu: dict[str, float]


async def claim_all(console: ConsoleClient, escalations: list[Escalation]) -> Timed:
    timed = Timed()
    started = time.perf_counter()
    for escalation in escalations:
        claim_started = time.perf_counter()
        await console.post(f"/console/api/handoffs/{escalation.handoff_id}/claim")
        timed.latencies.append(time.perf_counter() - claim_started)
    timed.wall = time.perf_counter() - started
    return timed


async def reply_once(
    console: ConsoleClient,
    replies: ReplyWatcher,
    escalation: Escalation,
    reply_post: Timed,
    arrival: Timed,
) -> None:
    with replies.expecting(escalation.address) as arrived:
        started_wall, started = time.time(), time.perf_counter()
        await console.post(
            f"/console/api/handoffs/{escalation.handoff_id}/reply", {"text": AGENT_REPLY}
        )
        reply_post.latencies.append(time.perf_counter() - started)
        arrival.latencies.append(
            await asyncio.wait_for(arrived, REPLY_TIMEOUT_SECONDS) - started_wall
        )


async def run_replies(
    rounds: list[EscalationRound],
    console: ConsoleClient,
    replies: ReplyWatcher,
    cpu: CpuMeter,
) -> list[ReplyRound]:
    results = []
    for index, escalation_round in enumerate(rounds):
        matched = [e for e in escalation_round.escalations if e.handoff_id is not None]
        claim = await claim_all(console, matched)
        reply_post, arrival = Timed(), Timed()
        before, started = cpu.sample(), time.perf_counter()
        if index == 0:
            for escalation in matched:
                await reply_once(console, replies, escalation, reply_post, arrival)
        else:
            await asyncio.gather(
                *(reply_once(console, replies, e, reply_post, arrival) for e in matched)
            )
        wall = time.perf_counter() - started
        reply_post.wall = arrival.wall = wall
        results.append(
            ReplyRound(
                escalation_round.name, claim, reply_post, arrival, cpu.busy_since(before, wall)
            )
        )
        await replies.clear()
    return results


def report_replies(rounds: list[ReplyRound], unexpected: int) -> PartReport:
    report = PartReport("Agent reply → stand-in")
    print(
        "\nAgent reply → Twilio stand-in: console POST /reply until the message arrives at the "
        "stand-in (ms)",
        flush=True,
    )
    for round_ in rounds:
        label = f"{round_.name} ({len(round_.arrival.latencies)} replies)"
        report.add(f"{label}: at the stand-in p50 / p95", p50_p95(round_.arrival.latencies))
        report.add(f"{label}: POST /reply answered p50 / p95", p50_p95(round_.reply_post.latencies))
        report.add(f"{label}: replies per second", f"{round_.arrival.throughput:.1f}")
        report.add(f"{label}: POST /claim beforehand p50 / p95", p50_p95(round_.claim.latencies))
        print(f"    CPU: {describe_cpu(round_.cpu)}", flush=True)
    if unexpected:
        print(f"  note: {unexpected} messages at the stand-in that no reply waited for", flush=True)
    report.limit(
        cpu_limit_line(
            rounds[-1].cpu,
            "a reply goes console API → handoff service → gateway API → outbox → Twilio client",
        )
    )
    return report


async def stack_benchmark(
    settings: Settings, stack: Stack, standin_url: str, auth_token: str, cpu: CpuMeter
) -> list[PartReport]:
    login, password = await make_agent(stack.env["DATABASE_URL"])
    handoff_url = stack.url("HANDOFF_PORT")
    console = ConsoleClient(handoff_url, stack.env["CONSOLE_ORIGIN"])
    reports = []
    try:
        await console.log_in(login, password)
        # The agent stays off line (never POST /presence): auto-assignment leaves the handoffs
        # in the queue, where the console shows them.
        socket_url = handoff_url.replace("http://", "ws://", 1) + "/console/ws"
        async with (
            connect(
                socket_url,
                origin=Origin(console.origin),
                additional_headers={"Cookie": console.cookie_header()},
            ) as socket,
            httpx.AsyncClient(timeout=60, trust_env=False) as http,
        ):
            page = ConsolePage(console, socket)
            listening = asyncio.create_task(page.run())
            members = Members(http, stack.gateway_url, auth_token, standin_url)
            try:
                rounds = await run_escalations(settings, members, page, cpu)
                handoff_ids = [e.handoff_id for r in rounds for e in r.escalations]
                opened = await opened_at(
                    stack.env["DATABASE_URL"], [hid for hid in handoff_ids if hid is not None]
                )
                reports.append(report_escalations(rounds, page, opened))
                if "reply" in settings.parts:
                    # The bot's messages of the escalations are not replies: emptied first.
                    (await http.delete(f"{standin_url}/_standin/messages")).raise_for_status()
                    replies = ReplyWatcher(http, standin_url)
                    poller = asyncio.create_task(replies.run())
                    try:
                        reply_rounds = await run_replies(rounds, console, replies, cpu)
                    finally:
                        poller.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await poller
                    reports.append(report_replies(reply_rounds, replies.unexpected))
            finally:
                listening.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await listening
    finally:
        await console.aclose()
    return reports


def run_stack_parts(settings: Settings) -> list[PartReport]:
    wait_for_free_ports([int(port) for port in BENCH_PORTS.values()])
    standin_port = first_free_port(STANDIN_PORTS)
    auth_token = secrets.token_hex(16)
    with (
        tempfile.TemporaryDirectory(prefix="acolhe-bench-handoff-") as var_name,
        contextlib.ExitStack() as processes,
    ):
        var_dir = Path(var_name)
        try:
            stack, pids = boot(settings, standin_port, var_dir, auth_token, processes)
            return asyncio.run(
                stack_benchmark(
                    settings,
                    stack,
                    f"http://127.0.0.1:{standin_port}",
                    auth_token,
                    CpuMeter(pids),
                )
            )
        except Exception:
            for log in ("stack.log", "standin.log"):
                print(f"\n--- last lines of {log}\n{tail(var_dir / log)}")
            raise


# ---- queue operations at scale ------------------------------------------------------------------


def pids_named(*names: str) -> list[int]:
    """Processes whose command name is one of `names` (the database servers on this machine)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in names:
                    pids.append(int(entry.name))
    return pids


class ServiceCpu:
    """CPU used by this process, PostgreSQL, Redis and the whole machine over a stretch of the
    in-process part, in percent of one core."""

    def __init__(self) -> None:
        self._pids = {
            "bench (queue code, SQLAlchemy, SQLite)": [os.getpid()],
            "PostgreSQL": pids_named("postgres"),
            "Redis": pids_named("redis-server"),
        }
        self._before = self._sample()

    def _sample(self) -> dict[str, float]:
        sample = {name: sum(map(cpu_seconds, pids)) for name, pids in self._pids.items()}
        sample[MACHINE] = machine_busy_seconds()
        sample["wall"] = time.perf_counter()
        return sample

    def shares(self) -> dict[str, float]:
        after = self._sample()
        wall = max(after["wall"] - self._before["wall"], 1e-9)
        return {
            name: 100 * (after[name] - self._before[name]) / wall
            for name in after
            if name != "wall"
        }


class StatementCounter:
    """SQL statements the engine sends, to say how many round trips an operation makes."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


@dataclass
class Step:
    """One measured stretch of the queue part."""

    timed: Timed
    statements: int
    cpu: dict[str, float]

    @property
    def statements_per_call(self) -> float:
        return self.statements / max(len(self.timed.latencies), 1)


@dataclass
class QueueResult:
    database: str
    steps: dict[str, Step] = field(default_factory=dict)
    agents_wall: float = 0.0
    bulk_loaded: int = 0
    bulk_wall: float = 0.0
    early_opens: int = 0
    assigned: int = 0
    places: int = 0
    refiled: int = 0
    breaches: int = 0
    open_at_sla: int = 0

    def step(self, name: str) -> Step | None:
        return self.steps.get(name)


@contextlib.contextmanager
def measured(result: QueueResult, name: str, counter: StatementCounter) -> Iterator[Timed]:
    timed, cpu, statements = Timed(), ServiceCpu(), counter.count
    started = time.perf_counter()
    yield timed
    timed.wall = time.perf_counter() - started
    if not timed.latencies:  # a single operation: the stretch is its latency
        timed.latencies.append(timed.wall)
    result.steps[name] = Step(timed, counter.count - statements, cpu.shares())


async def timed_call(timed: Timed, call: Awaitable[Any]) -> Any:
    started = time.perf_counter()
    answer = await call
    timed.latencies.append(time.perf_counter() - started)
    return answer


def weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def agent_profile(index: int) -> tuple[str, list[str]]:
    if index % SUPERVISOR_EVERY == 0:
        return Role.SUPERVISOR, [skill.value for skill in Skill]
    return Role.AGENT, AGENT_SKILL_SETS[index % len(AGENT_SKILL_SETS)]


async def create_agents(sessions: Sessions, redis: Redis, count: int) -> list[int]:
    # The console's password hashing at a low cost: only the queue is measured here.
    passwords = Passwords.from_settings(
        ConsoleAuthSettings(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
    )
    ids = []
    for index in range(count):
        role, skills = agent_profile(index)
        agent = await create_agent(
            sessions,
            passwords,
            login=f"agent{index:04d}@bench.acolhe.test",
            display_name=f"Agent {index}",
            role=role,
            skills=skills,
            capacity=AGENT_QUEUE_CAPACITY,
            password=secrets.token_urlsafe(16),
        )
        await set_presence(
            sessions, redis, agent_id=agent.id, status=PresenceStatus.ONLINE, now=QUEUE_START
        )
        ids.append(agent.id)
    return ids


def handoff_request(rng: random.Random, index: int) -> dict[str, Any]:
    """What the gateway sends to open a handoff: mixed priorities, skills and languages."""
    priority = weighted(rng, PRIORITY_WEIGHTS)
    skill = Skill.CLINICAL if priority == Priority.RED else weighted(rng, SKILL_WEIGHTS)
    return {
        "conversation_id": f"bench-{index:06d}-{secrets.token_hex(4)}",
        "channel": "whatsapp",
        "language": "es" if index % 10 == 0 else "pt",
        "priority": priority.value,
        "skill": skill.value,
        "reasons": REASONS_BY_PRIORITY[priority],
        # About the size of what action_request_handoff sends.
        "summary": {
            "member": {"name": "Maria", "verified": index % 3 != 0, "plan": "Acolhe Essencial"},
            "journey": "handoff",
            "slots": {"procedure": "consulta", "city": "São Paulo"},
            "signals": {"frustration": round(rng.random(), 2)},
            "last_turns": [
                {"author": "member", "text": "quero falar com um atendente"},
                {"author": "bot", "text": "Vou chamar uma pessoa da equipe."},
            ],
        },
    }


async def bulk_load(sessions: Sessions, requests: list[tuple[dict[str, Any], datetime]]) -> None:
    """The rows open_handoff leaves (waiting handoff, protocol, `handoff.opened` entry, the day's
    protocol counter), written in bulk: the queue's depth without timing every opening. The Redis
    copy is left to the first read, which rebuilds it as after a Redis loss."""
    async with sessions() as session, session.begin():
        # Numbers go on from those the timed openings drew.
        sequences = {row.day: row.last for row in await session.scalars(select(ProtocolSequence))}
        for start in range(0, len(requests), BULK_CHUNK):
            handoffs = []
            for values, at in requests[start : start + BULK_CHUNK]:
                day = protocol_day(at)
                sequences[day] = sequences.get(day, 0) + 1
                protocol = protocol_number(DEMO_ANS_REGISTRATION, day, sequences[day])
                handoffs.append(
                    Handoff(
                        **values,
                        protocol=protocol,
                        status=HandoffStatus.WAITING.value,
                        created_at=at,
                        priority_since=at,
                        escalation_level=0,
                    )
                )
            session.add_all(handoffs)
            await session.flush()
            session.add_all(
                HandoffEvent(
                    handoff_id=handoff.id,
                    name=EventName.OPENED.value,
                    detail={
                        "priority": handoff.priority,
                        "skill": handoff.skill,
                        "reasons": handoff.reasons,
                        "channel": handoff.channel,
                        "language": handoff.language,
                    },
                    at=handoff.created_at,
                )
                for handoff in handoffs
            )
            await session.flush()
        for day, last in sequences.items():
            await session.execute(
                insert_for(session)(ProtocolSequence)
                .values(day=day, last=last)
                .on_conflict_do_update(
                    index_elements=[ProtocolSequence.day],
                    set_={"last": last},
                )
            )


async def waiting_by_skill(sessions: Sessions) -> dict[str, list[int]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Handoff.id, Handoff.skill)
            .where(Handoff.status == HandoffStatus.WAITING)
            .order_by(*QUEUE_ORDER)
        )
        by_skill: dict[str, list[int]] = {}
        for handoff_id, skill in rows:
            by_skill.setdefault(skill, []).append(handoff_id)
        return by_skill


async def count_open(sessions: Sessions) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Handoff)
            .where(Handoff.status != HandoffStatus.RESOLVED)
        )
        return int(count or 0)


def reading_agents(agent_ids: list[int]) -> list[int]:
    """A few agents of different profiles: front line, two skills, clinical, a supervisor."""
    picks = [1, 2, 3, 4, 0]
    return [agent_ids[index] for index in picks if index < len(agent_ids)] or agent_ids[:1]


def print_step(label: str, step: Step) -> None:
    timed = step.timed
    print(
        f"  {label}: p50 / p95 {p50_p95(timed.latencies)} ms, {timed.wall:.1f}s in all "
        f"({timed.throughput:.0f}/s, {step.statements_per_call:.0f} SQL statements each)",
        flush=True,
    )


async def queue_operations(
    settings: Settings, database: str, database_url: str, redis: Redis
) -> QueueResult:
    result = QueueResult(database)
    engine: AsyncEngine = create_engine(database_url)
    try:
        await create_tables(engine)
        counter = StatementCounter(engine)
        sessions: Sessions = session_factory(engine)
        rng = random.Random(7)
        step = OPENING_SPAN / settings.handoffs
        opened_by = QUEUE_START + OPENING_SPAN
        requests = [
            (handoff_request(rng, index), QUEUE_START + index * step)
            for index in range(settings.handoffs)
        ]

        started = time.perf_counter()
        agent_ids = await create_agents(sessions, redis, settings.agents)
        result.agents_wall = time.perf_counter() - started
        print(f"  {settings.agents} agents created and put on line in {result.agents_wall:.1f}s")

        # Timed openings into a short queue, the bulk of the queue loaded at once, then timed
        # openings into the deep queue: what an opening costs, and how that grows with depth.
        timed_opens = min(settings.timed_opens, settings.handoffs)
        result.early_opens = timed_opens // 4
        late_from = settings.handoffs - (timed_opens - result.early_opens)
        windows = [("open, short queue", 0, result.early_opens)]
        windows.append(("open, deep queue", late_from, settings.handoffs))
        for name, start, end in windows:
            if name == "open, deep queue" and start > result.early_opens:
                loaded = time.perf_counter()
                await bulk_load(sessions, requests[result.early_opens : start])
                result.bulk_wall = time.perf_counter() - loaded
                result.bulk_loaded = start - result.early_opens
                print(
                    f"  {result.bulk_loaded} more handoffs loaded in bulk in "
                    f"{result.bulk_wall:.1f}s (untimed)",
                    flush=True,
                )
            with measured(result, name, counter) as timed:
                for values, at in requests[start:end]:
                    await timed_call(timed, open_handoff(sessions, redis, **values, now=at))
            print_step(f"open_handoff ×{end - start} (queue {start} → {end})", result.steps[name])

        readers = reading_agents(agent_ids)
        with measured(result, "first read", counter):
            await queue_for_agent(sessions, redis, agent_id=readers[0])
        print(
            "  first queue read (builds the Redis copy from SQL): "
            f"{ms(result.steps['first read'].timed.wall)} ms",
            flush=True,
        )
        with measured(result, "read", counter) as timed:
            for index in range(settings.queue_reads):
                await timed_call(
                    timed, queue_for_agent(sessions, redis, agent_id=readers[index % len(readers)])
                )
        print_step(f"queue_for_agent ×{settings.queue_reads} (50 shown)", result.steps["read"])

        claimed = await claim_some(settings, sessions, redis, agent_ids, opened_by, result, counter)
        print_step(f"claim_handoff ×{len(claimed)}", result.steps["claim"])
        with measured(result, "resolve", counter) as timed:
            for handoff_id, agent_id in claimed:
                await timed_call(
                    timed,
                    resolve_handoff(
                        sessions,
                        redis,
                        handoff_id=handoff_id,
                        by_agent_id=agent_id,
                        now=opened_by + timedelta(minutes=5),
                    ),
                )
        print_step(f"resolve_handoff ×{len(claimed)} (frees the places)", result.steps["resolve"])

        result.places = settings.agents * AGENT_QUEUE_CAPACITY
        with measured(result, "assign", counter):
            assigned = await auto_assign(sessions, redis, now=opened_by + timedelta(minutes=6))
        result.assigned = len(assigned)
        wall = result.steps["assign"].timed.wall
        print(
            f"  auto_assign, one pass: {result.assigned} of {result.places} free places filled "
            f"in {wall:.2f}s ({result.assigned / wall:.0f}/s)",
            flush=True,
        )

        await redis.flushdb()
        with measured(result, "reconcile", counter):
            result.refiled, _ = await FastPath(redis).reconcile(sessions)
        print(
            f"  FLUSHDB, then FastPath.reconcile: {result.refiled} handoffs re-filed in "
            f"{result.steps['reconcile'].timed.wall:.2f}s",
            flush=True,
        )

        result.open_at_sla = await count_open(sessions)
        policy, hours = load_sla_policy(), load_business_hours()
        sla_at = opened_by + timedelta(minutes=7)
        with measured(result, "sla first", counter):
            breaches = await evaluate_sla(sessions, redis, policy=policy, hours=hours, now=sla_at)
        result.breaches = len(breaches)
        with measured(result, "sla again", counter):
            await evaluate_sla(
                sessions, redis, policy=policy, hours=hours, now=sla_at + timedelta(seconds=5)
            )
        print(
            f"  evaluate_sla over {result.open_at_sla} open handoffs: first pass "
            f"{result.steps['sla first'].timed.wall:.2f}s ({result.breaches} breaches recorded), "
            f"next pass 5 s later {result.steps['sla again'].timed.wall:.2f}s",
            flush=True,
        )
    finally:
        await engine.dispose()
    return result


async def claim_some(
    settings: Settings,
    sessions: Sessions,
    redis: Redis,
    agent_ids: list[int],
    at: datetime,
    result: QueueResult,
    counter: StatementCounter,
) -> list[tuple[int, int]]:
    """Agents in turn take the head of one of their queues, within their capacity."""
    by_skill = await waiting_by_skill(sessions)
    profiles = [agent_profile(index)[1] for index in range(len(agent_ids))]
    claimed: list[tuple[int, int]] = []
    with measured(result, "claim", counter) as timed:
        for turn in range(settings.claims):
            index = turn % len(agent_ids)
            skills = [skill for skill in profiles[index] if by_skill.get(skill)]
            if not skills:
                continue
            handoff_id = by_skill[skills[turn % len(skills)]].pop(0)
            await timed_call(
                timed,
                claim_handoff(
                    sessions,
                    redis,
                    handoff_id=handoff_id,
                    agent_id=agent_ids[index],
                    now=at + timedelta(seconds=turn),
                ),
            )
            claimed.append((handoff_id, agent_ids[index]))
    return claimed


def database_url_for(database: str, var_dir: Path) -> str:
    if database == "sqlite":
        return f"sqlite:///{var_dir}/queue.db"
    return fresh_postgres_database(PG_DATABASE)


def drop_postgres_database() -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


async def queue_part(settings: Settings, database: str, var_dir: Path) -> QueueResult:
    redis = Redis.from_url(QUEUE_REDIS_URL)
    try:
        await redis.flushdb()
        url = database_url_for(database, var_dir)
        return await queue_operations(settings, database, url, redis)
    finally:
        with contextlib.suppress(Exception):
            await redis.flushdb()
        await redis.aclose()


def run_queue_parts(settings: Settings) -> tuple[PartReport, list[QueueResult]]:
    # The queue code logs each rebuild and each pass; the figures say it all here.
    logging.getLogger("handoff").setLevel(logging.ERROR)
    results = []
    with tempfile.TemporaryDirectory(prefix="acolhe-bench-queue-") as var_name:
        for database in settings.databases:
            print(
                f"\nQueue operations, {database_label(database)}: {settings.agents} agents on "
                f"line, {settings.handoffs} handoffs, Redis {QUEUE_REDIS_URL} (flushed)",
                flush=True,
            )
            try:
                results.append(asyncio.run(queue_part(settings, database, Path(var_name))))
            except (psycopg.OperationalError, OSError) as error:
                print(f"  skipped: {error}", flush=True)
            finally:
                if database == "postgresql":
                    with contextlib.suppress(psycopg.Error):
                        drop_postgres_database()
    report = PartReport("Queue operations at scale")
    print()
    for result in results:
        report.limit(queue_limit_line(result))
    if results:
        report.limit(per_item_line(results[-1]))
    return report, results


def database_label(database: str) -> str:
    return "SQLite (a fresh file)" if database == "sqlite" else "PostgreSQL (a fresh database)"


def queue_limit_line(result: QueueResult) -> str:
    deep = result.steps["open, deep queue"]
    short = result.step("open, short queue")
    cpu = deep.cpu
    own = next(share for name, share in cpu.items() if name.startswith("bench"))
    others = ", ".join(
        f"{name} {share:.0f}%"
        for name, share in cpu.items()
        if not name.startswith("bench") and name != MACHINE and share >= 1
    )
    growth = ""
    if short is not None and short.timed.latencies:
        growth = (
            f"; p50 {ms(statistics.median(short.timed.latencies))} ms into a short queue, "
            f"{ms(statistics.median(deep.timed.latencies))} ms into the deep one"
        )
    database = sum(share for name, share in cpu.items() if name in ("PostgreSQL", "Redis"))
    if own > 80:
        bound = "the Python side is the limit (one core: queue code, SQLAlchemy's ORM"
        bound += ", SQLite)" if result.database == "sqlite" else ")"
    elif own + database > 80:
        bound = "Python and the servers take turns along one chain of round trips"
    else:
        bound = "the operations wait on their round trips more than they compute"
    if cpu[MACHINE] > 85 * (os.cpu_count() or 1):
        bound += "; the machine's CPUs were busy with other work too"
    return (
        f"{result.database}: while opening into the deep queue the bench process used "
        f"{own:.0f}% of a core{', ' + others if others else ''} (machine {cpu[MACHINE]:.0f}% of "
        f"{(os.cpu_count() or 1) * 100}%): {bound}; {deep.statements_per_call:.0f} SQL "
        f"statements per opening, one after another{growth}"
    )


def per_item_line(result: QueueResult) -> str:
    assign = result.steps["assign"]
    sla = result.steps["sla first"]
    again = result.steps["sla again"]
    return (
        f"{result.database}: auto_assign and evaluate_sla make one small transaction per "
        "assignment or breach (so that several copies can run at once): "
        f"{ms(assign.timed.wall / max(result.assigned, 1))} ms and "
        f"{assign.statements / max(result.assigned, 1):.0f} statements per assignment, "
        f"{ms(sla.timed.wall / max(result.breaches, 1))} ms per breach; with nothing due, a pass "
        f"reads every open handoff ({ms(again.timed.wall)} ms for {result.open_at_sla})"
    )


def queue_rows(results: list[QueueResult]) -> list[tuple[str, list[str]]]:
    def each(make: Callable[[QueueResult], str]) -> list[str]:
        return [make(result) for result in results]

    def timed_row(name: str) -> Callable[[QueueResult], str]:
        def cell(result: QueueResult) -> str:
            step = result.step(name)
            return p50_p95(step.timed.latencies) if step else "—"

        return cell

    def wall(name: str) -> Callable[[QueueResult], str]:
        def cell(result: QueueResult) -> str:
            step = result.step(name)
            return f"{step.timed.wall:.2f}" if step else "—"

        return cell

    def rate(name: str) -> Callable[[QueueResult], str]:
        def cell(result: QueueResult) -> str:
            step = result.step(name)
            return f"{step.timed.throughput:.0f}" if step else "—"

        return cell

    first = results[0]

    def count(name: str) -> int:
        step = first.step(name)
        return len(step.timed.latencies) if step else 0

    short = first.step("open, short queue")
    deep = first.step("open, deep queue")
    short_count = len(short.timed.latencies) if short else 0
    deep_count = len(deep.timed.latencies) if deep else 0
    depth = first.early_opens + first.bulk_loaded + deep_count
    handoffs = first.open_at_sla
    rows = []
    if short_count:
        rows.append(
            (
                f"open_handoff, queue 0 → {short_count}: p50 / p95 ms",
                each(timed_row("open, short queue")),
            )
        )
    rows += [
        (
            f"open_handoff, queue {depth - deep_count} → {depth}: p50 / p95 ms",
            each(timed_row("open, deep queue")),
        ),
        ("open_handoff, deep queue: opens/s (one at a time)", each(rate("open, deep queue"))),
        (
            "first queue read, Redis copy built from SQL: ms",
            each(lambda r: ms(r.steps["first read"].timed.wall)),
        ),
        (f"queue_for_agent ×{count('read')} (50 shown): p50 / p95 ms", each(timed_row("read"))),
        (f"claim_handoff ×{count('claim')}: p50 / p95 ms", each(timed_row("claim"))),
        (f"resolve_handoff ×{count('resolve')}: p50 / p95 ms", each(timed_row("resolve"))),
        (
            "auto_assign, one pass: assigned / free places, s",
            each(lambda r: f"{r.assigned} / {r.places}, {r.steps['assign'].timed.wall:.2f}"),
        ),
        (
            "FLUSHDB, then FastPath.reconcile: re-filed, s",
            each(lambda r: f"{r.refiled}, {r.steps['reconcile'].timed.wall:.2f}"),
        ),
        (
            f"evaluate_sla over {handoffs} open, first pass: breaches, s",
            each(lambda r: f"{r.breaches}, {r.steps['sla first'].timed.wall:.2f}"),
        ),
        ("evaluate_sla, next pass (nothing new): s", each(wall("sla again"))),
    ]
    return rows


# ---- summary -----------------------------------------------------------------------------------


def settings_lines(settings: Settings) -> list[str]:
    lines = [f"parts: {', '.join(settings.parts)}"]
    if settings.stack_parts:
        database = (
            "SQLite (as make run)"
            if settings.database_url is None
            else make_url(settings.database_url).render_as_string(hide_password=True)
        )
        lines.append(
            f"stack: bench ports, database {database}, Redis database 2; one agent (clinical, "
            f"front line, capacity {AGENT_CAPACITY}) logged in with password and TOTP, off line, "
            "its console websocket open"
        )
        lines.append(
            f"escalations: {WARM_UP_MEMBERS} unmeasured, then {settings.members} members one at a "
            f"time (each once the previous has their protocol) and {settings.concurrent} at once; "
            f"every {URGENT_EVERY}th writes an urgent message, the others ask for a person"
        )
        lines.append(
            f"Twilio stand-in: API latency {settings.twilio_latency_ms} ms, no status callbacks; "
            "a reply counts as arrived when its request reaches the stand-in"
        )
    if "queue" in settings.parts:
        lines.append(
            f"queue: in process, {settings.agents} agents online (capacity "
            f"{AGENT_QUEUE_CAPACITY}; one in {SUPERVISOR_EVERY} a supervisor), "
            f"{settings.handoffs} handoffs waiting, stamped over a simulated hour of a Wednesday "
            "morning (red 5% clinical, yellow 30%, green 65%; front line half of the rest); "
            f"{min(settings.timed_opens, settings.handoffs)} opened one at a time through "
            "open_handoff and timed (a quarter first, the rest last), the others loaded in bulk "
            "as open_handoff leaves them"
        )
        lines.append(
            f"queue: Redis {QUEUE_REDIS_URL} (flushed), SQLite in a temporary file, PostgreSQL "
            f"database {PG_DATABASE} made and dropped; each operation called one at a time"
        )
    return lines


def print_summary(
    settings: Settings,
    machine: str,
    reports: list[PartReport],
    queue_results: list[QueueResult],
) -> None:
    print("\n## Handoff benchmark\n")
    stack_reports = [report for report in reports if report.title != "Queue operations at scale"]
    if stack_reports:
        print("| Stack (WhatsApp through the stand-in) | |")
        print("|---|---:|")
        for report in stack_reports:
            for row in report.rows:
                print(f"| {report.title}: {row.label} | {row.value} |")
        print()
    if queue_results:
        names = [
            "SQLite" if result.database == "sqlite" else "PostgreSQL" for result in queue_results
        ]
        print(
            f"| Queue, {settings.handoffs} waiting, {settings.agents} agents online | "
            + " | ".join(names)
            + " |"
        )
        print("|---|" + "---:|" * len(names))
        for label, values in queue_rows(queue_results):
            print(f"| {label} | {' | '.join(values)} |")
        print()
    print("What limits it:")
    for report in reports:
        for line in report.limits:
            print(f"- {report.title}: {line}")
    print(f"\nMachine: {machine}.\nSettings:")
    for line in settings_lines(settings):
        print(f"- {line}")


# ---- main ---------------------------------------------------------------------------------------


def _interrupt(_signal: int, _frame: object) -> None:
    # A second Ctrl-C must not cut the clean-up short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    except KeyboardInterrupt:
        print("\nInterrupted; every process the benchmark started is stopped.", file=sys.stderr)
        sys.exit(130)


def main(argv: list[str] | None = None) -> None:
    settings = parse_settings(argv)
    machine = machine_description()
    reports: list[PartReport] = []
    queue_results: list[QueueResult] = []
    with stopping_on_signals():
        if settings.stack_parts:
            reports += run_stack_parts(settings)
        if "queue" in settings.parts:
            report, queue_results = run_queue_parts(settings)
            reports.append(report)
    print_summary(settings, machine, reports, queue_results)


if __name__ == "__main__":
    main()

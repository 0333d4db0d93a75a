"""WhatsApp through Acolhe's gateway against stock Rasa 3.6: turn latency, throughput, and the
first turn of a member with a long history.

Boots, on bench ports, with a temporary var/ folder and Redis database 2:
- our stack as `make run` does, with the WhatsApp channel on, sending through the Twilio
  stand-in (tests/twilio_standin) run as its own process with a fixed API latency;
- stock Rasa 3.6 with the same model and the same action server, with its default stores
  (in-memory tracker store, in-memory lock store), reached through its REST channel.

A turn of ours is a signed Twilio webhook in, until the bot's reply reaches the stand-in; a turn
of stock Rasa is one REST round trip (synchronous by protocol). A conversation sends its next
message only once the previous one is answered.

Printed: p50/p95 latency and throughput at each concurrency with the CPU each process used, where
our turns' time went (from the gateway's own commit times), the latency along a long conversation
and the first turn of a member with that long history against a new member's, then a markdown
summary with the machine and the settings.

    python -m bench.whatsapp [--turns 200] [--concurrency 1,16,64] [--long-turns 500]
                             [--probe-turns 20] [--twilio-latency-ms 50] [--status-callbacks]
                             [--database-url postgresql://...] [--rasa-workers 1]
"""

import argparse
import asyncio
import contextlib
import itertools
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import aliased

from bench.__main__ import BENCH_PORTS, PROCESS_NAMES, percentile, process_tree
from channels.models import Message, as_utc
from common.db import create_engine
from ops.stack import ROOT, Stack, stack_environment
from tests.twilio_standin import inbound_message_params, post_inbound

# The two servers the Procfile does not have: the first free port from these. They lie in the
# kernel's ephemeral range, where a busy database client may hold a port for a while.
STOCK_RASA_PORTS = range(35105, 35150)
STANDIN_PORTS = range(38010, 38050)
PORT_WAIT_SECONDS = 90.0
REDIS_URL = "redis://localhost:6379/2"
TWILIO_ACCOUNT_SID = "AC" + "be4c" * 8
WHATSAPP_NUMBER = "+551140040000"

# Messages the assistant answers with a single reply, in Portuguese and Spanish.
MESSAGES = ["oi", "obrigado", "o que vc pode fazer?", "hola", "gracias", "¿qué puedes hacer?"]

# Measured turns of one conversation in the concurrency part; then a new member takes its place.
CONVERSATION_TURNS = 10
POLL_SECONDS = 0.01
TURN_TIMEOUT_SECONDS = 120.0
BOOT_TIMEOUT_SECONDS = 300.0
# The stand-in returns its whole message list on every poll: emptied this often during the long
# build (and between phases) so that a poll stays cheap.
CLEAR_EVERY_TURNS = 50
# Latency marks while a long conversation is built; each is shown with the median of the turns
# just before it, one turn alone being noisy.
BUILD_MARKS = (1, 100, 300, 500)
MARK_WINDOW = 10

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MACHINE = "machine"


# ---- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    turns: int
    concurrency: list[int]
    long_turns: int
    probe_turns: int
    twilio_latency_ms: int
    status_callbacks: bool
    database_url: str | None
    rasa_workers: int

    @property
    def callback_mode(self) -> str:
        # "read": sent, delivered, read, each one a signed callback the gateway stores.
        return "read" if self.status_callbacks else "none"

    def database_label(self) -> str:
        if self.database_url is None:
            return "SQLite (one file per process, as make run)"
        return make_url(self.database_url).render_as_string(hide_password=True)


def parse_settings(argv: list[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(
        prog="python -m bench.whatsapp",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--turns", type=int, default=200, help="measured turns per level")
    parser.add_argument("--concurrency", default="1,16,64", help="concurrent conversations")
    parser.add_argument("--long-turns", type=int, default=500, help="earlier turns of the member")
    parser.add_argument("--probe-turns", type=int, default=20, help="turns per long-run figure")
    parser.add_argument("--twilio-latency-ms", type=int, default=50)
    parser.add_argument("--status-callbacks", action="store_true", help="sent/delivered/read")
    parser.add_argument(
        "--database-url", help="PostgreSQL for every SQL store (an empty database); else SQLite"
    )
    parser.add_argument(
        "--rasa-workers",
        type=int,
        default=1,
        help="Sanic workers of our Rasa (SANIC_WORKERS; stock's in-memory stores allow only 1)",
    )
    args = parser.parse_args(argv)
    return Settings(
        turns=args.turns,
        concurrency=[int(level) for level in args.concurrency.split(",")],
        long_turns=args.long_turns,
        probe_turns=args.probe_turns,
        twilio_latency_ms=args.twilio_latency_ms,
        status_callbacks=args.status_callbacks,
        database_url=args.database_url,
        rasa_workers=args.rasa_workers,
    )


@dataclass(frozen=True)
class ExtraServers:
    standin_port: int
    stock_rasa_port: int

    @property
    def standin_url(self) -> str:
        return f"http://127.0.0.1:{self.standin_port}"

    @property
    def stock_rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.stock_rasa_port}"


# ---- the processes ---------------------------------------------------------------------------


def stack_overrides(
    settings: Settings, var_dir: Path, auth_token: str, standin_url: str
) -> dict[str, str]:
    gateway_url = f"http://127.0.0.1:{BENCH_PORTS['GATEWAY_PORT']}"
    overrides = {
        **BENCH_PORTS,
        "ACOLHE_VAR_DIR": str(var_dir),
        "REDIS_URL": REDIS_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": auth_token,
        "TWILIO_API_BASE_URL": standin_url,
        "WHATSAPP_FROM": f"whatsapp:{WHATSAPP_NUMBER}",
        "PUBLIC_BASE_URL": gateway_url,
        "SANIC_WORKERS": str(settings.rasa_workers),
    }
    # Named outright, so that a DATABASE_URL in the shell or in .env cannot change the run.
    if settings.database_url is None:
        overrides["DATABASE_URL"] = f"sqlite:///{var_dir}/acolhe.db"
        overrides["TRACKER_STORE_URL"] = f"sqlite:///{var_dir}/rasa.db"
        overrides["SANDBOX_DATABASE_URL"] = f"sqlite:///{var_dir}/sandbox.db"
    else:
        for name in ("DATABASE_URL", "TRACKER_STORE_URL", "SANDBOX_DATABASE_URL"):
            overrides[name] = settings.database_url
    return overrides


def standin_command(settings: Settings, auth_token: str, port: int) -> list[str]:
    options = {
        "--port": str(port),
        "--account-sid": TWILIO_ACCOUNT_SID,
        "--auth-token": auth_token,
        "--latency-ms": str(settings.twilio_latency_ms),
        "--callback-mode": settings.callback_mode,
        "--log-level": "warning",
    }
    return [f"{ROOT}/.venv/bin/python", "-m", "tests.twilio_standin", *flatten(options)]


def stock_rasa_command(endpoints: Path, port: int) -> list[str]:
    options = {
        "--interface": "127.0.0.1",
        "--port": str(port),
        "--model": str(ROOT / "models" / "acolhe.tar.gz"),
        "--endpoints": str(endpoints),
        "--credentials": str(ROOT / "credentials.yml"),
    }
    return [f"{ROOT}/.venv-bot/bin/rasa", "run", "--enable-api", *flatten(options)]


def flatten(options: dict[str, str]) -> list[str]:
    return [word for option in options.items() for word in option]


def write_stock_endpoints(var_dir: Path) -> Path:
    """Only the action endpoint (ours): no tracker or lock store means Rasa's in-memory ones."""
    path = var_dir / "stock-endpoints.yml"
    actions = f"http://127.0.0.1:{BENCH_PORTS['ACTIONS_PORT']}/webhook"
    path.write_text(f"action_endpoint:\n  url: {actions}\n")
    return path


def stock_rasa_environment() -> dict[str, str]:
    # The model's custom components live in bot/, imported from the repository root.
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
        "PYTHONWARNINGS": "ignore",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


@contextlib.contextmanager
def running(
    command: list[str], env: Mapping[str, str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A process in its own session (Ctrl-C does not reach it), stopped with its children."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def port_is_free(port: int) -> bool:
    # Bound the way the servers bind (SO_REUSEADDR): what fails here would fail them.
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_free_ports(ports: list[int]) -> None:
    """The stack's fixed ports; a port held in TIME_WAIT by a client is free within a minute."""
    deadline = time.monotonic() + PORT_WAIT_SECONDS
    while taken := [port for port in ports if not port_is_free(port)]:
        if time.monotonic() > deadline:
            raise SystemExit(f"ports {taken} stay in use; is another run still going?")
        time.sleep(1)


def first_free_port(candidates: range) -> int:
    port = next((port for port in candidates if port_is_free(port)), None)
    if port is None:
        raise SystemExit(f"no free port in {candidates.start}-{candidates.stop - 1}")
    return port


def wait_until_answers(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2, trust_env=False) as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with code {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(url).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")
            time.sleep(0.5)


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"({path.name}: no output)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# ---- where the CPU goes ----------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    try:
        # utime and stime are the 14th and 15th fields; the command name may hold spaces.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU time all cores spent on anything (ours, databases, other work on the machine)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks[:8]) - idle - iowait) / CLOCK_TICKS


def stack_processes(manager_pid: int) -> dict[str, list[int]]:
    """Our processes under honcho, by name (rasa, actions, gateway...)."""
    named: dict[str, list[int]] = {}
    for pid in process_tree(manager_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        name = next((n for fragment, n in PROCESS_NAMES.items() if fragment in command), None)
        if name is not None and not command.startswith("/bin/sh"):
            named.setdefault(name, []).append(pid)
    return named


class CpuMeter:
    """CPU time of each process of the run, to show where a phase's time went."""

    def __init__(self, processes: dict[str, list[int]]) -> None:
        self._processes = processes

    def sample(self) -> dict[str, float]:
        sample = {
            name: sum(cpu_seconds(pid) for pid in pids) for name, pids in self._processes.items()
        }
        own = os.times()
        sample["bench client"] = own.user + own.system
        sample[MACHINE] = machine_busy_seconds()
        return sample

    def busy_since(self, before: dict[str, float], wall: float) -> dict[str, float]:
        """Percent of one core each process used since `before`."""
        after = self.sample()
        return {name: 100 * (after[name] - before[name]) / wall for name in after}


def describe_cpu(busy: dict[str, float], at_least: float = 3.0) -> str:
    ranked = sorted(busy.items(), key=lambda item: -item[1])
    processes = ", ".join(
        f"{name} {share:.0f}%" for name, share in ranked if share >= at_least and name != MACHINE
    )
    return f"{processes} (machine {busy[MACHINE]:.0f}% of {os.cpu_count()}00%)"


# ---- watching replies at the stand-in ---------------------------------------------------------


class ReplyWatcher:
    """One poller for every conversation's replies at the stand-in.

    A turn says which address it expects a reply at before its webhook goes out; the poller reads
    the tail of the stand-in's arrivals every POLL_SECONDS while a turn waits, and resolves the
    turn with the moment the reply arrived there (epoch seconds, before the stand-in's API
    latency): the turn ends when the reply is at Twilio, as a stock REST turn ends when the reply
    is at the client. The polling only delays the member's next message, not the figure.
    """

    def __init__(self, http: httpx.AsyncClient, standin_url: str) -> None:
        self._http = http
        self._arrivals_url = f"{standin_url}/_standin/arrivals"
        self._messages_url = f"{standin_url}/_standin/messages"
        self._waiting: dict[str, asyncio.Future[float]] = {}
        self._seen = 0
        # clear() polls too: one poll at a time, or a tail could be read twice.
        self._polling = asyncio.Lock()
        # Replies nobody waited for: a turn answered with more than one message, which would
        # shift the matching of the later turns of that conversation.
        self.unexpected = 0

    @contextlib.contextmanager
    def expecting(self, address: str) -> Iterator[asyncio.Future[float]]:
        if address in self._waiting:
            raise RuntimeError("a conversation waits for one reply at a time")
        future = asyncio.get_running_loop().create_future()
        self._waiting[address] = future
        try:
            yield future
        finally:
            self._waiting.pop(address, None)

    async def run(self) -> None:
        while True:
            if self._waiting:
                await self._poll()
            await asyncio.sleep(POLL_SECONDS)

    async def _poll(self) -> None:
        async with self._polling:
            await self._read_new_arrivals()

    async def _read_new_arrivals(self) -> None:
        response = await self._http.get(self._arrivals_url, params={"since": self._seen})
        response.raise_for_status()
        arrivals = response.json()
        for arrival in arrivals:
            future = self._waiting.pop(arrival["to"], None)
            if future is None:
                self.unexpected += 1
            elif not future.done():
                future.set_result(arrival["arrived_at"])
        self._seen += len(arrivals)

    async def clear(self, settle_seconds: float = 0.5) -> None:
        """Empty the stand-in's lists; only while no turn is in flight.

        Waits a little first, so that a late second reply to the last turns is counted.
        """
        if self._waiting:
            raise RuntimeError("cleared while a turn waits")
        await asyncio.sleep(settle_seconds)
        async with self._polling:
            await self._read_new_arrivals()
            response = await self._http.delete(self._messages_url)
            response.raise_for_status()
            self._seen = 0


# ---- the two targets --------------------------------------------------------------------------


class Target(Protocol):
    name: str

    def new_member(self) -> str: ...

    async def turn(self, member: str, text: str) -> float:
        """Seconds until `member` has the bot's reply to `text`."""


class AcolheWhatsApp:
    """Our stack: a signed webhook in, until the bot's reply reaches the stand-in."""

    name = "acolhe WhatsApp"

    def __init__(
        self, http: httpx.AsyncClient, gateway_url: str, auth_token: str, replies: ReplyWatcher
    ) -> None:
        self._http = http
        self._webhook_url = f"{gateway_url}/webhooks/whatsapp"
        self._auth_token = auth_token
        self._replies = replies
        self._numbers = itertools.count(900_000_001)
        # MessageSid -> (wall-clock time the webhook went out, turn latency), to split the
        # turns' time with the gateway's own timestamps afterwards.
        self.journal: dict[str, tuple[float, float]] = {}

    def new_member(self) -> str:
        return f"+5511{next(self._numbers)}"

    async def turn(self, member: str, text: str) -> float:
        params = inbound_message_params(
            from_phone=member,
            to=f"whatsapp:{WHATSAPP_NUMBER}",
            body=text,
            account_sid=TWILIO_ACCOUNT_SID,
        )
        with self._replies.expecting(f"whatsapp:{member}") as reply:
            started = time.time()
            response = await post_inbound(self._http, self._webhook_url, params, self._auth_token)
            response.raise_for_status()
            arrived = await asyncio.wait_for(reply, TURN_TIMEOUT_SECONDS)
        self.journal[params["MessageSid"]] = (started, arrived - started)
        return arrived - started


class StockRasaRest:
    """Stock Rasa: one REST round trip, which returns the bot's replies."""

    name = "stock Rasa REST"

    def __init__(self, http: httpx.AsyncClient, rasa_url: str) -> None:
        self._http = http
        self._webhook_url = f"{rasa_url}/webhooks/rest/webhook"
        self._senders = itertools.count(1)
        self.turns_not_single_reply = 0

    def new_member(self) -> str:
        return f"bench-member-{next(self._senders)}"

    async def turn(self, member: str, text: str) -> float:
        started = time.perf_counter()
        response = await self._http.post(
            self._webhook_url, json={"sender": member, "message": text}
        )
        response.raise_for_status()
        elapsed = time.perf_counter() - started
        if len(response.json()) != 1:
            self.turns_not_single_reply += 1
        return elapsed


@dataclass
class TimeSplit:
    """Where our turns' time went, turn by turn (seconds); the three add up to the latency."""

    # Request in until the message is committed (signature check, SQL insert).
    webhook: list[float] = field(default_factory=list)
    # Committed until the reply is committed: queue wait, conversation lock, SQL reads, Rasa.
    answer: list[float] = field(default_factory=list)
    # Reply committed until it arrived at the stand-in: outbox, Twilio client.
    send: list[float] = field(default_factory=list)


async def split_turns(database_url: str, journal: dict[str, tuple[float, float]]) -> TimeSplit:
    """Split each journal turn at the gateway's commit of the message and of its first reply."""
    inbound, outbound = aliased(Message), aliased(Message)
    query = (
        select(inbound.channel_message_id, inbound.created_at, outbound.created_at)
        .join(outbound, outbound.reply_to_id == inbound.id)
        .where(inbound.channel_message_id.in_(list(journal)))
        .order_by(outbound.id)
    )
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(query)).all()
    finally:
        await engine.dispose()
    split, done = TimeSplit(), set()
    for sid, stored_at, answered_at in rows:
        if sid is None or sid in done:
            continue  # a second reply to the same message
        done.add(sid)
        started, latency = journal[sid]
        stored, answered = as_utc(stored_at).timestamp(), as_utc(answered_at).timestamp()
        split.webhook.append(stored - started)
        split.answer.append(answered - stored)
        split.send.append(started + latency - answered)
    return split


# ---- measuring ---------------------------------------------------------------------------------


@dataclass
class LevelResult:
    concurrency: int
    latencies: list[float]
    wall_seconds: float
    cpu: dict[str, float]
    started_wall: float
    split: TimeSplit | None = None

    def in_window(self, started_wall: float) -> bool:
        return self.started_wall <= started_wall <= self.started_wall + self.wall_seconds

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall_seconds


@dataclass
class LongResult:
    build: list[float] = field(default_factory=list)
    new_member: list[float] = field(default_factory=list)
    returning: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.returning) / statistics.median(self.new_member)


def message_for(conversation: int, turn: int) -> str:
    return MESSAGES[(conversation + turn) % len(MESSAGES)]


async def warm_up(target: Target) -> None:
    """Every message once, unmeasured: the first use of a code path is slow (lazy loading)."""
    member = target.new_member()
    for text in MESSAGES:
        await target.turn(member, text)


async def open_conversations(target: Target, members: list[str]) -> None:
    for index, member in enumerate(members):
        await target.turn(member, message_for(index, 0))


async def talk(target: Target, members: list[str], turns: int, latencies: list[float]) -> None:
    """One conversation slot: its members one after another, CONVERSATION_TURNS turns each,
    each message sent once the previous one is answered."""
    for turn in range(turns):
        conversation, within = divmod(turn, CONVERSATION_TURNS)
        text = message_for(conversation, within + 1)
        latencies.append(await target.turn(members[conversation], text))


async def measure_level(
    target: Target,
    turns: int,
    concurrency: int,
    cpu: CpuMeter,
    between: Callable[[], Awaitable[None]],
) -> LevelResult:
    """`turns` turns over `concurrency` conversations at a time.

    Conversations are opened beforehand with one unmeasured turn, and last at most
    CONVERSATION_TURNS measured turns: every level measures the same kind of turn (not a
    session start, not deep into a long conversation, which the long-conversation part covers).
    """
    per_slot = max(turns // concurrency, 1)
    slots = [
        [target.new_member() for _ in range(math.ceil(per_slot / CONVERSATION_TURNS))]
        for _ in range(concurrency)
    ]
    await asyncio.gather(*(open_conversations(target, members) for members in slots))
    await between()
    latencies: list[float] = []
    before, started, started_wall = cpu.sample(), time.perf_counter(), time.time()
    await asyncio.gather(*(talk(target, members, per_slot, latencies) for members in slots))
    wall = time.perf_counter() - started
    result = LevelResult(concurrency, latencies, wall, cpu.busy_since(before, wall), started_wall)
    await between()
    return result


def build_marks(long_turns: int) -> list[int]:
    return sorted({mark for mark in BUILD_MARKS if mark <= long_turns} | {long_turns})


def window_median(latencies: list[float], mark: int) -> float:
    """Median of the MARK_WINDOW turns ending at turn `mark` (1-based)."""
    return statistics.median(latencies[max(mark - MARK_WINDOW, 0) : mark])


async def build_long_conversations(
    targets: list[Target], long_turns: int, between: Callable[[], Awaitable[None]]
) -> tuple[dict[str, str], dict[str, LongResult]]:
    """One member per target says `long_turns` things, the targets taking turns."""
    members = {target.name: target.new_member() for target in targets}
    results = {target.name: LongResult() for target in targets}
    marks = build_marks(long_turns)
    print(
        f"\nBuilding one {long_turns}-turn conversation on each (ms; median of the last "
        f"{MARK_WINDOW} turns in brackets)",
        flush=True,
    )
    for turn in range(1, long_turns + 1):
        for target in targets:
            latency = await target.turn(members[target.name], message_for(0, turn))
            results[target.name].build.append(latency)
        if turn % CLEAR_EVERY_TURNS == 0:
            await between()
        if turn in marks:
            print(
                f"  turn {turn:>4}  "
                + "   ".join(
                    f"{target.name}: {results[target.name].build[-1] * 1000:6.0f} "
                    f"({window_median(results[target.name].build, turn) * 1000:.0f})"
                    for target in targets
                ),
                flush=True,
            )
    return members, results


async def probe_long_conversations(
    targets: list[Target],
    members: dict[str, str],
    results: dict[str, LongResult],
    probe_turns: int,
) -> None:
    """New members' first turns and the long member's next turns, alternately."""
    for turn in range(probe_turns):
        text = message_for(0, turn)
        for target in targets:
            result = results[target.name]
            result.new_member.append(await target.turn(target.new_member(), text))
            result.returning.append(await target.turn(members[target.name], text))


@dataclass
class Report:
    levels: dict[str, list[LevelResult]] = field(default_factory=dict)
    long: dict[str, LongResult] = field(default_factory=dict)
    unexpected_replies: int = 0
    stock_not_single_reply: int = 0


async def run_benchmark(
    settings: Settings,
    servers: ExtraServers,
    gateway_env: dict[str, str],
    auth_token: str,
    cpu: CpuMeter,
) -> Report:
    report = Report()
    connections = httpx.Limits(max_connections=max(settings.concurrency) + 8)
    async with (
        httpx.AsyncClient(
            timeout=TURN_TIMEOUT_SECONDS, trust_env=False, limits=connections
        ) as http,
        httpx.AsyncClient(timeout=10, trust_env=False) as control,
    ):
        replies = ReplyWatcher(control, servers.standin_url)
        poller = asyncio.create_task(replies.run())
        try:
            gateway_url = f"http://127.0.0.1:{gateway_env['GATEWAY_PORT']}"
            ours = AcolheWhatsApp(http, gateway_url, auth_token, replies)
            stock = StockRasaRest(http, servers.stock_rasa_url)
            targets: list[Target] = [ours, stock]
            for target in targets:
                await warm_up(target)
            await replies.clear()
            await measure_levels(settings, targets, cpu, replies.clear, report)
            await split_levels(report.levels[ours.name], ours.journal, gateway_env["DATABASE_URL"])
            members, report.long = await build_long_conversations(
                targets, settings.long_turns, replies.clear
            )
            await probe_long_conversations(targets, members, report.long, settings.probe_turns)
            await replies.clear()
            print_long_probe(report.long, settings)
        finally:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        report.unexpected_replies = replies.unexpected
        report.stock_not_single_reply = stock.turns_not_single_reply
    return report


async def measure_levels(
    settings: Settings,
    targets: list[Target],
    cpu: CpuMeter,
    between: Callable[[], Awaitable[None]],
    report: Report,
) -> None:
    print(
        f"\nTurn latency and throughput, {settings.turns} turns per level, conversations of "
        f"{CONVERSATION_TURNS} turns (CPU: % of one core per process while measured)",
        flush=True,
    )
    print(f"{'target':<17}{'conc.':>6}{'p50 ms':>9}{'p95 ms':>9}{'turns/s':>9}   CPU", flush=True)
    for concurrency in settings.concurrency:
        # One target at a time: they share the machine's cores.
        for target in targets:
            result = await measure_level(target, settings.turns, concurrency, cpu, between)
            report.levels.setdefault(target.name, []).append(result)
            print(
                f"{target.name:<17}{concurrency:>6}{ms(statistics.median(result.latencies)):>9}"
                f"{ms(percentile(result.latencies, 0.95)):>9}{result.throughput:>9.1f}"
                f"   {describe_cpu(result.cpu)}",
                flush=True,
            )


async def split_levels(
    levels: list[LevelResult], journal: dict[str, tuple[float, float]], database_url: str
) -> None:
    print("\nWhere our turns' time went, p50 ms (the gateway's commit times split each turn)")
    print(f"{'conc.':>6}{'webhook':>9}{'queue+Rasa':>12}{'send':>10}")
    for level in levels:
        measured = {sid: turn for sid, turn in journal.items() if level.in_window(turn[0])}
        split = await split_turns(database_url, measured)
        if not split.answer:
            print(f"{level.concurrency:>6}  (no turn found in the gateway's database)")
            continue
        level.split = split
        print(
            f"{level.concurrency:>6}{ms(statistics.median(split.webhook)):>9}"
            f"{ms(statistics.median(split.answer)):>12}{ms(statistics.median(split.send)):>10}",
            flush=True,
        )
    print(
        "  webhook: request until the message is committed; queue+Rasa: until its reply is "
        "committed\n  (queue wait, conversation lock, SQL, Rasa); send: outbox and Twilio client "
        "until the reply reaches the stand-in"
    )


# ---- printing ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def print_long_probe(long: dict[str, LongResult], settings: Settings) -> None:
    print(
        f"\nFirst turns, {settings.probe_turns} each, alternately: a new member against the "
        f"member with {settings.long_turns} earlier turns (ms)",
        flush=True,
    )
    print(f"{'target':<17}{'new p50':>9}{'new p95':>9}{'long p50':>10}{'long p95':>10}{'ratio':>8}")
    for name, result in long.items():
        print(
            f"{name:<17}{ms(statistics.median(result.new_member)):>9}"
            f"{ms(percentile(result.new_member, 0.95)):>9}"
            f"{ms(statistics.median(result.returning)):>10}"
            f"{ms(percentile(result.returning, 0.95)):>10}{result.ratio:>8.2f}",
            flush=True,
        )


def machine_description() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({model}), load average at start {load}"


def summary_rows(report: Report, settings: Settings) -> list[tuple[str, list[str]]]:
    """(label, [ours, stock]) for the summary table."""
    names = list(report.levels)
    rows: list[tuple[str, list[str]]] = []
    for index, concurrency in enumerate(settings.concurrency):
        levels = [report.levels[name][index] for name in names]
        rows.append(
            (f"concurrency {concurrency}: p50 / p95 ms", [p50_p95(r.latencies) for r in levels])
        )
        rows.append(
            (f"concurrency {concurrency}: turns/s", [f"{r.throughput:.1f}" for r in levels])
        )
    for level in report.levels[names[0]]:
        if level.split is not None:
            rows.append(
                (
                    f"concurrency {level.concurrency}: our turn split webhook / queue+Rasa / "
                    "send, p50 ms",
                    [split_label(level.split), "—"],
                )
            )
    longs = [report.long[name] for name in names]
    marks = build_marks(settings.long_turns)
    rows.append(
        (
            f"Building: turn {' / '.join(map(str, marks))}, ms (median of the last {MARK_WINDOW})",
            [" / ".join(ms(window_median(r.build, mark)) for mark in marks) for r in longs],
        )
    )
    rows.append(
        ("New member's first turn: median / p95 ms", [p50_p95(r.new_member) for r in longs])
    )
    rows.append(
        (
            f"Member with {settings.long_turns} earlier turns: median / p95 ms",
            [p50_p95(r.returning) for r in longs],
        )
    )
    rows.append(("Ratio long member / new member (medians)", [f"{r.ratio:.2f}" for r in longs]))
    return rows


def split_label(split: TimeSplit) -> str:
    parts = (split.webhook, split.answer, split.send)
    return " / ".join(ms(statistics.median(part)) for part in parts)


def p50_p95(latencies: list[float]) -> str:
    return f"{ms(statistics.median(latencies))} / {ms(percentile(latencies, 0.95))}"


def settings_lines(settings: Settings, gateway_env: dict[str, str]) -> list[str]:
    levels = ", ".join(map(str, settings.concurrency))
    callbacks = "on (sent, delivered, read)" if settings.status_callbacks else "off"
    turn_concurrency = gateway_env.get("TURN_CONCURRENCY", "64 (default)")
    return [
        f"concurrency {levels}: {settings.turns} measured turns per level, in conversations of up "
        f"to {CONVERSATION_TURNS} turns opened by an unmeasured turn",
        f"long member: {settings.long_turns} earlier turns; {settings.probe_turns} probe turns "
        "each for the new and the long member",
        f"Twilio stand-in: API latency {settings.twilio_latency_ms} ms, status callbacks "
        f"{callbacks}; a turn ends when the reply arrives there (before the API latency); the "
        f"member's next message goes when the bench sees it (polled every "
        f"{POLL_SECONDS * 1000:.0f} ms)",
        f"our stack: database {settings.database_label()}, Redis {REDIS_URL}, gateway "
        f"TURN_CONCURRENCY {turn_concurrency}, Rasa workers {settings.rasa_workers}, tracker "
        "checkpoints (endpoints.yml)",
        "stock Rasa 3.6: same model and action server, in-memory tracker and lock stores",
    ]


def print_summary(
    report: Report, settings: Settings, machine: str, gateway_env: dict[str, str]
) -> None:
    ours, stock = report.levels
    print("\n## WhatsApp benchmark\n")
    print(f"| | {ours} (webhook → reply at Twilio) | {stock} (round trip) |")
    print("|---|---:|---:|")
    for label, values in summary_rows(report, settings):
        print(f"| {label} | {' | '.join(values)} |")
    print(f"\nMachine: {machine}.\nSettings:")
    for line in settings_lines(settings, gateway_env):
        print(f"- {line}")
    if report.unexpected_replies:
        print(
            f"WARNING: {report.unexpected_replies} replies at the stand-in that no turn waited "
            "for (a turn answered twice): our latencies may be understated."
        )
    if report.stock_not_single_reply:
        print(
            f"Note: {report.stock_not_single_reply} stock Rasa turns did not return exactly "
            "one reply."
        )


# ---- main ---------------------------------------------------------------------------------------


def _interrupt(_signal: int, _frame: object) -> None:
    # A second Ctrl-C must not cut the clean-up short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def boot(
    settings: Settings,
    servers: ExtraServers,
    var_dir: Path,
    auth_token: str,
    processes: contextlib.ExitStack,
) -> tuple[Stack, dict[str, list[int]]]:
    """Start the stand-in, our stack and stock Rasa; return the stack and every process id."""
    overrides = stack_overrides(settings, var_dir, auth_token, servers.standin_url)
    env = stack_environment({**os.environ, **overrides})
    standin = processes.enter_context(
        running(
            standin_command(settings, auth_token, servers.standin_port),
            env,
            var_dir / "standin.log",
        )
    )
    stack = Stack(env, log_path=var_dir / "stack.log")
    processes.callback(stack.stop)
    stack.start()
    stock = processes.enter_context(
        running(
            stock_rasa_command(write_stock_endpoints(var_dir), servers.stock_rasa_port),
            stock_rasa_environment(),
            var_dir / "stock-rasa.log",
        )
    )
    started = time.perf_counter()
    wait_until_answers(f"{servers.standin_url}/_standin/health", standin, 30)
    stack.wait_until_healthy(timeout=BOOT_TIMEOUT_SECONDS)
    wait_until_answers(f"{servers.stock_rasa_url}/", stock, BOOT_TIMEOUT_SECONDS)
    print(
        f"Booted our stack, stock Rasa and the stand-in in {time.perf_counter() - started:.0f}s",
        flush=True,
    )
    pids = {
        **stack_processes(stack.manager_pid),
        "stock rasa": sorted(process_tree(stock.pid)),
        "stand-in": sorted(process_tree(standin.pid)),
    }
    return stack, pids


def main(argv: list[str] | None = None) -> None:
    settings = parse_settings(argv)
    # Ctrl-C and `kill` stop the run, every process it started with it, even when started as a
    # background job (which inherits SIGINT ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        run(settings)
    except KeyboardInterrupt:
        print("\nInterrupted; every process the benchmark started is stopped.", file=sys.stderr)
        sys.exit(130)


def run(settings: Settings) -> None:
    wait_for_free_ports([int(port) for port in BENCH_PORTS.values()])
    servers = ExtraServers(first_free_port(STANDIN_PORTS), first_free_port(STOCK_RASA_PORTS))
    machine = machine_description()
    auth_token = secrets.token_hex(16)
    with (
        tempfile.TemporaryDirectory(prefix="acolhe-bench-whatsapp-") as var_name,
        contextlib.ExitStack() as processes,
    ):
        var_dir = Path(var_name)
        try:
            stack, pids = boot(settings, servers, var_dir, auth_token, processes)
            report = asyncio.run(
                run_benchmark(settings, servers, stack.env, auth_token, CpuMeter(pids))
            )
        except Exception:
            for log in ("stack.log", "stock-rasa.log", "standin.log"):
                print(f"\n--- last lines of {log}\n{tail(var_dir / log)}")
            raise
    print_summary(report, settings, machine, stack.env)


if __name__ == "__main__":
    main()

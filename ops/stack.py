"""Start the whole Acolhe stack, wait until every part answers, print where to go.

    python -m ops.stack run             # what `make run` does; Ctrl-C stops everything
    python -m ops.stack exec CMD ...    # run CMD with the stack's environment (e.g. `rasa shell`)

The same `Stack` boots the stack for the end-to-end tests, on other ports and another var/ folder,
so the tests run exactly what a user runs.
"""

import asyncio
import base64
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from arq import create_pool
from arq.connections import RedisSettings
from dotenv import dotenv_values
from redis import Redis
from redis.exceptions import RedisError

from common.db import create_engine, session_factory
from handoff.agents.admin import DemoAgent, seed_demo_agent

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_PORTS = {
    "RASA_PORT": 5005,
    "ACTIONS_PORT": 5055,
    "GATEWAY_PORT": 8000,
    "HANDOFF_PORT": 8001,
    "SANDBOX_PORT": 8002,
}


def stack_environment(base: Mapping[str, str]) -> dict[str, str]:
    """The environment every process gets: `base`, then `.env`, then the embedded defaults.

    Every SQL store follows DATABASE_URL when it is set (PostgreSQL); otherwise each process has
    its own SQLite file under ACOLHE_VAR_DIR.
    """
    dotenv = {name: value for name, value in dotenv_values(ROOT / ".env").items() if value}
    env = {**dotenv, **base}
    env.setdefault("ACOLHE_VAR_DIR", str(ROOT / "var"))
    var = env["ACOLHE_VAR_DIR"]
    for name, port in DEFAULT_PORTS.items():
        env.setdefault(name, str(port))
    env.setdefault("BIND_HOST", "127.0.0.1")
    env.setdefault("REDIS_URL", "redis://localhost:6379/0")
    database_url = env.get("DATABASE_URL")
    env.setdefault("DATABASE_URL", f"sqlite:///{var}/acolhe.db")
    env.setdefault("TRACKER_STORE_URL", database_url or f"sqlite:///{var}/rasa.db")
    env.setdefault("SANDBOX_DATABASE_URL", database_url or f"sqlite:///{var}/sandbox.db")
    env.setdefault("RASA_URL", f"http://127.0.0.1:{env['RASA_PORT']}")
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{env['ACTIONS_PORT']}/webhook")
    env.setdefault("HANDOFF_URL", f"http://127.0.0.1:{env['HANDOFF_PORT']}")
    env.setdefault("GATEWAY_URL", f"http://127.0.0.1:{env['GATEWAY_PORT']}")
    env.setdefault("INSURER_API_URL", f"http://127.0.0.1:{env['SANDBOX_PORT']}")
    # Where members' browsers (and Twilio, for the PIX QR image) reach the sandbox's payment pages.
    env.setdefault("SANDBOX_PUBLIC_URL", env["INSURER_API_URL"])
    # The sandbox pushes its payment events to the gateway, signed with INSURER_EVENTS_SECRET.
    env.setdefault("SANDBOX_EVENTS_URL", f"{env['GATEWAY_URL']}/webhooks/insurer")
    # The agent console as `make run` serves it: plain http on this machine, where a Secure
    # cookie would not be kept. A deployment sets its https origin and keeps cookies Secure.
    env.setdefault("CONSOLE_ORIGIN", f"http://127.0.0.1:{env['HANDOFF_PORT']}")
    env.setdefault("CONSOLE_COOKIE_SECURE", "false")
    env.setdefault("RASA_MODEL", str(ROOT / "models" / "acolhe.tar.gz"))
    # No default secret: a token made for this run unless the operator sets one.
    env.setdefault("RASA_TOKEN", secrets.token_urlsafe(24))
    for name, value in local_secrets(Path(var)).items():
        env.setdefault(name, value)
    # The action server and the worker's reminders call the sandbox with the key the sandbox
    # expects; a real insurer's API is set with INSURER_API_URL and INSURER_API_KEY instead.
    env.setdefault("INSURER_API_KEY", env["SANDBOX_API_KEY"])
    env.setdefault("MEDIA_DIR", f"{var}/media")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def fernet_key() -> str:
    """32 random bytes, URL-safe base64: what cryptography's Fernet takes."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


# Made once per var/ folder; a key added by a newer version is added to an older folder's file.
LOCAL_SECRETS = {
    "CONTACT_PSEUDONYM_KEY": lambda: secrets.token_urlsafe(32),
    "CONTACT_ENCRYPTION_KEY": fernet_key,
    "GATEWAY_API_TOKEN": lambda: secrets.token_urlsafe(32),
    "HANDOFF_API_TOKEN": lambda: secrets.token_urlsafe(32),
    "CONSOLE_TOTP_ENCRYPTION_KEY": fernet_key,
    "SANDBOX_API_KEY": lambda: secrets.token_urlsafe(32),
    "INSURER_EVENTS_SECRET": lambda: secrets.token_urlsafe(32),
}


def local_secrets(var: Path) -> dict[str, str]:
    """Keys that must outlive a run (the phone numbers stay encrypted with the same key), kept in
    var/secrets.env, readable by its owner only. Production sets them in the environment, which
    wins."""
    path = var / "secrets.env"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    kept = {name: value for name, value in dotenv_values(path).items() if value}
    missing = {name: make() for name, make in LOCAL_SECRETS.items() if name not in kept}
    if missing:
        with path.open("a") as file:
            file.writelines(f"{name}={value}\n" for name, value in missing.items())
    return {**kept, **missing}


def procfile_commands() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = (line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip(): command.strip() for name, command in entries}


@dataclass
class Stack:
    env: dict[str, str]
    log_path: Path | None = None
    # Processes run on their own rather than under honcho, so that a test can kill one and
    # start it again while the rest of the stack goes on (honcho stops all when one ends).
    separate: tuple[str, ...] = ()
    _processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _separate: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, port_variable: str) -> str:
        return f"http://127.0.0.1:{self.env[port_variable]}"

    @property
    def gateway_url(self) -> str:
        return self.url("GATEWAY_PORT")

    @property
    def rasa_url(self) -> str:
        return self.url("RASA_PORT")

    def health_urls(self) -> dict[str, str]:
        return {
            "rasa": f"{self.rasa_url}/",
            "actions": f"{self.url('ACTIONS_PORT')}/health",
            "gateway": f"{self.gateway_url}/health",
            "handoff": f"{self.url('HANDOFF_PORT')}/health",
            "sandbox": f"{self.url('SANDBOX_PORT')}/health",
        }

    def start(self) -> None:
        Path(self.env["ACOLHE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
        self._ensure_redis()
        # `-e /dev/null`: .env is already merged into self.env, under the variables set by hand.
        honcho = [f"{ROOT}/.venv/bin/honcho", "start", "-f", f"{ROOT}/Procfile", "-e", "/dev/null"]
        if self.separate:
            honcho += [name for name in procfile_commands() if name not in self.separate]
        self._processes.append(self._spawn(honcho))
        for name in self.separate:
            self.start_process(name)

    def start_process(self, name: str) -> None:
        """Start one of the `separate` processes (again)."""
        command = procfile_commands()[name]
        self._separate[name] = self._spawn(["bash", "-c", f"exec {command}"])

    def kill_process(self, name: str) -> None:
        """Kill one of the `separate` processes at once, as a crash would."""
        process = self._separate.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def _spawn(self, command: list[str]) -> subprocess.Popen[bytes]:
        output = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - lives as long as the process
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _ensure_redis(self) -> None:
        """Use the Redis at REDIS_URL; start a throwaway local one if nothing answers there."""
        url = urlsplit(self.env["REDIS_URL"])
        if _redis_answers(self.env["REDIS_URL"]):
            return
        server = shutil.which("redis-server")
        if url.hostname not in ("localhost", "127.0.0.1") or server is None:
            raise SystemExit(
                f"Redis does not answer at {url.hostname}:{url.port or 6379}. Start it, or install "
                "redis-server (apt-get install redis-server) and Acolhe will start one itself."
            )
        port = str(url.port or 6379)
        self._processes.append(
            subprocess.Popen(
                [server, "--port", port, "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        _wait_for(lambda: _redis_answers(self.env["REDIS_URL"]), timeout=10, what="Redis")

    def wait_until_healthy(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        pending = dict(self.health_urls())
        with httpx.Client(timeout=2) as client:
            while pending:
                self._raise_if_exited()
                for name, url in list(pending.items()):
                    try:
                        if client.get(url).status_code == 200:
                            del pending[name]
                    except httpx.HTTPError:
                        pass
                if pending and time.monotonic() > deadline:
                    raise TimeoutError(f"not healthy after {timeout:.0f}s: {', '.join(pending)}")
                time.sleep(0.5)
        remaining = max(deadline - time.monotonic(), 5)
        if not asyncio.run(_worker_answers(self.env["REDIS_URL"], remaining)):
            raise TimeoutError("the worker did not run its ping job")

    def _raise_if_exited(self) -> None:
        for process in [*self._processes, *self._separate.values()]:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with code {process.returncode}")

    def stop(self) -> None:
        processes = [*self._separate.values(), *reversed(self._processes)]
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self._processes.clear()
        self._separate.clear()

    @property
    def manager_pid(self) -> int:
        """The process id of honcho, the parent of every Acolhe process."""
        return self._processes[-1].pid

    def wait(self) -> int:
        """Block until the process manager ends: a part crashed."""
        return self._processes[-1].wait()


async def _demo_agent(database_url: str) -> DemoAgent:
    """A supervisor to try the console with, given a fresh password on every start."""
    engine = create_engine(database_url)
    try:
        return await seed_demo_agent(session_factory(engine))
    finally:
        await engine.dispose()


def _redis_answers(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_timeout=1).ping())
    except RedisError:
        return False


async def _worker_answers(redis_url: str, timeout: float) -> bool:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        job = await pool.enqueue_job("ping")
        return job is not None and await job.result(timeout=timeout) == "pong"
    finally:
        await pool.aclose()


def _wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not start within {timeout:.0f}s")
        time.sleep(0.2)


def _print_urls(stack: Stack, demo: DemoAgent) -> None:
    configured = all(
        stack.env.get(name)
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "WHATSAPP_FROM", "PUBLIC_BASE_URL")
    )
    whatsapp = "(on)" if configured else "(off: set TWILIO_* and PUBLIC_BASE_URL in .env)"
    print(
        "\nAcolhe is up.\n"
        f"  Web chat              {stack.gateway_url}/\n"
        f"  REST webhook (Rasa)   {stack.gateway_url}/webhooks/rest/webhook\n"
        f"  WhatsApp webhook      {stack.gateway_url}/webhooks/whatsapp  {whatsapp}\n"
        f"  Agent console         {stack.url('HANDOFF_PORT')}/console\n"
        f"                        {demo.login} / {demo.password} (set up an authenticator "
        "app at first login)\n"
        f"  Handoff service API   {stack.url('HANDOFF_PORT')}/docs\n"
        f"  Insurer sandbox API   {stack.url('SANDBOX_PORT')}/docs\n"
        f"  Rasa server           {stack.rasa_url}/\n"
        "Ctrl-C stops everything.\n",
        flush=True,
    )


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run() -> int:
    # Ctrl-C and `kill` both stop the whole stack, even when started where SIGINT is ignored
    # (a background job inherits SIG_IGN).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    stack = Stack(stack_environment(os.environ))
    stack.start()
    try:
        stack.wait_until_healthy()
        _print_urls(stack, asyncio.run(_demo_agent(stack.env["DATABASE_URL"])))
        return stack.wait()
    except KeyboardInterrupt:
        print("\nStopping Acolhe…", flush=True)
        return 0
    except (TimeoutError, RuntimeError) as error:
        print(f"\nAcolhe did not start: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        return run()
    if argv[:1] == ["exec"] and len(argv) > 1:
        env = stack_environment(os.environ)
        os.execvpe(argv[1], argv[1:], env)  # noqa: S606 - the command is the user's own
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

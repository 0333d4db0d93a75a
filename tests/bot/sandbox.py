"""The real insurer sandbox (sandbox/, services environment) as a subprocess, for the bot tests.

The action server's client is tested against the service that implements the contract, not a
copy of it. The sandbox runs on Python 3.11 in .venv; the bot tests run on 3.10 in .venv-bot, so
it is started as a process: uvicorn on a free port, its own SQLite file, a key of its own.
"""

import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]
SERVICES_PYTHON = REPO / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SandboxServer:
    """`with SandboxServer(tmp_dir) as sandbox:` starts it and waits until /health is ok."""

    def __init__(self, work_dir: Path, *, startup_timeout: float = 60.0) -> None:
        self.work_dir = work_dir
        self.startup_timeout = startup_timeout
        self.api_key = secrets.token_urlsafe(32)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = work_dir / "sandbox.log"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "SandboxServer":
        if not SERVICES_PYTHON.exists():
            raise RuntimeError(
                f"{SERVICES_PYTHON} is missing: the sandbox runs in the services environment "
                "(`make test-bot` or `make install` creates it)"
            )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")},
            "SANDBOX_DATABASE_URL": f"sqlite:///{self.work_dir / 'sandbox.db'}",
            "SANDBOX_API_KEY": self.api_key,
            # Payment pages and QR images are linked at the address this process serves.
            "SANDBOX_PUBLIC_URL": self.base_url,
            "SANDBOX_DEV_MODE": "false",
            "LOG_LEVEL": "WARNING",
        }
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    str(SERVICES_PYTHON),
                    "-m",
                    "uvicorn",
                    "sandbox.main:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--no-access-log",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no sandbox log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last = "no answer"
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"the sandbox exited at start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/health", timeout=2) as answer:  # noqa: S310 (loopback URL we built)
                    if answer.status == 200:
                        return
            except urllib.error.HTTPError as error:
                last = f"{error.code} {error.read().decode(errors='replace')}"
            except OSError as error:
                last = type(error).__name__
            time.sleep(0.2)
        raise RuntimeError(
            f"the sandbox was not healthy within {self.startup_timeout:.0f} s ({last}):\n"
            f"{self.log_tail()}"
        )

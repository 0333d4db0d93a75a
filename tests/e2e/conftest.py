"""The real stack for end-to-end tests: trained model, action server, gateway, handoff, sandbox,
worker, Redis and SQL, booted by the same code as `make run`, once on SQLite and once on PostgreSQL.

It runs on its own ports, Redis database and var/ folder, so it never meets a `make run` stack.
WhatsApp goes through the tests' Twilio stand-in (tests/twilio_standin), the one part that
cannot be real here; Rasa runs apart from honcho so a test can kill it and start it again.
"""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from common.db import async_url
from ops.stack import Stack, stack_environment
from tests.databases import fresh_postgres_database
from tests.twilio_standin import StandinServer

TWILIO_ACCOUNT_SID = "AC" + "e2e0" * 8
TWILIO_AUTH_TOKEN = secrets.token_hex(16)
WHATSAPP_NUMBER = "+551140040000"

E2E_PORTS = {
    "RASA_PORT": "25005",
    "ACTIONS_PORT": "25055",
    "GATEWAY_PORT": "28000",
    "HANDOFF_PORT": "28001",
    "SANDBOX_PORT": "28002",
}
E2E_REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://localhost:6379/1")


@pytest.fixture(scope="session")
def twilio() -> Iterator[StandinServer]:
    with StandinServer(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as server:
        yield server


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def stack(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    twilio: StandinServer,
) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp(f"stack-{request.param}")
    overrides = {
        **E2E_PORTS,
        "ACOLHE_VAR_DIR": str(var_dir),
        "REDIS_URL": E2E_REDIS_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_API_BASE_URL": twilio.base_url,
        "WHATSAPP_FROM": f"whatsapp:{WHATSAPP_NUMBER}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{E2E_PORTS['GATEWAY_PORT']}",
        # Retries come quickly, so a restarted Rasa is noticed within a second or two.
        "RETRY_CAP_SECONDS": "2",
    }
    if request.param == "postgresql":
        overrides["DATABASE_URL"] = fresh_postgres_database("acolhe_e2e")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_STORE_URL")}
    running = Stack(
        stack_environment({**base, **overrides}),
        log_path=var_dir / "stack.log",
        separate=("rasa",),
    )
    running.start()
    try:
        running.wait_until_healthy(timeout=240)
    except Exception:
        running.stop()
        print(_tail(var_dir / "stack.log"))
        raise
    yield running
    running.stop()


@pytest.fixture(scope="session")
def gateway_database(stack: Stack) -> Iterator[Engine]:
    """A synchronous view of the gateway's database, to check what it stored."""
    url = async_url(stack.env["DATABASE_URL"])
    driver = "sqlite" if url.get_backend_name() == "sqlite" else "postgresql+psycopg"
    engine = create_engine(url.set(drivername=driver))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def tracker_database(stack: Stack) -> Iterator[Engine]:
    """Rasa's tracker store (the `events` table), to check what the assistant understood."""
    url = stack.env["TRACKER_STORE_URL"].replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    yield engine
    engine.dispose()


def _tail(path: Path, lines: int = 120) -> str:
    if not path.exists():
        return "(no stack log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

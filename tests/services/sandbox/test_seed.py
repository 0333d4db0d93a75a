"""The demo data: the same every time, dated relative to the day it is loaded, loaded once."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from common.db import create_engine, create_tables, session_factory
from sandbox import models  # noqa: F401  (every sandbox table)
from sandbox.markets import local_moment
from sandbox.members.models import Member
from sandbox.requests.models import Request
from sandbox.seed import seed
from sandbox.seed.__main__ import main as seed_command
from tests.services.sandbox.conftest import API_KEY, StartSandbox, client_for

ROOT = Path(__file__).resolve().parents[3]


async def seeded(path: Path, today: date) -> dict[str, Any]:
    """Load the demo into a new SQLite file; what it holds, with dates as offsets from today."""
    engine = create_engine(f"sqlite:///{path}")
    await create_tables(engine)
    async with session_factory(engine)() as session:
        async with session.begin():
            await seed(session, today=today)
        members = list(await session.scalars(select(Member).order_by(Member.id)))
        requests = list(await session.scalars(select(Request).order_by(Request.id)))
        dump = {
            "members": [
                (m.id, m.full_name, m.document, m.birth_date, m.phone, m.plan_code,
                 (today - m.plan_since).days)
                for m in members
            ],
            "requests": [
                (r.member_id, r.number.split("-")[0], r.title, r.status, r.amount_cents,
                 [(e.status, e.note) for e in r.history])
                for r in requests
            ],
            "opened": {r.number: r.opened_at for r in requests},
            "promised": {r.number: r.promised_date for r in requests},
            "markets": {m.id: m.market for m in members},
            "member_of": {r.number: r.member_id for r in requests},
        }  # fmt: skip
    await engine.dispose()
    return dump


def days_before(dump: dict[str, Any], number: str, today: date) -> int:
    opened: datetime = dump["opened"][number]
    market = dump["markets"][dump["member_of"][number]]
    return (today - local_moment(market, opened).date()).days


async def test_the_same_demo_on_any_day(tmp_path: Path) -> None:
    monday, thursday = date(2026, 11, 16), date(2027, 3, 4)
    first = await seeded(tmp_path / "a.db", monday)
    again = await seeded(tmp_path / "b.db", monday)
    later = await seeded(tmp_path / "c.db", thursday)

    assert first == again
    assert first["members"] == later["members"]
    assert first["requests"] == later["requests"]
    assert len(first["members"]) == 24
    # Ana's late reimbursement: opened 5 days before the load, promised 48 hours after that.
    for dump, today in ((first, monday), (later, thursday)):
        number = next(
            n for n, m in dump["member_of"].items() if m == "M0001" and n.startswith("REE")
        )
        assert days_before(dump, number, today) == 5
        assert dump["promised"][number] == today - timedelta(days=3)


async def test_a_second_start_keeps_the_data_it_finds(start_sandbox: StartSandbox) -> None:
    async with start_sandbox() as app, client_for(app, {"X-API-Key": API_KEY}) as api:
        created = await api.post(
            "/v1/members/M0001/authorizations",
            json={"procedure": "consulta", "urgency": "elective"},
        )
    async with start_sandbox() as app, client_for(app, {"X-API-Key": API_KEY}) as api:
        found = await api.get(f"/v1/members/M0001/requests/{created.json()['number']}")
        async with app.state.runtime.sessions() as session:
            members = await session.scalar(select(func.count()).select_from(Member))

    assert found.status_code == 200
    assert members == 24


async def test_no_seed_when_switched_off(start_sandbox: StartSandbox) -> None:
    async with (
        start_sandbox(sandbox_seed_when_empty=False) as app,
        client_for(app, {"X-API-Key": API_KEY}) as api,
    ):
        response = await api.get("/v1/members/M0001")

    assert response.status_code == 404


def test_the_seed_command(tmp_path: Path) -> None:
    env = os.environ | {
        "SANDBOX_DATABASE_URL": f"sqlite:///{tmp_path}/sandbox.db",
        "PYTHONPATH": str(ROOT),
    }

    def run(*arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "sandbox.seed", *arguments],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    assert "demo data loaded" in run("--today", "2026-11-18")
    assert "left alone" in run()


async def test_reset_loads_the_demo_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{tmp_path}/sandbox.db")
    monkeypatch.chdir(tmp_path)  # no .env here

    assert await seed_command(today=date(2026, 11, 18), reset=False) is True
    assert await seed_command(today=None, reset=False) is False
    assert await seed_command(today=None, reset=True) is True


async def test_health_answers_during_the_demo(api: httpx.AsyncClient) -> None:
    assert (await api.get("/health")).json()["status"] == "ok"

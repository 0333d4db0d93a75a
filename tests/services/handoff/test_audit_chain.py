"""The audit log's hash chain: appends under concurrency, and tampering found by verify."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from common.db import create_engine, session_factory
from handoff.audit import SYSTEM, AuditAction, agent_actor, append, record, verify_chain
from handoff.audit.chain import GENESIS_HASH, AuditDetailRefused
from handoff.audit.models import AuditEntry

WRITERS = 3  # engines, standing in for service processes
APPENDS_PER_WRITER = 20


async def fill(sessions: Any, count: int) -> list[AuditEntry]:
    return [
        await record(
            sessions,
            actor=agent_actor(7),
            action=AuditAction.CONVERSATION_VIEWED,
            subject=f"conversation-{number}",
            detail={"handoff_id": number, "reason": "claimed"},
        )
        for number in range(count)
    ]


async def test_entries_chain_from_the_genesis_hash(sessions: Any) -> None:
    entries = await fill(sessions, 3)
    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    report = await verify_chain(sessions)
    assert report.intact and report.entries == 3
    assert report.summary() == "audit chain intact: 3 entries"


async def test_an_empty_log_is_intact(sessions: Any) -> None:
    assert (await verify_chain(sessions)).summary() == "audit chain intact: 0 entries"


async def test_an_entry_commits_or_rolls_back_with_the_action_it_records(sessions: Any) -> None:
    await fill(sessions, 1)
    async with sessions() as db:
        await append(db, actor=SYSTEM, action=AuditAction.HANDOFF_CLAIMED, subject="h-1")
        await db.rollback()
    await fill(sessions, 1)
    report = await verify_chain(sessions)
    assert report.intact and report.entries == 2


async def test_concurrent_appends_from_several_processes_never_fork_the_chain(
    database_url: str, engine: Any
) -> None:
    engines = [create_engine(database_url) for _ in range(WRITERS)]
    try:

        async def append_one(writer: int, number: int) -> None:
            await record(
                session_factory(engines[writer]),
                actor=agent_actor(writer),
                action=AuditAction.HANDOFF_CLAIMED,
                subject=f"handoff-{writer}-{number}",
                detail={"writer": writer, "number": number},
            )

        await asyncio.gather(
            *(
                append_one(writer, number)
                for writer in range(WRITERS)
                for number in range(APPENDS_PER_WRITER)
            )
        )
    finally:
        for extra in engines:
            await extra.dispose()

    sessions = session_factory(engine)
    report = await verify_chain(sessions)
    assert report.intact, report.summary()
    assert report.entries == WRITERS * APPENDS_PER_WRITER
    async with sessions() as db:
        links = list(await db.scalars(select(AuditEntry.prev_hash)))
    assert len(set(links)) == len(links)  # no two entries claim the same predecessor


async def test_an_edited_field_is_found(sessions: Any) -> None:
    entries = await fill(sessions, 5)
    async with sessions() as db:
        await db.execute(
            update(AuditEntry)
            .where(AuditEntry.id == entries[2].id)
            .values(detail={"handoff_id": 999, "reason": "claimed"})
        )
        await db.commit()
    report = await verify_chain(sessions)
    assert not report.intact
    assert report.broken_at == entries[2].id
    assert "edited" in report.summary() and f"entry {entries[2].id}" in report.summary()


async def test_a_rewritten_hash_is_found_at_the_next_entry(sessions: Any) -> None:
    entries = await fill(sessions, 4)
    async with sessions() as db:
        await db.execute(
            update(AuditEntry).where(AuditEntry.id == entries[1].id).values(actor="agent:1")
        )
        forged = await db.get(AuditEntry, entries[1].id)
        assert forged is not None
        from handoff.audit.chain import hash_of

        forged.hash = hash_of(forged)
        await db.commit()
    report = await verify_chain(sessions)
    assert not report.intact and report.broken_at == entries[2].id


async def test_a_deleted_entry_is_found(sessions: Any) -> None:
    entries = await fill(sessions, 5)
    async with sessions() as db:
        await db.execute(delete(AuditEntry).where(AuditEntry.id == entries[1].id))
        await db.commit()
    report = await verify_chain(sessions)
    assert not report.intact
    assert report.broken_at == entries[2].id
    assert "deleted, inserted or moved" in (report.problem or "")


async def test_entries_deleted_from_the_end_are_found(sessions: Any) -> None:
    entries = await fill(sessions, 5)
    async with sessions() as db:
        await db.execute(delete(AuditEntry).where(AuditEntry.id == entries[-1].id))
        await db.commit()
    report = await verify_chain(sessions)
    assert not report.intact
    assert "deleted from the end" in (report.problem or "")


async def test_reordered_entries_are_found(sessions: Any) -> None:
    entries = await fill(sessions, 5)
    first, second = entries[1], entries[2]
    swapped = {
        first.id: {"subject": second.subject, "detail": second.detail, "hash": "a" * 64},
        second.id: {"subject": first.subject, "detail": first.detail, "hash": "b" * 64},
    }
    async with sessions() as db:
        for entry_id, values in swapped.items():  # through placeholder hashes: they are unique
            await db.execute(update(AuditEntry).where(AuditEntry.id == entry_id).values(**values))
        for entry, other in ((first, second), (second, first)):
            await db.execute(
                update(AuditEntry)
                .where(AuditEntry.id == entry.id)
                .values(prev_hash=other.prev_hash, hash=other.hash)
            )
        await db.commit()
    report = await verify_chain(sessions)
    assert not report.intact and report.broken_at == first.id


async def test_an_inserted_entry_is_found(sessions: Any) -> None:
    entries = await fill(sessions, 3)
    async with sessions() as db:
        db.add(
            AuditEntry(
                id=entries[-1].id + 10,
                at=datetime.now(UTC),
                actor=SYSTEM,
                action="handoff.closed",
                subject="made-up",
                detail={},
                prev_hash="f" * 64,
                hash="e" * 64,
            )
        )
        await db.commit()
    report = await verify_chain(sessions)
    assert not report.intact


@pytest.mark.parametrize(
    "detail",
    [
        {"text": "minha filha está com febre"},
        {"member": {"phone": "+5511999990000"}},
        {"contact": "+55 11 99999-0000"},
        {"document": "123.456.789-09"},
        {"document": "12345678909"},
        {"password": "hunter2hunter2"},
        {"ratio": float("nan")},
        {"when": datetime.now(UTC)},
    ],
)
async def test_personal_data_and_unverifiable_values_are_refused(
    sessions: Any, detail: dict[str, Any]
) -> None:
    async with sessions() as db:
        with pytest.raises(AuditDetailRefused):
            await append(db, actor=SYSTEM, action=AuditAction.MESSAGE_SENT, detail=detail)


async def test_actions_must_read_like_thing_dot_happened(sessions: Any) -> None:
    async with sessions() as db:
        with pytest.raises(ValueError, match=r"thing\.happened"):
            await append(db, actor=SYSTEM, action="Claimed Handoff")


def run_verify(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handoff.audit", "verify", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


async def test_the_command_line_reports_an_intact_then_a_broken_chain(
    sessions: Any, database_url: str
) -> None:
    entries = await fill(sessions, 4)
    intact = run_verify("--database-url", database_url)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip() == "audit chain intact: 4 entries"
    # The service's DATABASE_URL is the default.
    assert run_verify(env={"DATABASE_URL": database_url}).returncode == 0

    async with sessions() as db:
        await db.execute(delete(AuditEntry).where(AuditEntry.id == entries[1].id))
        await db.commit()
    broken = run_verify("--database-url", database_url)
    assert broken.returncode == 1
    assert broken.stdout.startswith(f"audit chain broken at entry {entries[2].id}:")


def test_the_command_line_says_when_it_cannot_read_the_database(tmp_path: Any) -> None:
    missing = run_verify("--database-url", f"sqlite:///{tmp_path}/nothing-here.db")
    assert missing.returncode == 2
    assert "cannot read the database" in missing.stdout

"""Writing and reading notes."""

from datetime import datetime

from sqlalchemy import select

from handoff.agents.models import utc_now
from handoff.notes.models import MAX_NOTE_CHARS, HandoffNote
from handoff.queue.models import Handoff
from handoff.queue.sql import Sessions


async def add_note(
    sessions: Sessions, *, handoff: Handoff, agent_id: int, text: str, now: datetime | None = None
) -> HandoffNote:
    text = text.strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise ValueError(f"a note has 1 to {MAX_NOTE_CHARS} characters")
    async with sessions() as session, session.begin():
        note = HandoffNote(
            handoff_id=handoff.id,
            agent_id=agent_id,
            skill=handoff.skill,
            text=text,
            created_at=now or utc_now(),
        )
        session.add(note)
    return note


async def notes_of(sessions: Sessions, *, handoff_id: int) -> list[HandoffNote]:
    """Oldest first, as a conversation reads."""
    async with sessions() as session:
        notes = await session.scalars(
            select(HandoffNote)
            .where(HandoffNote.handoff_id == handoff_id)
            .order_by(HandoffNote.created_at, HandoffNote.id)
        )
        return list(notes)

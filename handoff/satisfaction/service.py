"""Taking a CSAT answer (once per handoff) and working the follow-up tasks low scores open."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from handoff.agents.models import Agent, utc_now
from handoff.queue.errors import HandoffNotFound
from handoff.queue.models import Handoff
from handoff.queue.sql import Sessions, insert_for
from handoff.satisfaction.models import MAX_COMMENT_CHARS, CsatAnswer, FollowUpTask, TaskStatus

LOW_CSAT = "low_csat"


class TaskNotFound(LookupError):
    pass


@dataclass(frozen=True)
class CsatOutcome:
    answer: CsatAnswer
    task: FollowUpTask | None
    created: bool  # False: the handoff had its answer already; nothing changed


@dataclass(frozen=True)
class TaskView:
    task: FollowUpTask
    answer: CsatAnswer
    handoff: Handoff
    agent_name: str | None  # who held the handoff last


async def record_csat(
    sessions: Sessions,
    *,
    handoff_id: int,
    score: int,
    comment: str,
    low_score: int,
    now: datetime | None = None,
) -> CsatOutcome:
    """Store the answer and, for a score at or under `low_score`, open a follow-up task, in one
    transaction. A second answer for the same handoff changes nothing and returns the first."""
    if not 1 <= score <= 5:
        raise ValueError("a CSAT score is 1 to 5")
    now = now or utc_now()
    async with sessions() as session, session.begin():
        if await session.get(Handoff, handoff_id) is None:
            raise HandoffNotFound(f"no handoff {handoff_id}")
        answer_id = await session.scalar(
            insert_for(session)(CsatAnswer)
            .values(
                handoff_id=handoff_id,
                score=score,
                comment=comment.strip()[:MAX_COMMENT_CHARS],
                received_at=now,
            )
            .on_conflict_do_nothing(index_elements=[CsatAnswer.handoff_id])
            .returning(CsatAnswer.id)
        )
        created = answer_id is not None
        if created and score <= low_score:
            session.add(
                FollowUpTask(
                    handoff_id=handoff_id,
                    csat_answer_id=answer_id,
                    reason=LOW_CSAT,
                    status=TaskStatus.OPEN.value,
                    created_at=now,
                )
            )
    async with sessions() as session:
        answer = await session.scalar(select(CsatAnswer).where(CsatAnswer.handoff_id == handoff_id))
        task = await session.scalar(
            select(FollowUpTask).where(FollowUpTask.handoff_id == handoff_id)
        )
    assert answer is not None
    return CsatOutcome(answer=answer, task=task, created=created)


async def open_tasks(sessions: Sessions, *, limit: int = 200) -> list[TaskView]:
    """Open follow-up tasks, the oldest first."""
    async with sessions() as session:
        rows = await session.execute(
            select(FollowUpTask, CsatAnswer, Handoff, Agent.display_name)
            .join(CsatAnswer, CsatAnswer.id == FollowUpTask.csat_answer_id)
            .join(Handoff, Handoff.id == FollowUpTask.handoff_id)
            .outerjoin(Agent, Agent.id == Handoff.assigned_agent_id)
            .where(FollowUpTask.status == TaskStatus.OPEN.value)
            .order_by(FollowUpTask.created_at, FollowUpTask.id)
            .limit(limit)
        )
        return [
            TaskView(task=task, answer=answer, handoff=handoff, agent_name=name)
            for task, answer, handoff, name in rows
        ]


async def complete_task(
    sessions: Sessions, *, task_id: int, agent_id: int, now: datetime | None = None
) -> FollowUpTask:
    """Mark a task done; doing it twice keeps the first completion."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(FollowUpTask)
            .where(FollowUpTask.id == task_id, FollowUpTask.status == TaskStatus.OPEN.value)
            .values(
                status=TaskStatus.DONE.value, done_at=now or utc_now(), done_by_agent_id=agent_id
            )
            .execution_options(synchronize_session=False)
        )
        task = await session.get(FollowUpTask, task_id, populate_existing=True)
        if task is None:
            raise TaskNotFound(f"no follow-up task {task_id}")
        return task

"""The console's API, under /console/api (the login routes are console/auth/router.py's):

    GET  /queue                          waiting handoffs the agent may take, red first
    GET  /desk                           the agent's own open handoffs
    GET  /handoffs/{id}                  one handoff, as far as the agent may see it (audited)
    POST /handoffs/{id}/claim            take it
    POST /handoffs/{id}/reply            {text} | {canned, variables} | {template, variables}
    POST /handoffs/{id}/notes            {text}: a private note
    POST /handoffs/{id}/transfer         {agent_id} | {skill}
    POST /handoffs/{id}/resolve          {resolution?}: back to the bot
    GET  /canned?language=pt             canned responses and reply templates
    POST /presence                       {status: online | away | offline}
    GET  /agents                         supervisors: who to transfer to
    GET  /followups                      supervisors: open follow-up tasks (low CSAT; audited)
    POST /followups/{id}/done            supervisors: a follow-up task is done

Every route needs a fully logged-in session (both factors); every POST also the console's Origin
and X-CSRF-Token (console/auth/dependencies.py). Refusals: {"detail": {"reason", "message"}}.
"""

from fastapi import APIRouter, Query, status

from handoff.console import actions, reads, supervision
from handoff.console.auth.dependencies import CurrentAgent, CurrentSupervisor
from handoff.console.schemas import (
    AgentView,
    CannedList,
    DeskItem,
    FollowUpView,
    HandoffDetail,
    NoteRequest,
    NoteView,
    PresenceRequest,
    PresenceView,
    QueueItem,
    ReplyRequest,
    ReplySent,
    Resolved,
    ResolveRequest,
    TransferRequest,
)
from handoff.runtime import RuntimeDep

router = APIRouter(prefix="/console/api", tags=["console"])


@router.get("/queue")
async def the_queue(agent: CurrentAgent, runtime: RuntimeDep) -> list[QueueItem]:
    return await reads.queue(runtime, agent)


@router.get("/desk")
async def the_desk(agent: CurrentAgent, runtime: RuntimeDep) -> list[DeskItem]:
    return await reads.desk(runtime, agent)


@router.get("/handoffs/{handoff_id}")
async def one_handoff(handoff_id: int, agent: CurrentAgent, runtime: RuntimeDep) -> HandoffDetail:
    return await reads.detail(runtime, agent, handoff_id)


@router.post("/handoffs/{handoff_id}/claim")
async def claim(handoff_id: int, agent: CurrentAgent, runtime: RuntimeDep) -> DeskItem:
    return await actions.claim(runtime, agent, handoff_id)


@router.post("/handoffs/{handoff_id}/reply")
async def reply(
    handoff_id: int, body: ReplyRequest, agent: CurrentAgent, runtime: RuntimeDep
) -> ReplySent:
    return await actions.reply(runtime, agent, handoff_id, body)


@router.post("/handoffs/{handoff_id}/notes", status_code=status.HTTP_201_CREATED)
async def add_note(
    handoff_id: int, body: NoteRequest, agent: CurrentAgent, runtime: RuntimeDep
) -> NoteView:
    return await actions.note(runtime, agent, handoff_id, body.text)


@router.post("/handoffs/{handoff_id}/transfer")
async def transfer(
    handoff_id: int, body: TransferRequest, agent: CurrentAgent, runtime: RuntimeDep
) -> DeskItem:
    return await actions.transfer(runtime, agent, handoff_id, body)


@router.post("/handoffs/{handoff_id}/resolve")
async def resolve(
    handoff_id: int, agent: CurrentAgent, runtime: RuntimeDep, body: ResolveRequest | None = None
) -> Resolved:
    return await actions.resolve(runtime, agent, handoff_id, body.resolution if body else None)


@router.get("/canned")
async def canned_responses(
    agent: CurrentAgent, runtime: RuntimeDep, language: str = Query("pt", max_length=8)
) -> CannedList:
    return reads.canned(runtime, language)


@router.post("/presence")
async def presence(body: PresenceRequest, agent: CurrentAgent, runtime: RuntimeDep) -> PresenceView:
    return await actions.presence(runtime, agent, body.status)


@router.get("/agents")
async def agents(supervisor: CurrentSupervisor, runtime: RuntimeDep) -> list[AgentView]:
    return await supervision.agents(runtime)


@router.get("/followups")
async def followups(supervisor: CurrentSupervisor, runtime: RuntimeDep) -> list[FollowUpView]:
    return await supervision.followups(runtime, supervisor)


@router.post("/followups/{task_id}/done", status_code=status.HTTP_204_NO_CONTENT)
async def followup_done(task_id: int, supervisor: CurrentSupervisor, runtime: RuntimeDep) -> None:
    await supervision.complete_followup(runtime, supervisor, task_id)

"""The gateway's side of a handoff, with the handoff service down: the transcript agents read,
the end of a handoff, and members' messages kept (never given to the bot) while a handoff waits.
The whole journey with the real bot and handoff service is tests/e2e's."""

from channels.models import MessageStatus
from tests.services.channels.whatsapp.harness import (
    API_TOKEN,
    Gateway,
    close_window,
    eventually,
    member_in_conversation,
)

AGENT = {"agent_id": 12, "name": "Ana"}


async def transcript(gateway: Gateway, conversation_id: str, token: str | None = API_TOKEN):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await gateway.http.get(f"/api/conversations/{conversation_id}/messages", headers=headers)


async def end(gateway: Gateway, conversation_id: str, handoff_id: int, token: str = API_TOKEN):  # type: ignore[no-untyped-def]
    return await gateway.http.post(
        f"/api/conversations/{conversation_id}/handoff/end",
        json={"handoff_id": handoff_id},
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_the_transcript_says_who_wrote_each_message(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)  # the member, then the "bot is late" notice
    await gateway.sent_one(member.conversation_id, {"text": "Oi, aqui é a Ana.", "author": AGENT})

    response = await transcript(gateway, member.conversation_id)

    assert response.status_code == 200
    body = response.json()
    assert body["conversation"]["channel"] == "whatsapp"
    assert body["conversation"]["within_window"] is True
    authors = [(m["author"], m["agent_name"], m["text"]) for m in body["messages"]]
    assert authors[0] == ("member", None, "oi, alguém pode me ajudar?")
    assert authors[1][0] == "system"
    assert authors[2] == ("agent", "Ana", "Oi, aqui é a Ana.")


async def test_the_transcript_needs_the_token_and_knows_the_window(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    await close_window(gateway, member)

    refused = await transcript(gateway, member.conversation_id, token="wrong")
    unknown = await transcript(gateway, "wa-" + "0" * 40)
    closed = await transcript(gateway, member.conversation_id)

    assert refused.status_code == 401
    assert unknown.status_code == 404
    assert closed.json()["conversation"]["within_window"] is False


async def test_ending_a_handoff_gives_the_conversation_back_to_the_bot(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    await gateway.db.update_conversation(member.conversation_id, handoff_id=7, last_handoff_id=7)

    wrong = await end(gateway, member.conversation_id, handoff_id=8)
    unauthorised = await end(gateway, member.conversation_id, handoff_id=7, token="nope")
    ended = await end(gateway, member.conversation_id, handoff_id=7)
    again = await end(gateway, member.conversation_id, handoff_id=7)

    assert (wrong.status_code, unauthorised.status_code) == (409, 401)
    assert (ended.status_code, again.status_code) == (202, 409)
    conversation = await member.conversation()
    assert (conversation.handoff_id, conversation.last_handoff_id) == (None, 7)
    bots_turn = (await member.inbound())[-1]
    assert bots_turn.text == "/handoff_resolved"
    assert bots_turn.status == MessageStatus.QUEUED  # for the bot (down here), in order
    shown = (await transcript(gateway, member.conversation_id)).json()["messages"]
    assert shown[-1]["author"] == "system"


async def test_while_an_agent_has_the_conversation_the_bot_gets_nothing(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    await gateway.db.update_conversation(member.conversation_id, handoff_id=7, last_handoff_id=7)

    await member.say("ainda estou esperando")

    async def put_off() -> str | None:
        # Messages keep their order: the first one waiting holds the others back.
        first = (await member.inbound())[0]
        return first.error if first.attempts > 1 else None

    # The handoff service is down: kept for the agent and retried, never handed to the bot.
    assert await eventually(put_off) == "handoff_unavailable"
    assert all(m.status == MessageStatus.QUEUED for m in await member.inbound())


async def test_a_member_writing_before_the_handoff_is_open_waits_for_it(gateway: Gateway) -> None:
    member = await member_in_conversation(gateway)
    request = {"priority": "yellow", "skill": "front_line", "reasons": ["frustration"]}
    await gateway.db.update_conversation(member.conversation_id, handoff_request=request)

    await member.say("alô?")

    async def put_off() -> str | None:
        # Messages keep their order: the first one waiting holds the others back.
        first = (await member.inbound())[0]
        return first.error if first.attempts > 1 else None

    assert await eventually(put_off) == "handoff_not_open_yet"
    # The request stays until the handoff service takes it.
    assert (await member.conversation()).handoff_request == request

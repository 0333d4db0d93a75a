"""Work Redis never heard of (a gateway that died between storing a message and queueing it)
is found again in SQL and done."""

import secrets
from datetime import timedelta

from channels.models import Conversation, Message, utc_now
from channels.settings import GatewaySettings
from channels.whatsapp import texts
from channels.whatsapp.contacts import ContactVault
from common.db import create_tables
from tests.services.channels.whatsapp.conftest import StartGateway
from tests.services.channels.whatsapp.harness import (
    Database,
    Gateway,
    new_phone,
    vault_of,
)


async def stored_behind_redis_back(
    db: Database, vault: ContactVault, phone: str, *, age: timedelta
) -> tuple[int, int]:
    """A member's conversation with a queued inbound and a pending outbound message, written
    straight to SQL `age` ago, as a gateway that died before queueing them would leave them."""
    at = utc_now() - age
    conversation_id = vault.conversation_id(phone)
    inbound = Message(
        conversation_id=conversation_id,
        direction="in",
        text="meu cartão do plano não chegou",
        meta={"channel": "whatsapp"},
        status="queued",
        channel_message_id="SM" + secrets.token_hex(16),
        attempts=0,
        created_at=at,
    )
    outbound = Message(
        conversation_id=conversation_id,
        direction="out",
        text="Seu cartão foi enviado pelos Correios.",
        payload={"body": "Seu cartão foi enviado pelos Correios."},
        status="pending",
        attempts=0,
        created_at=at,
    )
    await db.add(
        Conversation(
            id=conversation_id,
            channel="whatsapp",
            created_at=at,
            last_message_at=at,
            last_member_message_at=at,
            language="pt",
            address_encrypted=vault.encrypt(phone),
        )
    )
    await db.add(inbound, outbound)
    return inbound.id, outbound.id


async def test_work_left_in_sql_while_running_is_picked_up(gateway: Gateway) -> None:
    member = gateway.member()
    inbound, outbound = await stored_behind_redis_back(
        gateway.db, gateway.vault, member.phone, age=timedelta(minutes=1)
    )

    # The pending reply goes out, and the queued message is tried with the bot (down), whose
    # delay notice follows: all within a couple of recovery sweeps.
    received = await member.wait_for(2, timeout=2)

    assert [m["body"] for m in received] == [
        "Seu cartão foi enviado pelos Correios.",
        texts.say("bot_delayed", "pt"),
    ]
    message = await gateway.db.message(inbound)
    assert (message.status, message.error) == ("queued", "bot_unavailable")
    assert message.attempts >= 1
    report = await gateway.report_until(outbound, lambda r: r["status"] == "read")
    assert report["attempts"] == 1


async def test_work_left_in_sql_is_picked_up_when_the_gateway_starts(
    start_gateway: StartGateway, database: Database, whatsapp_settings: GatewaySettings
) -> None:
    phone = new_phone()
    await create_tables(database.engine)  # as an earlier run of the gateway left them
    # Fresh rows: the sweeps while running leave those to the queue, the first one takes all.
    inbound, outbound = await stored_behind_redis_back(
        database, vault_of(whatsapp_settings), phone, age=timedelta(0)
    )

    async with start_gateway() as gateway:
        member = gateway.member(phone)
        received = await member.wait_for(2, timeout=2)

        assert {m["body"] for m in received} == {
            "Seu cartão foi enviado pelos Correios.",
            texts.say("bot_delayed", "pt"),
        }
        assert (await gateway.db.message(inbound)).attempts >= 1
        assert (await gateway.db.message(outbound)).status in ("sent", "delivered", "read")


async def test_opt_out_found_late_does_not_undo_the_opt_in_sent_after_it(gateway: Gateway) -> None:
    member = gateway.member()
    at = utc_now() - timedelta(minutes=1)
    await gateway.db.add(
        Conversation(
            id=member.conversation_id,
            channel="whatsapp",
            created_at=at,
            last_message_at=at,
            last_member_message_at=at,
            language="pt",
            address_encrypted=gateway.vault.encrypt(member.phone),
        )
    )
    # PARAR stored by a gateway that died before recording it: no consent event yet.
    await gateway.db.add(
        Message(
            conversation_id=member.conversation_id,
            direction="in",
            text="PARAR",
            meta={"channel": "whatsapp", "consent": "opt_out"},
            status="queued",
            channel_message_id="SM" + secrets.token_hex(16),
            attempts=0,
            created_at=at,
        )
    )

    await member.say("VOLTAR")

    received = await member.wait_for(2)
    assert [m["body"] for m in received] == [
        texts.say("opted_out", "pt"),
        texts.say("opted_in", "pt"),
    ]
    events = await gateway.db.consent_events(member.conversation_id)
    assert sorted(e.action for e in events) == ["opt_in", "opt_out"]
    # The member's last word was VOLTAR.
    assert (await member.conversation()).opted_out_at is None

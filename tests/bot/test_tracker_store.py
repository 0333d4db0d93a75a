"""The checkpointed tracker store: a long conversation is picked up from its latest checkpoint,
with its slots and form, and every event still lands in the `events` table once."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

from bot.stores import CheckpointedSQLTrackerStore

DOMAIN = Domain.from_path(Path(__file__).parents[2] / "domain.yml")


@pytest.fixture
def store(tmp_path: Path) -> CheckpointedSQLTrackerStore:
    config = EndpointConfig(
        url=f"sqlite:///{tmp_path}/rasa.db",
        type="bot.stores.CheckpointedSQLTrackerStore",
        checkpoint_every=20,
    )
    created = TrackerStore.create(config, domain=DOMAIN)
    inner = getattr(created, "_tracker_store", created)
    assert isinstance(inner, CheckpointedSQLTrackerStore)
    return inner


async def one_turn(store: CheckpointedSQLTrackerStore, sender: str, text: str) -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


def stored_events(store: CheckpointedSQLTrackerStore, sender: str) -> int:
    with store.engine.connect() as connection:
        return int(
            connection.execute(
                sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
            ).scalar_one()
        )


async def test_a_long_conversation_is_read_from_its_checkpoint(
    store: CheckpointedSQLTrackerStore,
) -> None:
    tracker = await store.get_or_create_tracker("long")
    tracker.update(SlotSet("language", "es"))
    tracker.update(ActiveLoop("some_form"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    for turn in range(100):
        await one_turn(store, "long", f"hola {turn}")

    picked_up = await store.retrieve("long")

    assert picked_up is not None
    # 100 turns of 3 events are stored; a turn reads fewer than a checkpoint's worth.
    assert stored_events(store, "long") > 300
    assert len(picked_up.events) < 20 + 10
    assert picked_up.get_slot("language") == "es"
    assert picked_up.active_loop_name == "some_form"
    assert picked_up.latest_message is not None
    assert picked_up.latest_message.text == "hola 99"


async def test_saving_a_picked_up_conversation_adds_only_the_new_events(
    store: CheckpointedSQLTrackerStore,
) -> None:
    for turn in range(30):
        await one_turn(store, "saved", f"oi {turn}")
    before = stored_events(store, "saved")

    await one_turn(store, "saved", "mais uma")

    assert stored_events(store, "saved") == before + 3
    full = await store.retrieve_full_tracker("saved")
    assert full is not None
    texts = [event.text for event in full.events if isinstance(event, UserUttered)]
    assert texts == [f"oi {turn}" for turn in range(30)] + ["mais uma"]


async def test_a_short_conversation_reads_as_in_stock_rasa(
    store: CheckpointedSQLTrackerStore,
) -> None:
    for turn in range(3):
        await one_turn(store, "short", f"oi {turn}")

    tracker = await store.retrieve("short")

    assert tracker is not None
    assert len(tracker.events) == stored_events(store, "short")
    assert await store.retrieve("nobody") is None

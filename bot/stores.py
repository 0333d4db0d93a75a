"""Rasa's stores as Acolhe configures them: a Redis lock store configured by one REDIS_URL like
every other process, and an SQL tracker store whose turns do not slow down as conversations grow."""

import itertools
import json
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.utils.endpoints import EndpointConfig
from redis.connection import parse_url

LOCK_KEY_PREFIX = "acolhe"
# Events between checkpoints: a turn reads at most about this many, plus its own.
DEFAULT_CHECKPOINT_EVERY = 60


class RedisUrlLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        url: str = endpoint_config.url
        options: dict[str, Any] = parse_url(url)
        super().__init__(
            host=options.get("host", "localhost"),
            port=options.get("port", 6379),
            db=options.get("db", 0),
            username=options.get("username"),
            password=options.get("password"),
            use_ssl=url.startswith("rediss://"),
            key_prefix=LOCK_KEY_PREFIX,
        )


class CheckpointedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with a turn costing the same at turn 500 as at turn 5.

    Stock Rasa loads, replays and featurizes every event of the current session on every turn,
    so a long conversation gets slower turn after turn. This store writes a checkpoint, every
    `checkpoint_every` events and at a turn boundary: the conversation's state then (slots,
    active form) as the opening of a session. A turn loads the latest checkpoint and only the
    events after it, exactly as if the session had started there with its slots carried over.
    The `events` table stays complete and unchanged; only what a turn reads is bounded.
    """

    def __init__(
        self, *args: Any, checkpoint_every: int = DEFAULT_CHECKPOINT_EVERY, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.checkpoint_every = int(checkpoint_every)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.engine.dispose()  # connections opened before the listener are tuned too

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            checkpoint = self._latest_checkpoint(session, sender_id)
            if checkpoint is None:
                rows = self._event_query(session, sender_id, False).all()
                opening: list[dict[str, Any]] = []
                last_id = rows[-1].id if rows else 0
            else:
                rows = (
                    session.query(self.SQLEvent)
                    .filter(
                        self.SQLEvent.sender_id == sender_id,
                        self.SQLEvent.id > checkpoint.upto_event_id,
                    )
                    .order_by(self.SQLEvent.id)
                    .all()
                )
                opening = json.loads(checkpoint.opening)
                last_id = rows[-1].id if rows else checkpoint.upto_event_id
            if not rows and not opening:
                return None
            events = opening + [json.loads(row.data) for row in rows]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        # What save() must not write again, and how far the last checkpoint is.
        tracker.acolhe_stored_events = len(tracker.events)
        tracker.acolhe_events_since_checkpoint = len(rows)
        tracker.acolhe_last_event_id = last_id
        return tracker

    def _latest_checkpoint(self, session: Any, sender_id: str) -> Any:
        checkpoint = (
            session.query(TrackerCheckpoint)
            .filter(TrackerCheckpoint.sender_id == sender_id)
            .order_by(TrackerCheckpoint.upto_event_id.desc())
            .first()
        )
        if checkpoint is None:
            return None
        # A session started after the checkpoint (the member came back after a long while):
        # the session's own start is where the turn begins, as in stock Rasa.
        newer_start = (
            session.query(self.SQLEvent.id)
            .filter(
                self.SQLEvent.sender_id == sender_id,
                self.SQLEvent.type_name == SessionStarted.type_name,
                self.SQLEvent.id > checkpoint.upto_event_id,
            )
            .first()
        )
        return None if newer_start else checkpoint

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        stored = getattr(tracker, "acolhe_stored_events", None)
        with self.session_scope() as session:
            if stored is None:
                new_events = list(self._additional_events(session, tracker))
            else:
                new_events = list(itertools.islice(tracker.events, stored, None))
            rows = [self._row(tracker.sender_id, event) for event in new_events]
            session.add_all(rows)
            session.flush()
            since = getattr(tracker, "acolhe_events_since_checkpoint", 0) + len(rows)
            if rows and since >= self.checkpoint_every and _at_turn_boundary(tracker):
                session.add(
                    TrackerCheckpoint(
                        sender_id=tracker.sender_id,
                        upto_event_id=rows[-1].id,
                        opening=json.dumps(_session_opening(tracker)),
                    )
                )
                since = 0
            session.commit()
        tracker.acolhe_stored_events = len(tracker.events)
        tracker.acolhe_events_since_checkpoint = since

    def _row(self, sender_id: str, event: Event) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )


class TrackerCheckpoint(SQLTrackerStore.Base):
    """Where a conversation can be picked up without reading what came before."""

    __tablename__ = "acolhe_tracker_checkpoints"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    # The last event the checkpoint covers; the turn reads the events after it.
    upto_event_id = sa.Column(sa.Integer, nullable=False)
    # The events that open the picked-up session: start, slots, active form, listen.
    opening = sa.Column(sa.Text, nullable=False)


def _at_turn_boundary(tracker: DialogueStateTracker) -> bool:
    # The bot has finished and waits for the member: nothing half-done is cut in two.
    return tracker.latest_action_name == ACTION_LISTEN_NAME


def _session_opening(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The conversation's state now, as the events of a session that starts with it."""
    now = time.time()
    events: list[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=now),
        SessionStarted(timestamp=now),
    ]
    for name, slot in tracker.slots.items():
        if slot.value != slot.initial_value:
            events.append(SlotSet(name, slot.value, timestamp=now))
    if tracker.active_loop_name:
        events.append(ActiveLoop(tracker.active_loop_name, timestamp=now))
    events.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=now))
    return [event.as_dict() for event in events]


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # The embedded default (make run): with SQLite's rollback journal every turn's commit waits
    # for the disk and blocks readers. WAL lets readers work beside the writer; synchronous=NORMAL
    # keeps the file consistent through a crash and syncs at checkpoints, not at every commit.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()

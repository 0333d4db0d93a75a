"""Rasa's lock store follows REDIS_URL, on the real Redis."""

import os

from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.stores import RedisUrlLockStore

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")


def test_lock_store_is_configured_by_url_and_locks_in_redis() -> None:
    store = LockStore.create(EndpointConfig(url=REDIS_URL, type="bot.stores.RedisUrlLockStore"))
    assert isinstance(store, RedisUrlLockStore)
    store.issue_ticket("test-conversation-lock")
    try:
        assert store.red.exists(store.key_prefix + "test-conversation-lock")
    finally:
        store.delete_lock("test-conversation-lock")


def test_lock_store_reads_database_number_and_password_from_the_url() -> None:
    store = RedisUrlLockStore(EndpointConfig(url="redis://:secret@redis.internal:6380/3"))
    options = store.red.connection_pool.connection_kwargs
    assert (options["host"], options["port"], options["db"]) == ("redis.internal", 6380, 3)
    assert options["password"] == "secret"

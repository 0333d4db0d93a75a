"""Rasa's Redis lock store, configured by one REDIS_URL like every other Acolhe process."""

from typing import Any

from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.connection import parse_url

LOCK_KEY_PREFIX = "acolhe"


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

"""Settings every service reads from the environment, with embedded defaults for `make run`."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base class: each service subclasses it and adds its own fields.

    The defaults are the embedded ones (SQLite under var/, the local Redis); production sets
    DATABASE_URL and REDIS_URL. See .env.example for every variable.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///var/acolhe.db"
    redis_url: str = "redis://localhost:6379/0"
    log_level: str = "INFO"

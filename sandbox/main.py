"""Insurer sandbox wiring, on a database of its own: it stands for the insurer's systems."""

from pydantic import Field

from common.app import create_service_app
from common.settings import ServiceSettings


class SandboxSettings(ServiceSettings):
    database_url: str = Field(
        default="sqlite:///var/sandbox.db", validation_alias="SANDBOX_DATABASE_URL"
    )


app = create_service_app(
    service="sandbox", title="Acolhe insurer sandbox", settings=SandboxSettings()
)

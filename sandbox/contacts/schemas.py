"""Service contacts (docs/insurer-api.md, "Service contacts (protocol)")."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    WEBCHAT = "webchat"
    REST = "rest"


class ContactRequest(BaseModel):
    member_id: str | None = Field(default=None, max_length=16, examples=["M0001"])
    channel: Channel
    topic: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")] = Field(
        description="What the contact is about, as a lower-case code.", examples=["authorization"]
    )


class ContactOpened(BaseModel):
    protocol: str = Field(examples=["00000020261124000042"])
    opened_at: datetime

"""The bodies the console's login API takes and gives."""

from typing import Literal

from pydantic import BaseModel, Field

from handoff.console.auth.passwords import MAX_PASSWORD_LENGTH

NextStep = Literal["totp", "enrol", "full"]


class LoginRequest(BaseModel):
    login: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class CodeRequest(BaseModel):
    code: str = Field(min_length=6, max_length=12)


class PasswordChangeRequest(BaseModel):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class StepResponse(BaseModel):
    """Where the login stands, and the token state-changing requests must send (X-CSRF-Token)."""

    stage: NextStep
    csrf_token: str


class AgentView(BaseModel):
    id: int
    login: str
    display_name: str
    role: str
    skills: list[str]
    capacity: int


class SessionResponse(StepResponse):
    agent: AgentView | None = None  # only once both factors are done


class EnrolmentResponse(BaseModel):
    """What the enrolment page shows: the QR code, and the secret for typing in by hand."""

    secret: str
    provisioning_uri: str
    qr_svg: str

"""The network (docs/insurer-api.md, "Coverage and network")."""

from enum import StrEnum

from pydantic import BaseModel, Field


class ProviderKind(StrEnum):
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    LAB = "lab"
    DOCTOR = "doctor"


class ProviderView(BaseModel):
    id: str = Field(examples=["P0001"])
    name: str = Field(examples=["Hospital São Lucas"])
    kind: ProviderKind
    specialties: list[str]
    city: str
    address: str
    phone: str
    emergency: bool = Field(description="Has an emergency room open around the clock.")


class ProviderList(BaseModel):
    providers: list[ProviderView]

"""Members as the contract shows them (docs/insurer-api.md, "Members and identity")."""

from datetime import date

from pydantic import BaseModel, Field

from sandbox.coverage.enums import Contract, Tier
from sandbox.documents import DocumentType
from sandbox.markets import Language, Market
from sandbox.text import CleanText


class PlanView(BaseModel):
    code: str = Field(examples=["OURO-IND"])
    name: str = Field(examples=["Acolhe Ouro"])
    tier: Tier
    contract: Contract
    copayment: bool


class MemberView(BaseModel):
    id: str = Field(examples=["M0001"])
    first_name: str
    full_name: str
    market: Market
    language: Language
    document_type: DocumentType
    document_masked: str = Field(examples=["***.***.247-25"])
    birth_date: date
    phone_masked: str = Field(examples=["+55 11 *****-4321"])
    card_number: str
    plan: PlanView


class VerifyRequest(BaseModel):
    document: CleanText = Field(
        min_length=1,
        max_length=32,
        description="CPF (11 digits), RUT (12.345.678-5, K allowed) or DNI/NIE; dots, dashes "
        "and spaces are ignored, letters compared upper-case.",
        examples=["52998224725"],
    )
    birth_date: date = Field(examples=["1985-03-14"])
    phone: CleanText | None = Field(
        default=None,
        max_length=24,
        description="E.164; when given it must be the member's registered phone.",
        examples=["+5511987654321"],
    )


class Verified(BaseModel):
    member: MemberView

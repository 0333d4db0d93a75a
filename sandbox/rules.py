"""The insurer's rules (rules.yml), checked when the service starts: `load_rules()`.

What they decide: the ANS category of a requested procedure (by keywords) and its deadline, which
urgent requests are approved at once, what a duplicate bill adds and how it is paid, when a
payment agreement is broken and how soon a disputed bill is answered.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from sandbox.markets import Market
from sandbox.text import fold

RULES_FILE = Path(__file__).with_name("rules.yml")
URGENCY = "urgency"
# The legal ceiling of the Brazilian late-payment fine (CDC, art. 52, §1).
BR_MAX_FINE_PERCENT = Decimal(2)

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{1,31}$")]
Keyword = Annotated[str, StringConstraints(min_length=2, max_length=60)]


class Keywords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pt: list[Keyword] = Field(min_length=1)
    es: list[Keyword] = Field(min_length=1)

    def folded(self) -> set[str]:
        return {fold(keyword) for keyword in [*self.pt, *self.es]}


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ans_max_business_days: int = Field(ge=0, le=60)
    auto_approve_when_urgent: bool = False
    keywords: Keywords


class Exclusion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    keywords: Keywords


class LateFees(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fine_percent: Decimal = Field(ge=0, le=100)
    monthly_interest_percent: Decimal = Field(ge=0, le=100)


class BoletoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bank_code: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    agreement: Annotated[str, StringConstraints(pattern=r"^\d{7}$")]
    wallet: Annotated[str, StringConstraints(pattern=r"^\d{2}$")]


class PixSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Annotated[str, StringConstraints(min_length=1, max_length=77)]
    # BR Code limits: merchant name 25 characters, city 15.
    merchant_name: Annotated[str, StringConstraints(min_length=1, max_length=25)]
    merchant_city: Annotated[str, StringConstraints(min_length=1, max_length=15)]


class Billing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    duplicate_due_in_days: int = Field(ge=1, le=30)
    late_fees: dict[Market, LateFees]
    boleto: BoletoSettings
    pix: PixSettings
    payment_link_base: Annotated[str, StringConstraints(pattern=r"^https://[^\s?#]+[^/\s?#]$")]
    # An agreement is broken when an installment is still unpaid this many days after its due
    # date.
    agreement_broken_after_days: int = Field(ge=0, le=60)
    # The insurer answers a disputed bill within this many business days.
    dispute_answer_business_days: int = Field(ge=1, le=60)

    @field_validator("late_fees")
    @classmethod
    def _every_market(cls, value: dict[Market, LateFees]) -> dict[Market, LateFees]:
        missing = [market.value for market in Market if market not in value]
        if missing:
            raise ValueError(f"no late fees for {', '.join(missing)}")
        if value[Market.BR].fine_percent > BR_MAX_FINE_PERCENT:
            raise ValueError("the Brazilian late fine may not exceed 2 % (CDC, art. 52, §1)")
        return value


@dataclass(frozen=True)
class Classification:
    """What a requested procedure is, as far as the keywords tell."""

    category: str
    # An exclusion (aesthetic, experimental): no plan covers it.
    excluded: bool
    # False when no keyword matched and the fallback category stands in.
    recognised: bool


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: dict[Name, Category]
    exclusions: dict[Name, Exclusion] = Field(default_factory=dict)
    fallback_category: Name
    billing: Billing

    @model_validator(mode="after")
    def _consistent(self) -> "Rules":
        if URGENCY not in self.categories:
            raise ValueError(f"the {URGENCY!r} category is missing")
        if self.categories[URGENCY].ans_max_business_days != 0:
            raise ValueError("urgency and emergency are immediate: ans_max_business_days 0")
        if self.fallback_category not in self.categories:
            raise ValueError(f"fallback_category {self.fallback_category!r} is not a category")
        clash = set(self.categories) & set(self.exclusions)
        if clash:
            raise ValueError(f"names both a category and an exclusion: {sorted(clash)}")
        owners: dict[str, str] = {}
        for name, keywords in self._keyword_lists():
            for keyword in keywords.folded():
                if not keyword:
                    raise ValueError(f"{name}: a keyword has no letters or digits")
                if owners.setdefault(keyword, name) != name:
                    raise ValueError(f"keyword {keyword!r} is in {owners[keyword]} and {name}")
        return self

    def _keyword_lists(self) -> list[tuple[str, Keywords]]:
        # Exclusions first: they win ties.
        return [(name, item.keywords) for name, item in self.exclusions.items()] + [
            (name, item.keywords) for name, item in self.categories.items()
        ]

    @cached_property
    def _matchers(self) -> list[tuple[str, int, re.Pattern[str]]]:
        matchers = []
        for name, keywords in self._keyword_lists():
            for keyword in sorted(keywords.folded()):
                # A whole word or its plural ("exame" → "exames", "raio x" → "raios x" not).
                pattern = re.compile(rf"(?<![a-z0-9]){re.escape(keyword)}(?:e?s)?(?![a-z0-9])")
                matchers.append((name, len(keyword), pattern))
        return matchers

    def classify(self, procedure: str) -> Classification:
        """The category of the longest keyword the text contains (see rules.yml)."""
        text = fold(procedure)
        best: tuple[int, int, str] | None = None  # (-length, order, name)
        for order, (name, length, pattern) in enumerate(self._matchers):
            if pattern.search(text) and (best is None or (-length, order) < best[:2]):
                best = (-length, order, name)
        if best is None:
            return Classification(self.fallback_category, excluded=False, recognised=False)
        name = best[2]
        return Classification(name, excluded=name in self.exclusions, recognised=True)

    def deadline(self, category: str) -> int:
        return self.categories[category].ans_max_business_days

    def auto_approves(self, category: str) -> bool:
        return self.categories[category].auto_approve_when_urgent


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read and check rules.yml; raises pydantic.ValidationError naming what is wrong."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Rules.model_validate(document)

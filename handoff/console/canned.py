"""Canned responses (canned.yml): checked when the service starts, listed for the console, and
filled in with the conversation's variables when an agent sends one."""

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from handoff.queue.enums import Language

# Filled in by the service from the handoff and the agent; anything else the agent types.
KNOWN_VARIABLES = ("member_name", "protocol", "agent_name")
MAX_VALUE_CHARS = 200
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_VARIABLE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class MissingVariables(ValueError):
    def __init__(self, names: list[str]) -> None:
        super().__init__(f"fill in {', '.join(names)}")
        self.names = names


class UnknownCannedResponse(LookupError):
    pass


def variables_of(text: str) -> list[str]:
    """The {names} a text uses, in order of first use; refuses anything but plain names."""
    names: list[str] = []
    for _, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if not _VARIABLE.fullmatch(field) or spec or conversion:
            raise ValueError(f"{{{field}}}: variables are plain lower-case names")
        if field not in names:
            names.append(field)
    return names


class CannedSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: dict[Language, str]
    pt: str
    es: str

    @field_validator("pt", "es")
    @classmethod
    def _plain_variables(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("empty text")
        variables_of(value)
        return value

    @model_validator(mode="after")
    def _titles(self) -> "CannedSpec":
        missing = [language.value for language in Language if not self.title.get(language)]
        if missing:
            raise ValueError(f"no title in {', '.join(missing)}")
        return self

    def text(self, language: str) -> str:
        return self.pt if Language(language) == Language.PT else self.es


class TemplateSpec(BaseModel):
    """A WhatsApp template for replies outside the 24-hour window; each of its variables is
    filled from a known variable, or typed by the agent (None)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: dict[Language, str]
    variables: dict[str, str | None] = Field(default_factory=dict)
    fallbacks: dict[str, dict[Language, str]] = Field(default_factory=dict)

    @field_validator("variables")
    @classmethod
    def _sources(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        for name, source in value.items():
            if not _VARIABLE.fullmatch(name):
                raise ValueError(f"{name!r}: variables are plain lower-case names")
            if source is not None and source not in KNOWN_VARIABLES:
                raise ValueError(f"{name}: fill it from one of {KNOWN_VARIABLES}, or null")
        return value

    @model_validator(mode="after")
    def _titles_and_fallbacks(self) -> "TemplateSpec":
        missing = [language.value for language in Language if not self.title.get(language)]
        if missing:
            raise ValueError(f"no title in {', '.join(missing)}")
        for name, by_language in self.fallbacks.items():
            if name not in self.variables:
                raise ValueError(f"a fallback for {name}, which is not a variable")
            if any(not by_language.get(language) for language in Language):
                raise ValueError(f"the fallback for {name} needs every language")
        return self


class CannedFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    responses: dict[str, CannedSpec]
    templates: dict[str, TemplateSpec] = Field(default_factory=dict)

    @field_validator("responses", "templates")
    @classmethod
    def _keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not _KEY.fullmatch(key):
                raise ValueError(f"{key!r}: keys are lower-case letters, digits and _")
        return value


@dataclass(frozen=True)
class CannedItem:
    key: str
    title: str
    text: str
    variables: list[str]


@dataclass(frozen=True)
class TemplateItem:
    name: str
    title: str
    variables: list[str]


class CannedResponses:
    def __init__(self, document: CannedFile) -> None:
        self._responses = document.responses
        self._templates = document.templates

    def listed(self, language: str) -> list[CannedItem]:
        language = Language(language).value
        return [
            CannedItem(
                key=key,
                title=spec.title[Language(language)],
                text=spec.text(language),
                variables=variables_of(spec.text(language)),
            )
            for key, spec in self._responses.items()
        ]

    def render(self, key: str, language: str, values: dict[str, str | None]) -> str:
        """The text with its variables filled in; MissingVariables names those left empty."""
        spec = self._responses.get(key)
        if spec is None:
            raise UnknownCannedResponse(f"no canned response {key!r}")
        text = spec.text(language)
        cleaned = {
            name: " ".join(str(value).split())[:MAX_VALUE_CHARS]
            for name, value in values.items()
            if value
        }
        missing = [name for name in variables_of(text) if not cleaned.get(name)]
        if missing:
            raise MissingVariables(missing)
        return text.format_map(cleaned)

    def templates(self, language: str) -> list[TemplateItem]:
        return [
            TemplateItem(
                name=name, title=spec.title[Language(language)], variables=list(spec.variables)
            )
            for name, spec in self._templates.items()
        ]

    def template_variables(
        self, name: str, language: str, known: dict[str, str | None], typed: dict[str, str]
    ) -> dict[str, str]:
        """The template's variables: what the agent typed, else the known value it is filled
        from, else its fallback. MissingVariables names those still empty."""
        spec = self._templates.get(name)
        if spec is None:
            raise UnknownCannedResponse(f"no template {name!r} for agents")
        values: dict[str, str] = {}
        for variable, source in spec.variables.items():
            fallback = spec.fallbacks.get(variable, {}).get(Language(language))
            value = typed.get(variable) or (known.get(source) if source else None) or fallback or ""
            values[variable] = " ".join(str(value).split())[:MAX_VALUE_CHARS]
        missing = [variable for variable, value in values.items() if not value]
        if missing:
            raise MissingVariables(missing)
        return values


def load_canned_responses(path: Path) -> CannedResponses:
    """Read and check canned.yml; raises pydantic.ValidationError naming what is wrong."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return CannedResponses(CannedFile.model_validate(document))

"""The approved WhatsApp templates (templates.yml), checked when the gateway starts."""

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

LANGUAGES = ("pt", "es")


class TemplateProblem(ValueError):
    """A template asked for does not exist, or not with these variables."""


@dataclass(frozen=True)
class Template:
    name: str
    variables: tuple[str, ...]
    content_sid: dict[str, str]
    text: dict[str, str]


@dataclass(frozen=True)
class RenderedTemplate:
    content_sid: str
    content_variables: str  # JSON, as Twilio's ContentVariables wants it
    text: str  # the approved text with the values in, for the transcript


class Templates:
    def __init__(self, templates: dict[str, Template]) -> None:
        self._templates = templates

    @classmethod
    def load(cls, path: Path) -> "Templates":
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        templates: dict[str, Template] = {}
        for name, spec in (document.get("templates") or {}).items():
            missing = [language for language in LANGUAGES if language not in spec]
            if missing:
                raise ValueError(f"template {name} has no version in {', '.join(missing)}")
            templates[name] = Template(
                name=name,
                variables=tuple(spec.get("variables") or ()),
                content_sid={language: spec[language]["content_sid"] for language in LANGUAGES},
                text={language: spec[language]["text"] for language in LANGUAGES},
            )
        return cls(templates)

    def names(self) -> list[str]:
        return sorted(self._templates)

    def render(self, name: str, language: str | None, values: dict[str, str]) -> RenderedTemplate:
        template = self._templates.get(name)
        if template is None:
            raise TemplateProblem(f"unknown template {name!r}; known: {', '.join(self.names())}")
        expected, given = set(template.variables), set(values)
        if expected != given:
            raise TemplateProblem(
                f"template {name!r} takes the variables {sorted(expected)}, got {sorted(given)}"
            )
        language = language if language in LANGUAGES else LANGUAGES[0]
        numbered = {str(i): str(values[v]) for i, v in enumerate(template.variables, 1)}
        text = template.text[language]
        for number, value in numbered.items():
            text = text.replace("{{" + number + "}}", value)
        return RenderedTemplate(
            content_sid=template.content_sid[language],
            content_variables=json.dumps(numbered, ensure_ascii=False),
            text=text,
        )

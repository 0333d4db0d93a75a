"""What the assistant should answer, read from domain.yml, and one turn through the gateway.

The variation without a condition is Portuguese; the one conditioned on the language slot, Spanish.
"""

from pathlib import Path

import httpx
import yaml

DOMAIN = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text())


def response(name: str, language: str) -> str:
    variations = DOMAIN["responses"][name]
    for variation in variations:
        conditions = variation.get("condition") or []
        spoken = next((c["value"] for c in conditions if c["name"] == "language"), "pt")
        if spoken == language:
            return str(variation["text"])
    raise KeyError(f"{name} has no {language} variation")


def opening(name: str, language: str) -> str:
    """A response's words before its first variable."""
    return response(name, language).split("{")[0]


def all_responses(language: str) -> set[str]:
    return {response(name, language) for name in DOMAIN["responses"]}


def send(client: httpx.Client, sender: str, message: str) -> list[dict[str, str]]:
    reply = client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message})
    assert reply.status_code == 200, reply.text
    return list(reply.json())

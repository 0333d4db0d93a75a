"""Who may call the sandbox: every /v1 route wants the API key, compared as sent; /health and
/docs are open; the service refuses to start without a key of its own, and on broken rules."""

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from sandbox.main import create_app
from sandbox.rules import RULES_FILE
from sandbox.settings import DEV_SANDBOX_API_KEY, SandboxSettings, SandboxSettingsRefused
from tests.services.sandbox.conftest import API_KEY, client_for

V1_ROUTES = [
    ("POST", "/v1/members/verify"),
    ("GET", "/v1/members/M0001"),
    ("POST", "/v1/contacts"),
    ("GET", "/v1/members/M0001/requests"),
    ("GET", "/v1/members/M0001/requests/AUT-2026-000001"),
    ("POST", "/v1/members/M0001/requests/AUT-2026-000001/follow-ups"),
    ("POST", "/v1/members/M0001/authorizations"),
    ("GET", "/v1/members/M0001/coverage?q=consulta"),
    ("GET", "/v1/providers"),
    ("GET", "/v1/members/M0001/invoices"),
    ("POST", "/v1/members/M0001/invoices/INV-000001/duplicate"),
    ("GET", "/v1/members/M0001/copayments"),
    ("GET", "/v1/members/M0001/debts"),
    ("POST", "/v1/members/M0002/agreements"),
    ("GET", "/v1/members/M0002/agreements"),
    ("PUT", "/v1/members/M0002/agreements/AGR-2026-000001/reminders"),
    ("POST", "/v1/members/M0002/disputes"),
    ("GET", "/v1/members/M0002/disputes"),
    ("POST", "/v1/payments"),
    ("GET", "/v1/events"),
    ("GET", "/v1/collections/installments?due_from=2026-11-01&due_to=2026-12-01"),
    ("POST", "/v1/collections/installments/AGR-2026-000001-01/reminders"),
    ("PATCH", "/v1/collections/installments/AGR-2026-000001-01/reminders/-3"),
]


async def test_every_v1_route_wants_the_key(sandbox: FastAPI) -> None:
    wrong_keys: list[dict[str, str | bytes]] = [
        {},
        {"X-API-Key": ""},
        {"X-API-Key": API_KEY[:-1]},
        {"X-API-Key": API_KEY + "x"},
        {"X-API-Key": "chave-inválida".encode("latin-1")},  # not ASCII: still a plain 401
    ]
    async with client_for(sandbox) as http:
        for method, path in V1_ROUTES:
            for headers in wrong_keys:
                response = await http.request(method, path, headers=headers, json={})
                assert response.status_code == 401, (method, path, headers)
                assert "X-API-Key" in response.json()["detail"]
        # Before anything reads the body: no hint that it was malformed. (A body over the size
        # limit is refused first, 413, by the server's own guard.)
        response = await http.post(
            "/v1/members/verify",
            content=b'{"document": ',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 401


async def test_the_right_key_opens_them(api: httpx.AsyncClient) -> None:
    assert (await api.get("/v1/members/M0001")).status_code == 200


async def test_health_and_docs_are_open(sandbox: FastAPI) -> None:
    async with client_for(sandbox) as http:
        health = await http.get("/health")
        docs = await http.get("/docs")
        schema = (await http.get("/openapi.json")).json()
    assert health.status_code == 200
    assert health.json() == {"service": "sandbox", "status": "ok", "checks": {"database": "ok"}}
    assert docs.status_code == 200
    # Meaningful docs: every contract operation has a summary and a tag, and the key is a
    # security scheme /docs can fill in.
    operations = [
        operation
        for path, item in schema["paths"].items()
        if path.startswith("/v1/")
        for operation in item.values()
    ]
    assert len(operations) == len(V1_ROUTES)
    assert all(operation.get("summary") and operation.get("tags") for operation in operations)
    assert all(operation.get("security") for operation in operations)
    assert schema["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"


def settings(**values: object) -> SandboxSettings:
    return SandboxSettings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({}, "SANDBOX_API_KEY is not set"),
        ({"sandbox_api_key": DEV_SANDBOX_API_KEY}, "published development key"),
        ({"sandbox_api_key": "short-key"}, "shorter than"),
        ({"sandbox_api_key": API_KEY, "ans_registration": "12345"}, "ANS_REGISTRATION"),
        ({"sandbox_api_key": API_KEY, "ans_registration": "12345a"}, "ANS_REGISTRATION"),
    ],
)
def test_the_service_refuses_to_start_without_a_key_of_its_own(
    values: dict[str, object], named: str
) -> None:
    with pytest.raises(SandboxSettingsRefused, match=named):
        create_app(settings(**values))


def test_dev_mode_runs_on_the_published_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # As copied from .env.example: empty values mean the defaults.
    monkeypatch.setenv("SANDBOX_API_KEY", "")
    monkeypatch.setenv("ANS_REGISTRATION", "")
    monkeypatch.setenv("SANDBOX_DEV_MODE", "true")
    monkeypatch.setenv("SANDBOX_DATABASE_URL", f"sqlite:///{tmp_path}/sandbox.db")
    dev = SandboxSettings(_env_file=None)  # type: ignore[call-arg]

    create_app(dev)

    assert dev.api_key() == DEV_SANDBOX_API_KEY
    assert dev.ans_registration == "000000"
    monkeypatch.setenv("SANDBOX_API_KEY", API_KEY)
    assert SandboxSettings(_env_file=None).api_key() == API_KEY  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("fine_percent: 2", "fine_percent: 3"), "2 %"),
        (("ans_max_business_days: 0", "ans_max_business_days: 1"), "immediate"),
        (("es: [urgencias,", "es: [hemograma, urgencias,"), "hemograma"),
        (("fallback_category: diagnostic_therapy", "fallback_category: nothing"), "fallback"),
    ],
)
def test_broken_rules_stop_the_start(tmp_path: Path, change: tuple[str, str], named: str) -> None:
    text = RULES_FILE.read_text(encoding="utf-8")
    assert change[0] in text
    broken = tmp_path / "rules.yml"
    broken.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")

    with pytest.raises(ValidationError, match=named):
        create_app(settings(sandbox_api_key=API_KEY, sandbox_rules_file=broken))

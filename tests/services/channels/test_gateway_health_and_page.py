"""What an operator and a member's browser get from the gateway's plain HTTP routes."""

import re
from typing import Any

import httpx
import pytest

from channels.settings import GatewaySettings
from channels.webchat.page import BUNDLE

EXTERNAL_URL = re.compile(r"https?://", re.IGNORECASE)


async def test_health_is_ok_with_database_and_redis_even_when_rasa_is_down(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {
        "service": "gateway",
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
    }


async def test_health_is_503_naming_redis_when_redis_is_down(
    settings: GatewaySettings, closed_port: int, start_gateway: Any
) -> None:
    without_redis = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{closed_port}/0"})

    async with start_gateway(without_redis) as client:
        response = await client.get("/health")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["redis"].startswith("error")


async def test_page_shows_the_acolhe_chat_from_local_files_only(client: httpx.AsyncClient) -> None:
    response = await client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<title>Acolhe</title>" in page
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts == ["/static/vendor/webchat.js", "/static/chat.js"]
    assert not EXTERNAL_URL.search(page)


async def test_widget_setup_points_at_this_gateway_and_keeps_the_session(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/static/chat.js")

    assert response.status_code == 200
    setup = response.text
    assert "socketUrl: window.location.origin" in setup
    assert 'socketPath: "/socket.io/"' in setup
    assert 'storage: "local"' in setup
    assert "initPayload: null" in setup
    assert 'title: "Acolhe"' in setup
    assert "Escreva sua mensagem" in setup
    assert not EXTERNAL_URL.search(setup)


@pytest.mark.skipif(not BUNDLE.exists(), reason="widget bundle not built (npm run build)")
async def test_widget_bundle_is_served_without_external_fonts(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/vendor/webchat.js")

    assert response.status_code == 200
    assert "WebChat" in response.text[:1000]
    assert "fonts.googleapis.com" not in response.text
    assert "@import url(http" not in response.text

"""A member opens the web chat in a real browser, says "oi", gets the assistant's answer, and
still sees the conversation after reloading the page.

Needs the `stack` fixture (tests/e2e/conftest.py): a fully booted stack whose gateway, at
`stack.gateway_url`, talks to the real Rasa model.
"""

from typing import Any

import pytest
from playwright.async_api import Page, async_playwright, expect

from tests.e2e.browser import CHROMIUM_ARGS, ensure_chromium

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# rasa-webchat 1.0.1's DOM (see channels/webchat/node_modules/rasa-webchat/README.md#styles).
INPUT = ".rw-new-message"
SEND = ".rw-send"
TITLE = ".rw-title"
MEMBER_MESSAGE = ".rw-messages-container .rw-message .rw-client"
BOT_MESSAGE = ".rw-messages-container .rw-message .rw-response"
# What the gateway says on its own when Rasa does not answer (channels/webchat/texts.py).
GATEWAY_FALLBACK = ("instabilidade", "não consegui receber")
PORTUGUESE_MARKERS = ("olá", "oi", "você", "posso", "ajudar", "acolhe", "seu", "sua", "plano")

ANSWER_TIMEOUT_MS = 60_000


async def session_id_in_storage(page: Page) -> str | None:
    stored: str | None = await page.evaluate(
        "() => { const s = JSON.parse(window.localStorage.getItem('chat_session') || 'null');"
        " return s && s.session_id; }"
    )
    return stored


async def test_member_chats_in_the_browser_and_a_reload_keeps_the_conversation(
    stack: Any,
) -> None:
    chromium = ensure_chromium()
    base_url = stack.gateway_url.rstrip("/")
    outside_requests: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context(locale="pt-BR")
            page = await context.new_page()
            page.on(
                "request",
                lambda request: (
                    None
                    if request.url.startswith((base_url, "data:", "blob:"))
                    else outside_requests.append(request.url)
                ),
            )

            await page.goto(f"{base_url}/")
            await expect(page).to_have_title("Acolhe")
            await expect(page.locator(TITLE)).to_have_text("Acolhe")
            await expect(page.locator(INPUT)).to_be_enabled(timeout=15_000)

            await page.locator(INPUT).fill("oi")
            await page.locator(SEND).click()

            await expect(page.locator(MEMBER_MESSAGE).first).to_have_text("oi")
            answer = page.locator(BOT_MESSAGE).first
            await expect(answer).not_to_be_empty(timeout=ANSWER_TIMEOUT_MS)
            text = (await answer.inner_text()).strip()
            assert text, "the assistant's answer is empty"
            assert not any(marker in text for marker in GATEWAY_FALLBACK), (
                f"the gateway answered on Rasa's behalf, so Rasa did not answer: {text!r}"
            )
            assert any(marker in text.lower() for marker in PORTUGUESE_MARKERS), (
                f"the answer to 'oi' does not look Portuguese: {text!r}"
            )
            session_id = await session_id_in_storage(page)
            assert session_id

            await page.reload()

            await expect(page.locator(INPUT)).to_be_enabled(timeout=15_000)
            await expect(page.locator(MEMBER_MESSAGE).first).to_have_text("oi")
            await expect(page.locator(BOT_MESSAGE).first).to_have_text(text)
            assert await session_id_in_storage(page) == session_id
            assert outside_requests == [], f"the page loaded from outside: {outside_requests}"
        finally:
            await browser.close()

"""The heart of Acolhe, in two real browsers: a member writes something urgent in the web chat, it
reaches the top of a logged-in agent's queue in the console, the agent claims it and replies, the
member sees the reply, the agent resolves, and the assistant comes back and asks how it went.

Needs the `stack` fixture (tests/e2e/conftest.py): the whole stack with the real model, gateway,
handoff service and its console.
"""

import re
import secrets
import subprocess
import sys
from typing import Any

import pyotp
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from ops.stack import ROOT
from tests.e2e.browser import CHROMIUM_ARGS, ensure_chromium
from tests.e2e.test_webchat_browser import BOT_MESSAGE, INPUT, SEND

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

URGENT = "meu filho de 2 anos está com febre de 40 e teve uma convulsão agora"
AGENT_REPLY = "Oi, aqui é a Ana, enfermeira da equipe. Estou com você: ele está respirando bem?"
ANSWER_TIMEOUT_MS = 60_000


def create_agent(stack: Any) -> tuple[str, str]:
    """A clinical agent made with the admin command line, as an operator would."""
    login = f"ana.{secrets.token_hex(3)}@acolhe.test"
    password = secrets.token_urlsafe(16)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "handoff.agents",
            "--database-url",
            stack.env["DATABASE_URL"],
            "create",
            "--login",
            login,
            "--name",
            "Ana",
            "--role",
            "agent",
            "--skills",
            "clinical,front_line",
        ],
        input=f"{password}\n",
        text=True,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return login, password


async def log_in_and_enrol(page: Page, console_url: str, login: str, password: str) -> None:
    """First login: password, then the authenticator app is set up with the code it shows."""
    await page.goto(console_url)
    await page.get_by_test_id("login-input").fill(login)
    await page.get_by_test_id("password-input").fill(password)
    await page.get_by_test_id("submit").click()
    secret = page.get_by_test_id("enrol-secret")
    # Filled in once the enrolment answer arrives: 32 base32 characters in groups of four.
    await expect(secret).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$"))
    code = pyotp.TOTP((await secret.inner_text()).replace(" ", "")).now()
    await page.get_by_test_id("totp-input").fill(code)
    await page.get_by_test_id("submit").click()
    await expect(page.get_by_test_id("queue")).to_be_visible()


async def open_webchat(browser: Browser, gateway_url: str) -> Page:
    page = await (await browser.new_context(locale="pt-BR")).new_page()
    await page.goto(f"{gateway_url}/")
    await expect(page.locator(INPUT)).to_be_enabled(timeout=15_000)
    return page


async def say(page: Page, text: str) -> None:
    await page.locator(INPUT).fill(text)
    await page.locator(SEND).click()


async def test_an_urgent_member_is_helped_by_an_agent_and_the_bot_asks_how_it_went(
    stack: Any,
) -> None:
    login, password = create_agent(stack)
    console_url = f"{stack.url('HANDOFF_PORT')}/console"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(ensure_chromium()), headless=True, args=CHROMIUM_ARGS
        )
        try:
            agent = await (await browser.new_context(locale="pt-BR")).new_page()
            await log_in_and_enrol(agent, console_url, login, password)
            member = await open_webchat(browser, stack.gateway_url.rstrip("/"))

            await say(member, URGENT)

            # The member is told what to do now, and that a person is coming.
            answers = member.locator(BOT_MESSAGE)
            await expect(answers.filter(has_text="192").first).to_be_visible(
                timeout=ANSWER_TIMEOUT_MS
            )
            await expect(answers.filter(has_text="protocolo").first).to_be_visible(
                timeout=ANSWER_TIMEOUT_MS
            )
            # Red, at the top of the agent's queue, without reloading the page.
            first = agent.get_by_test_id("queue-item").first
            await expect(first).to_have_attribute("data-priority", "red", timeout=30_000)

            await first.get_by_test_id("claim-button").click()
            conversation = agent.get_by_test_id("conversation")
            await expect(conversation).to_be_visible()
            transcript = agent.get_by_test_id("transcript")
            await expect(
                transcript.get_by_test_id("transcript-message").filter(has_text="convulsão").first
            ).to_have_attribute("data-author", "member")

            await agent.get_by_test_id("reply-input").fill(AGENT_REPLY)
            await agent.get_by_test_id("reply-send").click()

            await expect(answers.filter(has_text="enfermeira").first).to_be_visible(
                timeout=ANSWER_TIMEOUT_MS
            )

            await agent.get_by_test_id("resolve-button").click()
            await agent.get_by_test_id("resolve-confirm").click()

            # The assistant is back and asks for a score from 1 to 5.
            await expect(answers.filter(has_text="Acolhe de novo").first).to_be_visible(
                timeout=ANSWER_TIMEOUT_MS
            )
            await expect(answers.filter(has_text="De 1 a 5").first).to_be_visible(
                timeout=ANSWER_TIMEOUT_MS
            )
        finally:
            await browser.close()

"""The insurer behind the journey actions: the real sandbox, one fresh client per test."""

from collections.abc import AsyncIterator

import pytest

from actions.insurer import InsurerClient
from tests.bot.actions.journey_turns import insurer_at
from tests.bot.sandbox import SandboxServer


@pytest.fixture
async def insurer_api(sandbox: SandboxServer) -> AsyncIterator[InsurerClient]:
    """`insurer()` is the real sandbox for this test (a fresh client: no breaker state shared)."""
    async with insurer_at(sandbox.base_url, sandbox.api_key) as client:
        yield client

"""The insurer behind the journey actions: the real sandbox, one fresh client per test."""

from collections.abc import AsyncIterator

import pytest

from actions.insurer import InsurerClient, use_insurer
from tests.bot.actions.journey_turns import connect
from tests.bot.sandbox import SandboxServer


@pytest.fixture
async def insurer_api(sandbox: SandboxServer) -> AsyncIterator[InsurerClient]:
    """`insurer()` is the real sandbox for this test (a fresh client: no breaker state shared)."""
    client = connect(sandbox.base_url, sandbox.api_key)
    use_insurer(client)
    yield client
    use_insurer(None)
    await client.close()

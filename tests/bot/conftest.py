"""Fixtures shared by the bot tests."""

from collections.abc import Iterator

import pytest

from tests.bot.sandbox import SandboxServer


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """The real insurer sandbox with its demo data, started once for the session when a test
    asks for it."""
    with SandboxServer(tmp_path_factory.mktemp("sandbox")) as server:
        yield server

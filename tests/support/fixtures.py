"""pytest fixtures from tests/support, registered by tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.loopback import LoopbackServer

__all__ = ["loopback"]


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A started loopback server for one test, stopped afterwards."""
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()

"""Fixtures for runtime tests: one synchronous driver over SyncHttp and AsyncHttp alike."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from generator.runtime import (
    AsyncHttp,
    Endpoint,
    RawResponse,
    Request,
    RequestOptions,
    SyncHttp,
)
from tests.support.loopback import LoopbackServer

T = TypeVar("T")

SECRET = "sk-test-0123456789abcdef"


class Driver:
    """Runs SyncHttp or AsyncHttp behind one synchronous interface, so that each behaviour is
    specified once and checked for both. Sleeps are recorded, never slept; jitter is 0."""

    def __init__(self, mode: str, **kwargs: Any) -> None:
        self.mode = mode
        self.sleeps: list[float] = []
        self._loop = asyncio.new_event_loop() if mode == "async" else None
        self.http: SyncHttp | AsyncHttp
        if self._loop is None:
            self.http = SyncHttp(sleep=self.sleeps.append, random=lambda: 0.0, **kwargs)
        else:

            async def sleep(delay: float) -> None:
                self.sleeps.append(delay)

            self.http = AsyncHttp(sleep=sleep, random=lambda: 0.0, **kwargs)

    def _run(self, coroutine: Awaitable[T]) -> T:
        assert self._loop is not None
        return self._loop.run_until_complete(coroutine)

    def call(
        self,
        endpoint: Endpoint[T],
        request: Request | None = None,
        options: RequestOptions | None = None,
    ) -> T:
        request = request or Request()
        if isinstance(self.http, SyncHttp):
            return self.http.call(endpoint, request, options)
        return self._run(self.http.call(endpoint, request, options))

    def call_raw(
        self,
        endpoint: Endpoint[T],
        request: Request | None = None,
        options: RequestOptions | None = None,
    ) -> RawResponse[T]:
        request = request or Request()
        if isinstance(self.http, SyncHttp):
            return self.http.call_raw(endpoint, request, options)
        return self._run(self.http.call_raw(endpoint, request, options))

    def _drive(self, items: AsyncIterator[T]) -> Iterator[T]:
        while True:
            try:
                yield self._run(items.__anext__())
            except StopAsyncIteration:
                return

    def stream_bytes(
        self,
        endpoint: Endpoint[Any],
        request: Request | None = None,
        options: RequestOptions | None = None,
    ) -> Iterator[bytes]:
        request = request or Request()
        if isinstance(self.http, SyncHttp):
            return self.http.stream_bytes(endpoint, request, options)
        return self._drive(self.http.stream_bytes(endpoint, request, options))

    def stream_items(
        self,
        endpoint: Endpoint[T],
        request: Request | None = None,
        options: RequestOptions | None = None,
    ) -> Iterator[T]:
        request = request or Request()
        if isinstance(self.http, SyncHttp):
            return self.http.stream_items(endpoint, request, options)
        return self._drive(self.http.stream_items(endpoint, request, options))

    def close(self) -> None:
        if isinstance(self.http, SyncHttp):
            self.http.close()
        else:
            self._run(self.http.aclose())
        if self._loop is not None:
            self._loop.close()


MakeHttp = Callable[..., Driver]


@pytest.fixture(params=["sync", "async"])
def make_http(request: pytest.FixtureRequest, loopback: LoopbackServer) -> Iterator[MakeHttp]:
    """`make_http(**SyncHttp kwargs)`: a Driver aimed at the loopback server, for each mode."""
    drivers: list[Driver] = []

    def make(**kwargs: Any) -> Driver:
        kwargs.setdefault("base_url", loopback.url)
        driver = Driver(request.param, **kwargs)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.close()


@pytest.fixture
def http(make_http: MakeHttp) -> Driver:
    """A Driver with default settings and a secret header."""
    return make_http(secret_headers={"xi-api-key": SECRET})

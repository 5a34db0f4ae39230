"""SyncHttp and AsyncHttp: send an Endpoint's Request with retries and return its result.

Creating one costs next to nothing: httpx and pydantic are imported, and the pooled httpx
client created, on the first request, when the `_engine` that does the sending is made.
"""

from __future__ import annotations

import time
from _thread import allocate_lock
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    import httpx

    from ._endpoint import Endpoint
    from ._engine import AsyncEngine, SyncEngine
    from ._request import Request
    from ._response import RawResponse
    from ._types import RequestOptions

__all__ = ["AsyncHttp", "SyncHttp"]

T = TypeVar("T")


async def _asyncio_sleep(delay: float) -> None:
    """asyncio.sleep, imported when a retry first waits (asyncio takes ~10 ms to import)."""
    import asyncio

    await asyncio.sleep(delay)


def _random() -> float:
    """random.random, imported when a retry first waits."""
    import random

    return random.random()


class SyncHttp:
    """Sends requests for a synchronous client, retrying what is safe to retry.

    One pooled `httpx.Client` (following redirects) is created on the first request (or on
    `close()`) unless `httpx_client` is given; a caller's client is used as given and never
    closed here, with `timeout` and our headers applied to each request. `secret_headers`
    are sent like `headers` but never shown. `sleep` and `random` are seams for tests, read
    at each retry.
    """

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        httpx_client: httpx.Client | None = None,
        sleep: Callable[[float], object] = time.sleep,
        random: Callable[[], float] = _random,
    ) -> None:
        self.base_url = base_url
        self._headers = {**(headers or {}), **(secret_headers or {})}
        self._timeout = timeout
        self._max_retries = max_retries
        self._callers_client = httpx_client
        self._owns_client = httpx_client is None
        self._sleep = sleep
        self._random = random
        self._engine: SyncEngine | None = None
        self._lock = allocate_lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _start(self) -> SyncEngine:
        """The engine, made once (thread-safe) on first use."""
        with self._lock:
            if self._engine is None:
                from ._engine import SyncEngine

                self._engine = SyncEngine(
                    self,
                    base_url=self.base_url,
                    headers=self._headers,
                    timeout=self._timeout,
                    max_retries=self._max_retries,
                    httpx_client=self._callers_client,
                )
            return self._engine

    @property
    def _client(self) -> httpx.Client:
        """The httpx client requests go through (ours is created on first use)."""
        return (self._engine or self._start()).client

    def call(
        self,
        endpoint: Endpoint[T],
        request: Request,
        options: RequestOptions | None = None,
    ) -> T:
        """Send and return the endpoint's declared result."""
        return (self._engine or self._start()).call(endpoint, request, options)

    def call_raw(
        self,
        endpoint: Endpoint[T],
        request: Request,
        options: RequestOptions | None = None,
    ) -> RawResponse[T]:
        """Like `call`, with the status code and headers."""
        return (self._engine or self._start()).call_raw(endpoint, request, options)

    def stream_bytes(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None = None,
    ) -> Iterator[bytes]:
        """The body in chunks as they arrive; the request is sent on the first `next()`."""
        return (self._engine or self._start()).stream_bytes(endpoint, request, options)

    def stream_items(
        self,
        endpoint: Endpoint[T],
        request: Request,
        options: RequestOptions | None = None,
    ) -> Iterator[T]:
        """Server-sent events or JSON lines, parsed one by one as they arrive."""
        return (self._engine or self._start()).stream_items(endpoint, request, options)

    def close(self) -> None:
        """Close the pooled connections, unless the httpx client was the caller's.

        Requests made after this fail as they would on a closed httpx client."""
        if self._owns_client:
            self._client.close()


class AsyncHttp:
    """The asynchronous twin of SyncHttp, over `httpx.AsyncClient` and `asyncio.sleep`."""

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        httpx_client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[object]] = _asyncio_sleep,
        random: Callable[[], float] = _random,
    ) -> None:
        self.base_url = base_url
        self._headers = {**(headers or {}), **(secret_headers or {})}
        self._timeout = timeout
        self._max_retries = max_retries
        self._callers_client = httpx_client
        self._owns_client = httpx_client is None
        self._sleep = sleep
        self._random = random
        self._engine: AsyncEngine | None = None
        self._lock = allocate_lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _start(self) -> AsyncEngine:
        """The engine, made once (thread-safe) on first use."""
        with self._lock:
            if self._engine is None:
                from ._engine import AsyncEngine

                self._engine = AsyncEngine(
                    self,
                    base_url=self.base_url,
                    headers=self._headers,
                    timeout=self._timeout,
                    max_retries=self._max_retries,
                    httpx_client=self._callers_client,
                )
            return self._engine

    @property
    def _client(self) -> httpx.AsyncClient:
        """The httpx client requests go through (ours is created on first use)."""
        return (self._engine or self._start()).client

    async def call(
        self,
        endpoint: Endpoint[T],
        request: Request,
        options: RequestOptions | None = None,
    ) -> T:
        """Send and return the endpoint's declared result."""
        return await (self._engine or self._start()).call(endpoint, request, options)

    async def call_raw(
        self,
        endpoint: Endpoint[T],
        request: Request,
        options: RequestOptions | None = None,
    ) -> RawResponse[T]:
        """Like `call`, with the status code and headers."""
        return await (self._engine or self._start()).call_raw(
            endpoint, request, options
        )

    def stream_bytes(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None = None,
    ) -> AsyncIterator[bytes]:
        """The body in chunks as they arrive; the request is sent on the first iteration."""
        return (self._engine or self._start()).stream_bytes(endpoint, request, options)

    def stream_items(
        self,
        endpoint: Endpoint[T],
        request: Request,
        options: RequestOptions | None = None,
    ) -> AsyncIterator[T]:
        """Server-sent events or JSON lines, parsed one by one as they arrive."""
        return (self._engine or self._start()).stream_items(endpoint, request, options)

    async def aclose(self) -> None:
        """Close the pooled connections, unless the httpx client was the caller's.

        Requests made after this fail as they would on a closed httpx client."""
        if self._owns_client:
            await self._client.aclose()

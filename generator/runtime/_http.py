"""SyncHttp and AsyncHttp: send an Endpoint's Request with retries and return its result.

Creating one costs next to nothing: httpx and pydantic are imported, and the pooled httpx
client created, on the first request, when the `_engine` that does the sending is made.
The engine shares the Http's `Seams` (sleep, random, clock) and knows nothing else of it.

Credentials: `secret_headers` go on every request, like `headers`; `auth` holds the security
schemes (see `_auth`) that each operation's `Endpoint.security` chooses from. Redirects are
followed by the runtime, never by httpx, so that no credential leaves the origin of the
request (see `_redirects`).
"""

from __future__ import annotations

import time
from _thread import allocate_lock
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from typing import TYPE_CHECKING, Any, TypeVar

from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._seams import Seams

if TYPE_CHECKING:
    import httpx

    from ._async_engine import AsyncEngine
    from ._auth import AuthScheme
    from ._endpoint import Endpoint
    from ._engine import SyncEngine
    from ._hooks import Hooks
    from ._pages import AsyncPage, AsyncPager, SyncPage
    from ._request import Request
    from ._response import RawResponse
    from ._types import Identity, RequestOptions

__all__ = ["AsyncHttp", "SyncHttp"]

T = TypeVar("T")
SyncPageT = TypeVar("SyncPageT", bound="SyncPage[Any]")
AsyncPageT = TypeVar("AsyncPageT", bound="AsyncPage[Any]")


async def _asyncio_sleep(delay: float) -> None:
    """asyncio.sleep, imported when a retry first waits (asyncio takes ~10 ms to import)."""
    import asyncio

    await asyncio.sleep(delay)


def _random() -> float:
    """random.random, imported when a retry first waits."""
    import random

    return random.random()


def _schemes(auth: Iterable[AuthScheme]) -> tuple[AuthScheme, ...]:
    schemes = tuple(auth)
    names = [scheme.name for scheme in schemes]
    if len(set(names)) != len(names):
        raise ValueError(f"security scheme names must be unique: {names!r}")
    return schemes


class SyncHttp:
    """Sends requests for a synchronous client, retrying what is safe to retry.

    One pooled `httpx.Client` is created on the first request (or on `close()`) unless
    `httpx_client` is given; a caller's client is used as given and never closed here,
    with `timeout` and our headers applied to each request (and its own redirect following
    bypassed). `secret_headers` are sent like `headers` but never shown; `auth` holds the
    security schemes operations choose from. `sleep`, `random` and `clock` (monotonic
    seconds, for OAuth2 token lifetimes) are seams for tests, read at each use.

    `hooks` run at each attempt (see `_hooks`); `identity` gives the User-Agent and SDK
    headers (see `_identity`; a None in `headers` removes one); `sensitive_fields` are
    JSON keys redacted in DEBUG body logs (see `_logs`). `strict_responses=False` keeps
    2xx JSON that does not match its declared type (raw values where fields do not match,
    one logged warning per model and field) instead of raising ResponseValidationError;
    a body that is not JSON still raises (see `_decoding.lenient_validator_for`).
    """

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str | None] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        auth: Iterable[AuthScheme] = (),
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        httpx_client: httpx.Client | None = None,
        hooks: Hooks | None = None,
        identity: Identity | None = None,
        sensitive_fields: Iterable[str] = (),
        strict_responses: bool = True,
        sleep: Callable[[float], object] = time.sleep,
        random: Callable[[], float] = _random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url
        self._headers = {**(headers or {}), **(secret_headers or {})}
        self._secret_header_names = tuple(secret_headers or ())
        self._auth = _schemes(auth)
        self._timeout = timeout
        self._max_retries = max_retries
        self._callers_client = httpx_client
        self._owns_client = httpx_client is None
        self._seams = Seams(sleep, random, clock)
        self._options = (hooks, identity, tuple(sensitive_fields), strict_responses)
        self._engine: SyncEngine | None = None
        self._lock = allocate_lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @property
    def _sleep(self) -> Callable[[float], object]:
        return self._seams.sleep

    @_sleep.setter
    def _sleep(self, sleep: Callable[[float], object]) -> None:
        self._seams.sleep = sleep

    def handshake_secrets(self) -> tuple[dict[str, str], tuple[AuthScheme, ...]]:
        """The secret headers and security schemes, for a real-time session's handshake
        (see `_realtime_connect.handshake_credentials`)."""
        names = self._secret_header_names
        return {n: v for n, v in self._headers.items() if n in names and v}, self._auth

    def _start(self) -> SyncEngine:
        """The engine, made once (thread-safe) on first use."""
        with self._lock:
            if self._engine is None:
                from ._engine import SyncEngine

                self._engine = SyncEngine(
                    self._seams,
                    base_url=self.base_url,
                    headers=self._headers,
                    secret_header_names=self._secret_header_names,
                    auth=self._auth,
                    timeout=self._timeout,
                    max_retries=self._max_retries,
                    httpx_client=self._callers_client,
                    hooks=self._options[0],
                    identity=self._options[1],
                    sensitive_fields=self._options[2],
                    strict_responses=self._options[3],
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

    def paginate(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        page: type[SyncPageT],
    ) -> SyncPageT:
        """The first page of a paginated operation as `page` (see `_pages`); iterating it
        fetches the next pages with the same options."""
        from ._pages import first_sync_page

        return first_sync_page(
            self.call, self.base_url, endpoint, request, options, page
        )

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
        headers: Mapping[str, str | None] | None = None,
        secret_headers: Mapping[str, str] | None = None,
        auth: Iterable[AuthScheme] = (),
        timeout: float | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        httpx_client: httpx.AsyncClient | None = None,
        hooks: Hooks | None = None,
        identity: Identity | None = None,
        sensitive_fields: Iterable[str] = (),
        strict_responses: bool = True,
        sleep: Callable[[float], Awaitable[object]] = _asyncio_sleep,
        random: Callable[[], float] = _random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url
        self._headers = {**(headers or {}), **(secret_headers or {})}
        self._secret_header_names = tuple(secret_headers or ())
        self._auth = _schemes(auth)
        self._timeout = timeout
        self._max_retries = max_retries
        self._callers_client = httpx_client
        self._owns_client = httpx_client is None
        self._seams = Seams(sleep, random, clock)
        self._options = (hooks, identity, tuple(sensitive_fields), strict_responses)
        self._engine: AsyncEngine | None = None
        self._lock = allocate_lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @property
    def _sleep(self) -> Callable[[float], Awaitable[object]]:
        return self._seams.sleep

    @_sleep.setter
    def _sleep(self, sleep: Callable[[float], Awaitable[object]]) -> None:
        self._seams.sleep = sleep

    def handshake_secrets(self) -> tuple[dict[str, str], tuple[AuthScheme, ...]]:
        """The secret headers and security schemes, for a real-time session's handshake
        (see `_realtime_connect.handshake_credentials`)."""
        names = self._secret_header_names
        return {n: v for n, v in self._headers.items() if n in names and v}, self._auth

    def _start(self) -> AsyncEngine:
        """The engine, made once (thread-safe) on first use."""
        with self._lock:
            if self._engine is None:
                from ._async_engine import AsyncEngine

                self._engine = AsyncEngine(
                    self._seams,
                    base_url=self.base_url,
                    headers=self._headers,
                    secret_header_names=self._secret_header_names,
                    auth=self._auth,
                    timeout=self._timeout,
                    max_retries=self._max_retries,
                    httpx_client=self._callers_client,
                    hooks=self._options[0],
                    identity=self._options[1],
                    sensitive_fields=self._options[2],
                    strict_responses=self._options[3],
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

    def paginate(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        page: type[AsyncPageT],
    ) -> AsyncPager[AsyncPageT]:
        """`await` it for the first page of a paginated operation as `page`, or `async for`
        over it for every item of every page (see `_pages`). Nothing is sent before."""
        from ._pages import first_async_page

        return first_async_page(
            self.call, self.base_url, endpoint, request, options, page
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

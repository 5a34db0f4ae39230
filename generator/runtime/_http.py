"""SyncHttp and AsyncHttp: send an Endpoint's Request with retries and return its result."""

from __future__ import annotations

import asyncio
import functools
import random as _random
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack
from typing import Any, TypeVar

import httpx

from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._endpoint import Endpoint
from ._exchange import (
    Preparer,
    aiter_checked_items,
    connection_error,
    decode_result,
    iter_checked_items,
    log_attempt,
    next_retry_delay,
    status_error,
)
from ._lines import aiter_lines, iter_lines
from ._request import Request
from ._response import RawResponse
from ._types import RequestOptions

__all__ = ["AsyncHttp", "SyncHttp"]

T = TypeVar("T")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for all the clients we create (building one takes ~30 ms)."""
    return httpx.create_ssl_context()


def _preparer(
    base_url: str,
    headers: Mapping[str, str] | None,
    secret_headers: Mapping[str, str] | None,
    timeout: float | None,
    max_retries: int,
    caller_client: bool,
) -> Preparer:
    return Preparer(
        base_url=base_url,
        headers={**(headers or {}), **(secret_headers or {})},
        timeout=timeout,
        max_retries=max_retries,
        watch_client_headers=caller_client,
    )


class SyncHttp:
    """Sends requests for a synchronous client, retrying what is safe to retry.

    One pooled `httpx.Client` (following redirects) is created unless `httpx_client` is
    given; a caller's client is used as given and never closed here, with `timeout` and
    our headers applied to each request. `secret_headers` are sent like `headers` but
    never shown. `sleep` and `random` are seams for tests.
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
        random: Callable[[], float] = _random.random,
    ) -> None:
        self.base_url = base_url
        self._prepare = _preparer(
            base_url, headers, secret_headers, timeout, max_retries, httpx_client is not None
        )
        self._owns_client = httpx_client is None
        self._client = (
            httpx.Client(
                timeout=httpx.Timeout(timeout), follow_redirects=True, verify=_ssl_context()
            )
            if httpx_client is None
            else httpx_client
        )
        self._sleep = sleep
        self._random = random

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def call(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None = None
    ) -> T:
        """Send and return the endpoint's declared result."""
        return decode_result(endpoint.result, self._send(endpoint, request, options, False))

    def call_raw(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None = None
    ) -> RawResponse[T]:
        """Like `call`, with the status code and headers."""
        response = self._send(endpoint, request, options, False)
        data = decode_result(endpoint.result, response)
        return RawResponse(status_code=response.status_code, headers=response.headers, data=data)

    def stream_bytes(
        self, endpoint: Endpoint[Any], request: Request, options: RequestOptions | None = None
    ) -> Iterator[bytes]:
        """The body in chunks as they arrive; the request is sent on the first `next()`."""
        response = self._send(endpoint, request, options, True)
        try:
            yield from response.iter_bytes()
        except httpx.RequestError as exc:
            raise connection_error(exc) from exc
        finally:
            response.close()

    def stream_items(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None = None
    ) -> Iterator[T]:
        """Server-sent events or JSON lines, parsed one by one as they arrive."""
        response = self._send(endpoint, request, options, True)
        try:
            lines = iter_lines(response.iter_bytes())
            yield from iter_checked_items(endpoint.result, lines, response)
        finally:
            response.close()

    def close(self) -> None:
        """Close the pooled connections, unless the httpx client was the caller's."""
        if self._owns_client:
            self._client.close()

    def _send(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        stream: bool,
    ) -> httpx.Response:
        """A 2xx response (body read unless `stream`), after any retries; else raise."""
        files = None if request.files is None else ExitStack()
        try:
            outgoing, max_retries = self._prepare.build(
                self._client, endpoint, request, options, files
            )
            attempt = 0
            while True:
                try:
                    response = self._client.send(outgoing, stream=stream)
                    if stream and not response.is_success:
                        try:
                            response.read()
                        finally:
                            response.close()
                except httpx.RequestError as exc:
                    delay = next_retry_delay(outgoing, attempt, max_retries, self._random, exc=exc)
                    log_attempt(outgoing, attempt, type(exc).__name__, delay)
                    if delay is None:
                        raise connection_error(exc) from exc
                else:
                    if response.is_success:
                        log_attempt(outgoing, attempt, response.status_code)
                        return response
                    delay = next_retry_delay(
                        outgoing, attempt, max_retries, self._random, response=response
                    )
                    log_attempt(outgoing, attempt, response.status_code, delay)
                    if delay is None:
                        raise status_error(endpoint, response)
                    response.close()
                self._sleep(delay)
                attempt += 1
        finally:
            if files is not None:
                files.close()


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
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self.base_url = base_url
        self._prepare = _preparer(
            base_url, headers, secret_headers, timeout, max_retries, httpx_client is not None
        )
        self._owns_client = httpx_client is None
        self._client = (
            httpx.AsyncClient(
                timeout=httpx.Timeout(timeout), follow_redirects=True, verify=_ssl_context()
            )
            if httpx_client is None
            else httpx_client
        )
        self._sleep = sleep
        self._random = random

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def call(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None = None
    ) -> T:
        """Send and return the endpoint's declared result."""
        response = await self._send(endpoint, request, options, False)
        return decode_result(endpoint.result, response)

    async def call_raw(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None = None
    ) -> RawResponse[T]:
        """Like `call`, with the status code and headers."""
        response = await self._send(endpoint, request, options, False)
        data = decode_result(endpoint.result, response)
        return RawResponse(status_code=response.status_code, headers=response.headers, data=data)

    async def stream_bytes(
        self, endpoint: Endpoint[Any], request: Request, options: RequestOptions | None = None
    ) -> AsyncIterator[bytes]:
        """The body in chunks as they arrive; the request is sent on the first iteration."""
        response = await self._send(endpoint, request, options, True)
        try:
            async for chunk in response.aiter_bytes():
                yield chunk
        except httpx.RequestError as exc:
            raise connection_error(exc) from exc
        finally:
            await response.aclose()

    async def stream_items(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None = None
    ) -> AsyncIterator[T]:
        """Server-sent events or JSON lines, parsed one by one as they arrive."""
        response = await self._send(endpoint, request, options, True)
        try:
            lines = aiter_lines(response.aiter_bytes())
            async for item in aiter_checked_items(endpoint.result, lines, response):
                yield item
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections, unless the httpx client was the caller's."""
        if self._owns_client:
            await self._client.aclose()

    async def _send(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        stream: bool,
    ) -> httpx.Response:
        """A 2xx response (body read unless `stream`), after any retries; else raise."""
        files = None if request.files is None else ExitStack()
        try:
            outgoing, max_retries = self._prepare.build(
                self._client, endpoint, request, options, files
            )
            attempt = 0
            while True:
                try:
                    response = await self._client.send(outgoing, stream=stream)
                    if stream and not response.is_success:
                        try:
                            await response.aread()
                        finally:
                            await response.aclose()
                except httpx.RequestError as exc:
                    delay = next_retry_delay(outgoing, attempt, max_retries, self._random, exc=exc)
                    log_attempt(outgoing, attempt, type(exc).__name__, delay)
                    if delay is None:
                        raise connection_error(exc) from exc
                else:
                    if response.is_success:
                        log_attempt(outgoing, attempt, response.status_code)
                        return response
                    delay = next_retry_delay(
                        outgoing, attempt, max_retries, self._random, response=response
                    )
                    log_attempt(outgoing, attempt, response.status_code, delay)
                    if delay is None:
                        raise status_error(endpoint, response)
                    await response.aclose()
                await self._sleep(delay)
                attempt += 1
        finally:
            if files is not None:
                files.close()

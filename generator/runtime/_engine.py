"""SyncEngine and AsyncEngine: the half of SyncHttp and AsyncHttp that needs httpx.

Made on a client's first request: the pooled httpx client (unless the caller gave one), the
request builder, and the send-and-retry loop.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

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
from ._response import RawResponse

if TYPE_CHECKING:
    from ._endpoint import Endpoint
    from ._http import AsyncHttp, SyncHttp
    from ._request import Request
    from ._types import RequestOptions

__all__ = ["AsyncEngine", "SyncEngine"]

T = TypeVar("T")


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for all the clients we create (building one takes ~30 ms)."""
    return httpx.create_ssl_context()


class SyncEngine:
    """Sends for one SyncHttp, whose `_sleep` and `_random` are read at each retry."""

    __slots__ = ("_http", "_prepare", "client")

    def __init__(
        self,
        http: SyncHttp,
        *,
        base_url: str,
        headers: Mapping[str, str],
        timeout: float | None,
        max_retries: int,
        httpx_client: httpx.Client | None,
    ) -> None:
        self._http = http
        self._prepare = Preparer(
            base_url=base_url,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
            watch_client_headers=httpx_client is not None,
        )
        self.client = (
            httpx.Client(
                timeout=httpx.Timeout(timeout),
                follow_redirects=True,
                verify=_ssl_context(),
            )
            if httpx_client is None
            else httpx_client
        )

    def call(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> T:
        return decode_result(
            endpoint.result, self.send(endpoint, request, options, False)
        )

    def call_raw(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> RawResponse[T]:
        response = self.send(endpoint, request, options, False)
        data = decode_result(endpoint.result, response)
        return RawResponse(
            status_code=response.status_code, headers=response.headers, data=data
        )

    def stream_bytes(
        self, endpoint: Endpoint[Any], request: Request, options: RequestOptions | None
    ) -> Iterator[bytes]:
        response = self.send(endpoint, request, options, True)
        try:
            yield from response.iter_bytes()
        except httpx.RequestError as exc:
            raise connection_error(exc) from exc
        finally:
            response.close()

    def stream_items(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> Iterator[T]:
        response = self.send(endpoint, request, options, True)
        try:
            lines = iter_lines(response.iter_bytes())
            yield from iter_checked_items(endpoint.result, lines, response)
        finally:
            response.close()

    def send(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        stream: bool,
    ) -> httpx.Response:
        """A 2xx response (body read unless `stream`), after any retries; else raise."""
        client = self.client
        files = None if request.files is None else ExitStack()
        try:
            outgoing, max_retries = self._prepare.build(
                client, endpoint, request, options, files
            )
            attempt = 0
            while True:
                try:
                    response = client.send(outgoing, stream=stream)
                    if stream and not response.is_success:
                        try:
                            response.read()
                        finally:
                            response.close()
                except httpx.RequestError as exc:
                    delay = next_retry_delay(
                        outgoing, attempt, max_retries, self._http._random, exc=exc
                    )
                    log_attempt(outgoing, attempt, type(exc).__name__, delay)
                    if delay is None:
                        raise connection_error(exc) from exc
                else:
                    if response.is_success:
                        log_attempt(outgoing, attempt, response.status_code)
                        return response
                    delay = next_retry_delay(
                        outgoing,
                        attempt,
                        max_retries,
                        self._http._random,
                        response=response,
                    )
                    log_attempt(outgoing, attempt, response.status_code, delay)
                    if delay is None:
                        raise status_error(endpoint, response)
                    response.close()
                self._http._sleep(delay)
                attempt += 1
        finally:
            if files is not None:
                files.close()


class AsyncEngine:
    """The asynchronous twin of SyncEngine, for one AsyncHttp."""

    __slots__ = ("_http", "_prepare", "client")

    def __init__(
        self,
        http: AsyncHttp,
        *,
        base_url: str,
        headers: Mapping[str, str],
        timeout: float | None,
        max_retries: int,
        httpx_client: httpx.AsyncClient | None,
    ) -> None:
        self._http = http
        self._prepare = Preparer(
            base_url=base_url,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
            watch_client_headers=httpx_client is not None,
        )
        self.client = (
            httpx.AsyncClient(
                timeout=httpx.Timeout(timeout),
                follow_redirects=True,
                verify=_ssl_context(),
            )
            if httpx_client is None
            else httpx_client
        )

    async def call(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> T:
        response = await self.send(endpoint, request, options, False)
        return decode_result(endpoint.result, response)

    async def call_raw(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> RawResponse[T]:
        response = await self.send(endpoint, request, options, False)
        data = decode_result(endpoint.result, response)
        return RawResponse(
            status_code=response.status_code, headers=response.headers, data=data
        )

    async def stream_bytes(
        self, endpoint: Endpoint[Any], request: Request, options: RequestOptions | None
    ) -> AsyncIterator[bytes]:
        response = await self.send(endpoint, request, options, True)
        try:
            async for chunk in response.aiter_bytes():
                yield chunk
        except httpx.RequestError as exc:
            raise connection_error(exc) from exc
        finally:
            await response.aclose()

    async def stream_items(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> AsyncIterator[T]:
        response = await self.send(endpoint, request, options, True)
        try:
            lines = aiter_lines(response.aiter_bytes())
            async for item in aiter_checked_items(endpoint.result, lines, response):
                yield item
        finally:
            await response.aclose()

    async def send(
        self,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        stream: bool,
    ) -> httpx.Response:
        """A 2xx response (body read unless `stream`), after any retries; else raise."""
        client = self.client
        files = None if request.files is None else ExitStack()
        try:
            outgoing, max_retries = self._prepare.build(
                client, endpoint, request, options, files
            )
            attempt = 0
            while True:
                try:
                    response = await client.send(outgoing, stream=stream)
                    if stream and not response.is_success:
                        try:
                            await response.aread()
                        finally:
                            await response.aclose()
                except httpx.RequestError as exc:
                    delay = next_retry_delay(
                        outgoing, attempt, max_retries, self._http._random, exc=exc
                    )
                    log_attempt(outgoing, attempt, type(exc).__name__, delay)
                    if delay is None:
                        raise connection_error(exc) from exc
                else:
                    if response.is_success:
                        log_attempt(outgoing, attempt, response.status_code)
                        return response
                    delay = next_retry_delay(
                        outgoing,
                        attempt,
                        max_retries,
                        self._http._random,
                        response=response,
                    )
                    log_attempt(outgoing, attempt, response.status_code, delay)
                    if delay is None:
                        raise status_error(endpoint, response)
                    await response.aclose()
                await self._http._sleep(delay)
                attempt += 1
        finally:
            if files is not None:
                files.close()

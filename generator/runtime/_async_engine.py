"""AsyncEngine: the half of AsyncHttp that needs httpx, the twin of `_engine.SyncEngine`
(the same steps, awaited): credentials, redirects, retries, hooks, logs and decoding."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._constants import MAX_REDIRECTS
from ._credentials import Plan, TokenSource
from ._engine import additional_headers, client_parts, ssl_context
from ._exchange import (
    aiter_checked_items,
    connection_error,
    decode_result,
    next_retry_delay,
    status_error,
)
from ._idempotency import has_idempotency_key
from ._lines import aiter_lines
from ._redirects import is_redirect, log_redirect, redirect_request, too_many_redirects
from ._response import RawResponse

if TYPE_CHECKING:
    from ._auth import AuthScheme
    from ._endpoint import Endpoint
    from ._hooks import Hooks
    from ._request import Request
    from ._seams import Seams
    from ._types import Identity, RequestOptions

__all__ = ["AsyncEngine"]

T = TypeVar("T")


class AsyncEngine:
    """The asynchronous twin of SyncEngine, for one AsyncHttp."""

    __slots__ = (
        "_credentials",
        "_hooks",
        "_log",
        "_prepare",
        "_seams",
        "_strict",
        "client",
    )

    def __init__(
        self,
        seams: Seams[Callable[[float], Awaitable[object]]],
        *,
        base_url: str,
        headers: Mapping[str, str | None],
        secret_header_names: Iterable[str],
        auth: Iterable[AuthScheme],
        timeout: float | None,
        max_retries: int,
        httpx_client: httpx.AsyncClient | None,
        hooks: Hooks | None = None,
        identity: Identity | None = None,
        sensitive_fields: Iterable[str] = (),
        strict_responses: bool = True,
    ) -> None:
        self._seams = seams
        self._strict = strict_responses
        self._hooks = hooks or None
        self._prepare, self._credentials, self._log = client_parts(
            base_url=base_url,
            headers=headers,
            secret_header_names=secret_header_names,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
            watch_client_headers=httpx_client is not None,
            identity=identity,
            sensitive_fields=sensitive_fields,
        )
        self.client = (
            httpx.AsyncClient(timeout=httpx.Timeout(timeout), verify=ssl_context())
            if httpx_client is None
            else httpx_client
        )

    async def call(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> T:
        response = await self.send(endpoint, request, options, False)
        return decode_result(endpoint.result, response, self._strict)

    async def call_raw(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> RawResponse[T]:
        response = await self.send(endpoint, request, options, False)
        data = decode_result(endpoint.result, response, self._strict)
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
            async for item in aiter_checked_items(
                endpoint.result, lines, response, self._strict
            ):
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
        security = endpoint.security
        plan = None if security is None else self._credentials.plan(endpoint, security)
        files = None if request.files is None else ExitStack()
        try:
            outgoing, max_retries = self._prepare.build(
                client, endpoint, request, options, files
            )
            tokens = (
                ()
                if plan is None
                else plan.apply(outgoing, additional_headers(options))
            )
            renew = bool(tokens)
            hooks, log = self._hooks, self._log
            keyed = (
                None
                if endpoint.idempotency_header is None
                else has_idempotency_key(outgoing, endpoint.idempotency_header)
            )
            attempt = 0
            while True:
                used = await self._authorize(outgoing, tokens) if tokens else ()
                if hooks is not None:
                    outgoing = await hooks.abefore(outgoing, attempt)
                started = log.start()
                try:
                    response = await self._send_following(
                        client, outgoing, stream, plan
                    )
                    if stream and not response.is_success:
                        try:
                            await response.aread()
                        finally:
                            await response.aclose()
                except httpx.RequestError as exc:
                    delay = next_retry_delay(
                        outgoing,
                        attempt,
                        max_retries,
                        self._seams.random,
                        exc=exc,
                        idempotent=keyed,
                    )
                    log.attempt(outgoing, attempt, started, failure=type(exc).__name__)
                    if hooks is not None:
                        await hooks.aerror(connection_error(exc), outgoing, attempt)
                    if delay is None:
                        raise connection_error(exc) from exc
                else:
                    if started:
                        log.attempt(outgoing, attempt, started, response)
                    if hooks is not None:
                        await hooks.aafter(response, attempt)
                    if response.is_success:
                        return response
                    if renew and response.status_code == 401:
                        renew = False
                        for source, token in used:
                            source.invalidate(token)
                        await response.aclose()
                        continue
                    delay = next_retry_delay(
                        outgoing,
                        attempt,
                        max_retries,
                        self._seams.random,
                        response=response,
                        idempotent=keyed,
                    )
                    if hooks is not None:
                        error = status_error(endpoint, response)
                        await hooks.aerror(error, outgoing, attempt)
                    if delay is None:
                        raise status_error(endpoint, response)
                    await response.aclose()
                await self._seams.sleep(delay)
                attempt += 1
        finally:
            if files is not None:
                files.close()

    async def _send_following(
        self,
        client: httpx.AsyncClient,
        request: httpx.Request,
        stream: bool,
        plan: Plan | None,
    ) -> httpx.Response:
        """The response to `request` once redirects are followed (see `_redirects`)."""
        response = await client.send(request, stream=stream, follow_redirects=False)
        trusted, hops = True, 0
        while is_redirect(response):
            if stream:
                try:
                    await response.aread()
                finally:
                    await response.aclose()
            if hops == MAX_REDIRECTS:
                raise too_many_redirects(request, response)
            log_redirect(request, response)
            request, trusted = redirect_request(
                request,
                response,
                trusted=trusted,
                credentials=self._credentials,
                plan=plan,
                cookies=client.cookies,
            )
            hops += 1
            if trusted:
                response = await client.send(
                    request, stream=stream, follow_redirects=False
                )
            else:
                response = await client.send(
                    request, stream=stream, follow_redirects=False, auth=None
                )
        return response

    async def _authorize(
        self, request: httpx.Request, tokens: tuple[TokenSource, ...]
    ) -> list[tuple[TokenSource, str]]:
        """Put each source's current token (fetched when due) on `request`."""
        used = []
        for source in tokens:
            token = source.current(self._seams.clock()) or await self._fetch(source)
            request.headers["authorization"] = f"Bearer {token}"
            used.append((source, token))
        return used

    async def _fetch(self, source: TokenSource) -> str:
        """A new token from the source's token_url (one fetch for concurrent callers)."""
        if source.alock is None:
            import asyncio  # imported already: this runs in an event loop

            source.alock = asyncio.Lock()
        async with source.alock:
            sent_at = self._seams.clock()
            token = source.current(sent_at)
            if token is not None:
                return token
            try:
                response = await self.client.send(
                    source.request(self._prepare.timeout_extensions),
                    auth=None,
                    follow_redirects=False,
                )
            except httpx.RequestError as exc:
                raise connection_error(exc) from exc
            return source.store(response, sent_at)

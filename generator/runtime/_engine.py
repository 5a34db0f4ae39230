"""SyncEngine: the half of SyncHttp that needs httpx (AsyncEngine, its twin, is in
`_async_engine`).

Made on a client's first request: the pooled httpx client (unless the caller gave one), the
request builder, the credentials, and the send loop: credentials applied (OAuth2 tokens
fetched and renewed), redirects followed by the runtime's policy (`_redirects`), retries.
An engine knows its Http only through the `Seams` they share. `strict_responses=False`
decodes results leniently (see `_decoding.lenient_validator_for`).
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._constants import MAX_REDIRECTS
from ._credentials import Credentials, Plan, TokenSource
from ._exchange import (
    Preparer,
    connection_error,
    decode_result,
    iter_checked_items,
    next_retry_delay,
    status_error,
)
from ._idempotency import has_idempotency_key
from ._identity import with_identity
from ._lines import iter_lines
from ._logs import ExchangeLog
from ._redirects import is_redirect, log_redirect, redirect_request, too_many_redirects
from ._response import RawResponse

if TYPE_CHECKING:
    from ._auth import AuthScheme
    from ._endpoint import Endpoint
    from ._hooks import Hooks
    from ._request import Request
    from ._seams import Seams
    from ._types import Identity, RequestOptions

__all__ = ["SyncEngine", "additional_headers", "client_parts", "ssl_context"]

T = TypeVar("T")


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for all the clients we create (building one takes ~30 ms)."""
    return httpx.create_ssl_context()


def additional_headers(options: RequestOptions | None) -> Mapping[str, str] | None:
    """The call's additional headers that are set (a None removes a header, sends none)."""
    more = options.get("additional_headers") if options else None
    if not more:
        return None
    return {name: value for name, value in more.items() if value is not None}


def client_parts(
    *,
    base_url: str,
    headers: Mapping[str, str | None],
    secret_header_names: Iterable[str],
    auth: Iterable[AuthScheme],
    timeout: float | None,
    max_retries: int,
    watch_client_headers: bool,
    identity: Identity | None,
    sensitive_fields: Iterable[str],
) -> tuple[Preparer, Credentials, ExchangeLog]:
    """What the sync and the async engine both make of a client's settings: the request
    builder, the credentials, and the log that never shows them."""
    prepare = Preparer(
        base_url=base_url,
        headers=with_identity(headers, identity, httpx.__version__),
        timeout=timeout,
        max_retries=max_retries,
        watch_client_headers=watch_client_headers,
    )
    credentials = Credentials(auth, secret_header_names)
    log = ExchangeLog.for_client(
        auth, headers, secret_header_names, credentials, sensitive_fields
    )
    return prepare, credentials, log


class SyncEngine:
    """Sends for one SyncHttp, whose seams (`sleep`, `random`, `clock`) are read at each
    use."""

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
        seams: Seams[Callable[[float], object]],
        *,
        base_url: str,
        headers: Mapping[str, str | None],
        secret_header_names: Iterable[str],
        auth: Iterable[AuthScheme],
        timeout: float | None,
        max_retries: int,
        httpx_client: httpx.Client | None,
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
            httpx.Client(timeout=httpx.Timeout(timeout), verify=ssl_context())
            if httpx_client is None
            else httpx_client
        )

    def call(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> T:
        response = self.send(endpoint, request, options, False)
        return decode_result(endpoint.result, response, self._strict)

    def call_raw(
        self, endpoint: Endpoint[T], request: Request, options: RequestOptions | None
    ) -> RawResponse[T]:
        response = self.send(endpoint, request, options, False)
        data = decode_result(endpoint.result, response, self._strict)
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
            yield from iter_checked_items(
                endpoint.result, lines, response, self._strict
            )
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
                used = self._authorize(outgoing, tokens) if tokens else ()
                if hooks is not None:
                    outgoing = hooks.before(outgoing, attempt)
                started = log.start()
                try:
                    response = self._send_following(client, outgoing, stream, plan)
                    if stream and not response.is_success:
                        try:
                            response.read()
                        finally:
                            response.close()
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
                        hooks.error(connection_error(exc), outgoing, attempt)
                    if delay is None:
                        raise connection_error(exc) from exc
                else:
                    if started:
                        log.attempt(outgoing, attempt, started, response)
                    if hooks is not None:
                        hooks.after(response, attempt)
                    if response.is_success:
                        return response
                    if renew and response.status_code == 401:
                        renew = False
                        for source, token in used:
                            source.invalidate(token)
                        response.close()
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
                        hooks.error(error, outgoing, attempt)
                    if delay is None:
                        raise status_error(endpoint, response)
                    response.close()
                self._seams.sleep(delay)
                attempt += 1
        finally:
            if files is not None:
                files.close()

    def _send_following(
        self,
        client: httpx.Client,
        request: httpx.Request,
        stream: bool,
        plan: Plan | None,
    ) -> httpx.Response:
        """The response to `request` once redirects are followed (see `_redirects`)."""
        response = client.send(request, stream=stream, follow_redirects=False)
        trusted, hops = True, 0
        while is_redirect(response):
            if stream:
                try:
                    response.read()
                finally:
                    response.close()
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
                response = client.send(request, stream=stream, follow_redirects=False)
            else:
                response = client.send(
                    request, stream=stream, follow_redirects=False, auth=None
                )
        return response

    def _authorize(
        self, request: httpx.Request, tokens: tuple[TokenSource, ...]
    ) -> list[tuple[TokenSource, str]]:
        """Put each source's current token (fetched when due) on `request`."""
        used = []
        for source in tokens:
            token = source.current(self._seams.clock()) or self._fetch(source)
            request.headers["authorization"] = f"Bearer {token}"
            used.append((source, token))
        return used

    def _fetch(self, source: TokenSource) -> str:
        """A new token from the source's token_url (one fetch for concurrent callers)."""
        with source.lock:
            sent_at = self._seams.clock()
            token = source.current(sent_at)
            if token is not None:
                return token
            try:
                response = self.client.send(
                    source.request(self._prepare.timeout_extensions),
                    auth=None,
                    follow_redirects=False,
                )
            except httpx.RequestError as exc:
                raise connection_error(exc) from exc
            return source.store(response, sent_at)

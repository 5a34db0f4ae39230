"""I/O-free decisions shared by SyncHttp and AsyncHttp: build, retry, decode, raise."""

from __future__ import annotations

from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import ExitStack
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from ._bodies import attach_stream, encode_body
from ._constants import STREAM_EXCERPT_LINES
from ._decoding import decode_error_body, summarize
from ._encoding import encode_cookies, encode_headers, encode_query, render_path
from ._endpoint import Endpoint, ResultKind
from ._errors import ApiConnectionError, ApiError, ResponseValidationError
from ._idempotency import add_idempotency_key
from ._request import Request
from ._retry import retry_delay, should_retry
from ._servers import OperationServers
from ._timeout_error import ApiTimeoutError
from ._types import RequestOptions

__all__ = [
    "Preparer",
    "aiter_checked_items",
    "connection_error",
    "decode_result",
    "iter_checked_items",
    "next_retry_delay",
    "status_error",
]

T = TypeVar("T")


class Preparer:
    """Turns (endpoint, request, options) into an httpx.Request for one client's settings.

    The httpx client's default headers are merged with ours once, and again whenever a
    caller's client has changed them (`watch_client_headers`); our `timeout` is written
    into every request, so it also applies on a caller's client. The URL of an endpoint
    whose path has no parameters is parsed once.
    """

    __slots__ = (
        "_merged",
        "_seen",
        "_servers",
        "_static_urls",
        "_watch",
        "base_url",
        "headers",
        "max_retries",
        "timeout_extensions",
    )

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str | None],
        timeout: float | None,
        max_retries: int,
        watch_client_headers: bool,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers)  # a None removes the header (also httpx's)
        self.max_retries = max_retries
        self.timeout_extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
        self._watch = watch_client_headers
        self._seen: list[tuple[bytes, bytes]] | None = None
        self._merged = httpx.Headers(
            {k: v for k, v in self.headers.items() if v is not None}
        )
        self._static_urls: dict[str, httpx.URL] = {}
        self._servers = OperationServers(base_url)

    def _base_headers(self, client_headers: httpx.Headers) -> httpx.Headers:
        if self._seen is not None and not self._watch:
            return self._merged
        raw = client_headers.raw
        if raw != self._seen:
            merged = httpx.Headers(client_headers)
            for name, value in self.headers.items():
                if value is None:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            self._merged, self._seen = merged, raw
        return self._merged

    def _url(self, base_url: str, key: str, path: str, query: str) -> httpx.URL:
        """base_url + path + query as httpx parses it; only the query is added per call to
        the parsed URL of an endpoint without path parameters (cached under `key`, the
        endpoint's path template, preceded by its server's URL when it has servers)."""
        base = self._static_urls.get(key)
        if base is None or len(query) > _SHORTCUT_MAX_LENGTH:
            text = base_url + path if path.startswith("/") else f"{base_url}/{path}"
            if (
                not _URL_SHORTCUT
                or len(text) > _SHORTCUT_MAX_LENGTH
                or len(query) > _SHORTCUT_MAX_LENGTH
                or "?" in text
                or "#" in text
            ):
                return httpx.URL(f"{text}?{query}" if query else text)
            base = httpx.URL(text)
            if "{" not in key:
                self._static_urls[key] = base
        return _with_query(base, query) if query else base

    def build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[Any],
        request: Request,
        options: RequestOptions | None,
        files: ExitStack | None,
    ) -> tuple[httpx.Request, int]:
        """The request to send and the retries allowed; paths to upload are opened on `files`
        (required when `request.files` is given)."""
        template = endpoint.path
        path = render_path(template, request.path_params)
        query = encode_query(request.query) if request.query else ""
        headers = encode_headers(request.headers) if request.headers else {}
        if request.cookies and (cookie := encode_cookies(request.cookies)):
            headers["cookie"] = cookie
        extensions = self.timeout_extensions
        max_retries = self.max_retries
        extra_body: Mapping[str, Any] | None = None
        removed: list[str] | None = None
        if options:
            if (timeout := options.get("timeout_in_seconds")) is not None:
                extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
            max_retries = options.get("max_retries", max_retries)
            if more_query := options.get("additional_query_parameters"):
                more = encode_query(more_query.items())
                query = f"{query}&{more}" if query and more else query or more
            if more_headers := options.get("additional_headers"):
                for name, value in more_headers.items():
                    if value is None:
                        removed = [*(removed or ()), name]
                        headers.pop(name, None)
                    else:
                        headers[name] = value
            extra_body = options.get("additional_body_parameters")

        content, stream, length, content_type = encode_body(request, extra_body, files)
        if content_type is not None and "content-type" not in headers:
            headers = {"content-type": content_type, **headers}

        servers = getattr(endpoint, "servers", None)
        if servers:
            base_url = self._servers.base_url(servers[0])
            url = self._url(base_url, f"{base_url} {template}", path, query)
        else:
            url = self._url(self.base_url, template, path, query)
        outgoing = httpx.Request(
            endpoint.method,
            url,
            headers=self._base_headers(client.headers),
            content=content,
            extensions=extensions,
        )
        if stream is not None:
            attach_stream(outgoing, stream, length)
        if headers:
            outgoing.headers.update(headers)
        if removed:
            for name in removed:
                outgoing.headers.pop(name, None)
        if endpoint.idempotency_header is not None:
            add_idempotency_key(outgoing, endpoint.idempotency_header, options)
        if client.params:
            outgoing.url = outgoing.url.copy_merge_params(client.params)
        if client.cookies:
            _add_stored_cookies(outgoing, client.cookies)
        return outgoing, max_retries


def _add_stored_cookies(outgoing: httpx.Request, jar: httpx.Cookies) -> None:
    """The httpx client's cookies for this URL, after the Cookie header of the call's
    cookie parameters (httpx would leave them out of a request that has one)."""
    own = outgoing.headers.get("cookie")
    if own is None:
        jar.set_cookie_header(outgoing)
        return
    probe = httpx.Request(outgoing.method, outgoing.url)
    jar.set_cookie_header(probe)
    if stored := probe.headers.get("cookie"):
        outgoing.headers["cookie"] = f"{own}; {stored}"


_SHORTCUT_MAX_LENGTH = 8192
"""A longer path or query goes through httpx's whole-URL parse (and its URL length limit)."""


def _with_query(url: httpx.URL, query: str) -> httpx.URL:
    """`url` (which has no query) with `query`, a query string built by `encode_query`.

    The same URL as httpx.URL(f"{url}?{query}") without parsing the whole of it again (the
    parse is most of what building a request costs): encode_query's output holds only
    unreserved characters, percent escapes, "=" and "&", which httpx keeps as they are.
    """
    joined = httpx.URL.__new__(httpx.URL)
    joined._uri_reference = url._uri_reference._replace(query=query)
    return joined


def _url_shortcut_works() -> bool:
    """Whether `_with_query` gives what httpx's parse gives, with the httpx installed (it
    relies on a private attribute of httpx.URL); if not, every URL is parsed whole."""
    try:
        base = httpx.URL("https://h.test/a%20b")
        joined = _with_query(base, "q=%26x&r=-._~")
        expected = httpx.URL("https://h.test/a%20b?q=%26x&r=-._~")
        return bool(
            joined._uri_reference == expected._uri_reference and joined == expected
        )
    except Exception:
        return False


_URL_SHORTCUT = _url_shortcut_works()


def next_retry_delay(
    request: httpx.Request,
    attempt: int,
    max_retries: int,
    random: Callable[[], float],
    *,
    response: httpx.Response | None = None,
    exc: Exception | None = None,
    idempotent: bool | None = None,
) -> float | None:
    """Seconds to wait before retrying attempt `attempt` (0-based), or None to give up;
    `idempotent=True` for a request with an idempotency key (see `should_retry`)."""
    if attempt >= max_retries:
        return None
    status = None if response is None else response.status_code
    if not should_retry(request.method, status, exc, idempotent=idempotent):
        return None
    return retry_delay(attempt, None if response is None else response.headers, random)


def decode_result(
    result: ResultKind[T], response: httpx.Response, strict: bool = True
) -> T:
    """The declared result of a 2xx response, or ResponseValidationError (with
    `strict=False`, only for a body that is not JSON: see `_decoding`)."""
    try:
        return result.decode(response, strict)
    except ValidationError as exc:
        raise _validation_error(result, response, response.text, exc) from exc


def _validation_error(
    result: ResultKind[Any], response: httpx.Response, body: str, exc: ValidationError
) -> ResponseValidationError:
    return ResponseValidationError(
        status_code=response.status_code,
        headers=response.headers,
        body=body,
        expected=result.describe(),
        summary=summarize(exc),
    )


def status_error(endpoint: Endpoint[Any], response: httpx.Response) -> ApiError:
    """The error for a non-2xx response (its body already read)."""
    status = response.status_code
    errors = endpoint.errors
    found = (
        errors.get(status) or errors.get(f"{status // 100}XX") or errors.get("default")
    )
    error_class, body_type = found or (ApiError, None)
    body = decode_error_body(response.content, lambda: response.text, body_type)
    return error_class(
        status_code=response.status_code, headers=response.headers, body=body
    )


def connection_error(exc: httpx.RequestError) -> ApiConnectionError:
    """ApiTimeoutError or ApiConnectionError for an httpx failure, naming method and URL
    (without query) but keeping no headers."""
    try:
        method, url = exc.request.method, exc.request.url.copy_with(query=None)
    except RuntimeError:  # an httpx error raised without its request
        return ApiConnectionError(f"{type(exc).__name__}: {exc}")
    message = f"{type(exc).__name__} on {method} {url}: {exc}".rstrip(": ")
    if isinstance(exc, httpx.TimeoutException):
        return ApiTimeoutError(message, request=httpx.Request(method, url))
    return ApiConnectionError(message)


def iter_checked_items(
    result: ResultKind[T],
    lines: Iterable[str],
    response: httpx.Response,
    strict: bool = True,
) -> Iterator[T]:
    """Streamed items; a bad item raises ResponseValidationError, a broken stream
    ApiConnectionError."""
    recent: deque[str] = deque(maxlen=STREAM_EXCERPT_LINES)

    def remembered() -> Iterator[str]:
        for line in lines:
            recent.append(line)
            yield line

    try:
        yield from result.items(remembered(), strict)
    except ValidationError as exc:
        raise _validation_error(result, response, "\n".join(recent), exc) from exc
    except httpx.RequestError as exc:
        raise connection_error(exc) from exc


async def aiter_checked_items(
    result: ResultKind[T],
    lines: AsyncIterable[str],
    response: httpx.Response,
    strict: bool = True,
) -> AsyncIterator[T]:
    """The asynchronous twin of `iter_checked_items`."""
    recent: deque[str] = deque(maxlen=STREAM_EXCERPT_LINES)

    async def remembered() -> AsyncIterator[str]:
        async for line in lines:
            recent.append(line)
            yield line

    try:
        async for item in result.aitems(remembered(), strict):
            yield item
    except ValidationError as exc:
        raise _validation_error(result, response, "\n".join(recent), exc) from exc
    except httpx.RequestError as exc:
        raise connection_error(exc) from exc

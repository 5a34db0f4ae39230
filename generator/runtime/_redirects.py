"""The redirect policy: which responses are followed, and what the next request carries.

Every request is sent with httpx's own redirect following off (also on a caller's httpx
client that has it on), and redirects are followed here, at most MAX_REDIRECTS in a row:

- 301, 302 and 303 turn any method but GET and HEAD into a GET without a body (and without
  its Content-Type and Content-Length); 307 and 308 repeat the method and the body.
- While every hop stays on the origin of the first request (same scheme, host and port),
  the request keeps its credentials: headers, cookies, and the operation's credential query
  parameters (added again to the new URL when its Location drops them).
- From the first hop to another origin on, no credential is sent, even if a later hop
  comes back: no Authorization or Proxy-Authorization, no header of an apiKey scheme or of
  `secret_headers`, no Cookie header (the caller's httpx cookie jar still applies to the
  new URL, as it does in httpx), no query parameter named like an apiKey query scheme, and
  no auth of a caller's httpx client. An http -> https upgrade is another origin too.

A 3xx without a Location header is not a redirect: it is returned (and raised as an
ApiError, not being 2xx).
"""

from __future__ import annotations

import logging

import httpx

from ._constants import MAX_REDIRECTS
from ._credentials import Credentials, Plan, encode_pairs, with_query
from ._errors import TooManyRedirectsError

__all__ = [
    "REDIRECT_STATUSES",
    "is_redirect",
    "log_redirect",
    "redirect_request",
    "too_many_redirects",
]

logger = logging.getLogger(__package__ or __name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_DEFAULT_PORTS = {"http": 80, "https": 443}

_BODY_HEADERS = ("content-length", "content-type", "transfer-encoding")


def is_redirect(response: httpx.Response) -> bool:
    """Whether `response` is a redirect to follow: a redirect status with a Location."""
    return response.status_code in REDIRECT_STATUSES and "location" in response.headers


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme))


def _target(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    """The absolute URL of the Location header (relative ones resolved as RFC 3986 says)."""
    try:
        url = httpx.URL(response.headers["location"])
    except httpx.InvalidURL as exc:
        raise httpx.RemoteProtocolError(
            f"invalid Location in a {response.status_code} response: {exc}",
            request=request,
        ) from None
    return request.url.join(url) if url.is_relative_url else url


def redirect_request(
    request: httpx.Request,
    response: httpx.Response,
    *,
    trusted: bool,
    credentials: Credentials,
    plan: Plan | None,
    cookies: httpx.Cookies,
) -> tuple[httpx.Request, bool]:
    """The request that follows the redirect `response` to `request`, and whether it may
    still carry credentials (`trusted`: no hop has left the first request's origin).

    `credentials` names what to strip, `plan` the query credentials to keep on the same
    origin, and `cookies` is the httpx client's cookie jar.
    """
    url = _target(request, response)
    method = request.method
    keep_body = response.status_code in (307, 308) or method in ("GET", "HEAD")
    if not keep_body:
        method = "GET"
    trusted = trusted and _origin(url) == _origin(request.url)
    headers = httpx.Headers(request.headers)
    if not keep_body:
        for name in _BODY_HEADERS:
            headers.pop(name, None)
    if trusted:
        if plan is not None and plan.query:
            params = url.params
            missing = [(n, v) for n, v in plan.query if n not in params]
            if missing:
                url = with_query(url, encode_pairs(missing))
    else:
        for name in credentials.strip_headers:
            headers.pop(name, None)
        if credentials.strip_query and url.query:
            params = url.params
            if any(name in params for name in credentials.strip_query):
                url = url.copy_with(
                    params=[
                        (name, value)
                        for name, value in params.multi_items()
                        if name not in credentials.strip_query
                    ]
                )
    headers["host"] = url.netloc.decode("ascii")
    follow = httpx.Request(
        method,
        url,
        headers=headers,
        stream=request.stream if keep_body else None,
        extensions=request.extensions,
    )
    if not trusted and cookies:
        cookies.set_cookie_header(follow)
    return follow, trusted


def log_redirect(request: httpx.Request, response: httpx.Response) -> None:
    """One DEBUG line per redirect: method and path, status, where to (no query)."""
    if logger.isEnabledFor(logging.DEBUG):
        location = response.headers.get("location", "").split("?", 1)[0]
        logger.debug(
            "%s %s -> %d, redirected to %s",
            request.method,
            request.url.path,
            response.status_code,
            location,
        )


def too_many_redirects(
    request: httpx.Request, response: httpx.Response
) -> TooManyRedirectsError:
    """The error for a redirect past MAX_REDIRECTS (its query left out)."""
    location = response.headers.get("location", "")
    try:
        shown = str(_target(request, response).copy_with(query=None))
    except httpx.RemoteProtocolError:
        shown = location.split("?", 1)[0]
    return TooManyRedirectsError(
        status_code=response.status_code,
        headers=response.headers,
        location=shown,
        limit=MAX_REDIRECTS,
    )

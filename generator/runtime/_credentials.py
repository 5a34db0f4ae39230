"""The engine's side of a client's credentials: per-operation plans and OAuth2 tokens.

`Credentials` is made with the engine (on the first request). For each distinct
`Endpoint.security` it chooses the schemes once (see `_auth`) and keeps a `Plan`: the
headers, query parameters and cookie those schemes put on a request, computed once, and the
`TokenSource`s of OAuth2 schemes whose tokens the runtime fetches. It also knows every
header, query parameter and cookie that carries a credential, which a redirect to another
origin must not carry (see `_redirects`).

httpx logs each request's full URL at INFO on the `httpx` logger; when a client has an
apiKey scheme in the query, a filter on that logger replaces those parameters' values with
REDACTED in its records.
"""

from __future__ import annotations

import base64
import logging
from _thread import allocate_lock
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

import httpx

from ._auth import (
    ApiKeyAuth,
    AuthScheme,
    HttpAuth,
    HttpBasicAuth,
    OAuth2Auth,
    Security,
    choose,
    missing_credentials_message,
)
from ._constants import TOKEN_REFRESH_MARGIN
from ._endpoint import Endpoint
from ._errors import MissingCredentialsError, TokenRequestError
from ._exchange import _SHORTCUT_MAX_LENGTH, _URL_SHORTCUT, _with_query

__all__ = ["Credentials", "Plan", "TokenSource", "encode_pairs", "with_query"]

logger = logging.getLogger(__package__ or __name__)

REDACTED = "REDACTED"


def encode_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    """`name=value&...`, each percent-encoded but for RFC 3986 unreserved characters."""
    return "&".join(f"{quote(n, safe='')}={quote(v, safe='')}" for n, v in pairs)


def with_query(url: httpx.URL, query: str) -> httpx.URL:
    """`url` with `query` (percent-encoded by `encode_pairs`) appended to its own query,
    without parsing the whole URL again when `_exchange`'s shortcut works."""
    existing = url.query.decode("ascii")
    joined = f"{existing}&{query}" if existing else query
    if _URL_SHORTCUT and len(joined) <= _SHORTCUT_MAX_LENGTH:
        return _with_query(url, joined)
    return url.copy_with(query=joined.encode("ascii"))


class TokenSource:
    """The access token of one OAuth2 clientCredentials scheme: asked for, kept, renewed.

    `lock` (threads) or `alock` (an asyncio.Lock, made by the async engine on first use)
    makes concurrent first calls fetch one token. `clock` readings are monotonic seconds.
    """

    __slots__ = (
        "_body",
        "_expires_at",
        "_headers",
        "_secrets",
        "_token",
        "alock",
        "lock",
        "scheme",
        "token_url",
    )

    def __init__(self, scheme: OAuth2Auth) -> None:
        client_id = scheme.client_id.value or ""
        client_secret = scheme.client_secret.value or ""
        self.scheme = scheme
        self.token_url = scheme.token_url or ""
        self.lock = allocate_lock()
        self.alock: Any = None
        self._token: str | None = None
        self._expires_at: float | None = None
        form = [("grant_type", "client_credentials")]
        if scheme.scopes:
            form.append(("scope", " ".join(scheme.scopes)))
        self._headers = {
            "accept": "application/json",
            "content-type": "application/x-www-form-urlencoded",
        }
        if scheme.client_auth == "body":
            form += [("client_id", client_id), ("client_secret", client_secret)]
        else:  # RFC 6749 2.3.1: each form-encoded, then "id:secret" in base64
            pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
            self._headers["authorization"] = "Basic " + _b64(pair)
        self._body = urlencode(form).encode("ascii")
        self._secrets = tuple(
            {client_secret, quote(client_secret, safe=""), quote_plus(client_secret)}
            - {""}
        )

    def __repr__(self) -> str:
        return f"TokenSource({self.scheme.name!r}, token_url={self.token_url!r})"

    def current(self, now: float) -> str | None:
        """The kept token while it is not due for renewal, else None."""
        token = self._token
        if token is not None and (self._expires_at is None or now < self._expires_at):
            return token
        return None

    def invalidate(self, token: str) -> None:
        """Forget `token` (refused with a 401), unless another was fetched meanwhile."""
        if self._token == token:
            self._token = None

    def request(self, extensions: Mapping[str, Any]) -> httpx.Request:
        """The token request, for `token_url` only (never redirected)."""
        return httpx.Request(
            "POST",
            self.token_url,
            headers=self._headers,
            content=self._body,
            extensions=extensions,
        )

    def store(self, response: httpx.Response, sent_at: float) -> str:
        """Keep the token of a token endpoint's answer (read) sent at `sent_at`; else
        raise TokenRequestError."""
        logger.debug(
            "POST %s -> %s (access token for %r)",
            response.request.url.path,
            response.status_code,
            self.scheme.name,
        )
        if not response.is_success:
            raise self._error(response, "the token endpoint refused")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise self._error(response, "the answer holds no access_token")
        lifetime = _seconds(answer.get("expires_in"))
        self._expires_at = (
            None
            if lifetime is None
            else sent_at + lifetime - min(TOKEN_REFRESH_MARGIN, lifetime / 2)
        )
        self._token = token
        return token

    def _error(self, response: httpx.Response, reason: str) -> TokenRequestError:
        body = response.text
        for text in self._secrets:
            body = body.replace(text, REDACTED)
        return TokenRequestError(
            status_code=response.status_code,
            headers=response.headers,
            body=body,
            token_url=str(httpx.URL(self.token_url).copy_with(query=None)),
            reason=reason,
        )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _seconds(value: object) -> float | None:
    """`expires_in` as seconds (a number or numeric text), or None when absent or odd."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


class Plan:
    """What one chosen security alternative puts on a request: fixed `headers`, `query`
    (name, value) pairs and its encoded text, a `cookie` text, and the OAuth2 `tokens`
    whose current token goes in `Authorization` at each attempt."""

    __slots__ = ("cookie", "headers", "query", "query_text", "tokens")

    def __init__(
        self,
        headers: tuple[tuple[str, str], ...],
        query: tuple[tuple[str, str], ...],
        cookie: str,
        tokens: tuple[TokenSource, ...],
    ) -> None:
        self.headers = headers
        self.query = query
        self.query_text = encode_pairs(query)
        self.cookie = cookie
        self.tokens = tokens

    def __repr__(self) -> str:
        names = [name for name, _ in self.headers] + [name for name, _ in self.query]
        return f"Plan(carries={names!r}, cookie={bool(self.cookie)}, tokens={self.tokens!r})"

    def apply(
        self, request: httpx.Request, additional_headers: Mapping[str, str] | None
    ) -> tuple[TokenSource, ...]:
        """Put the fixed credentials on `request`; a per-call additional header of the same
        name wins. Returns the token sources still to apply (none when a per-call
        `Authorization` was given)."""
        headers = request.headers
        for name, value in self.headers:
            headers[name] = value
        if self.cookie:
            existing = headers.get("cookie")
            headers["cookie"] = (
                f"{existing}; {self.cookie}" if existing else self.cookie
            )
        if self.query_text:
            request.url = with_query(request.url, self.query_text)
        if additional_headers:
            headers.update(additional_headers)
            if any(name.lower() == "authorization" for name in additional_headers):
                return ()
        return self.tokens


class Credentials:
    """One client's schemes, ready to apply, and what must not leave the origin."""

    __slots__ = ("_plans", "_schemes", "_sources", "strip_headers", "strip_query")

    def __init__(
        self, schemes: Iterable[AuthScheme], secret_header_names: Iterable[str]
    ) -> None:
        self._schemes = {scheme.name: scheme for scheme in schemes}
        self._sources = {
            scheme.name: TokenSource(scheme)
            for scheme in self._schemes.values()
            if isinstance(scheme, OAuth2Auth) and scheme.fetches_tokens()
        }
        self._plans: dict[Security, Plan | None] = {}
        headers = {name.lower() for name in secret_header_names}
        headers |= {"authorization", "proxy-authorization", "cookie"}
        query: set[str] = set()
        for scheme in self._schemes.values():
            if isinstance(scheme, ApiKeyAuth) and scheme.location == "header":
                headers.add(scheme.parameter.lower())
            elif isinstance(scheme, ApiKeyAuth) and scheme.location == "query":
                query.add(scheme.parameter)
        self.strip_headers = frozenset(headers)
        self.strip_query = frozenset(query)
        if query:
            _redact_in_httpx_logs(query)

    def __repr__(self) -> str:
        return f"Credentials(schemes={list(self._schemes.values())!r})"

    def plan(self, endpoint: Endpoint[Any], security: Security) -> Plan | None:
        """The plan for `security` (the endpoint's, not None): None when nothing is to be
        sent; MissingCredentialsError, naming the endpoint, when no alternative can be
        met."""
        try:
            return self._plans[security]
        except KeyError:
            pass
        chosen = choose(security, self._schemes)
        if chosen is None:
            raise MissingCredentialsError(
                missing_credentials_message(
                    endpoint.method, endpoint.path, security, self._schemes
                )
            )
        made = self._plan(chosen) if chosen else None
        self._plans[security] = made
        return made

    def _plan(self, schemes: tuple[AuthScheme, ...]) -> Plan:
        headers: list[tuple[str, str]] = []
        query: list[tuple[str, str]] = []
        cookies: list[str] = []
        tokens: list[TokenSource] = []
        for scheme in schemes:
            if isinstance(scheme, ApiKeyAuth):
                key = scheme.key.value or ""
                if scheme.location == "header":
                    headers.append((scheme.parameter, key))
                elif scheme.location == "query":
                    query.append((scheme.parameter, key))
                else:
                    cookies.append(f"{scheme.parameter}={key}")
            elif isinstance(scheme, HttpBasicAuth):
                pair = f"{scheme.username.value}:{scheme.password.value}"
                headers.append(("authorization", "Basic " + _b64(pair)))
            elif isinstance(scheme, HttpAuth):
                headers.append(
                    ("authorization", f"{scheme.scheme} {scheme.token.value}")
                )
            elif isinstance(scheme, OAuth2Auth):
                if scheme.token.value is not None:
                    headers.append(("authorization", f"Bearer {scheme.token.value}"))
                else:
                    tokens.append(self._sources[scheme.name])
            else:
                raise TypeError(
                    f"unknown security scheme type: {type(scheme).__name__}"
                )
        return Plan(tuple(headers), tuple(query), "; ".join(cookies), tuple(tokens))


class _RedactQueryCredentials(logging.Filter):
    """Replaces the values of credential query parameters in httpx's URL log arguments."""

    def __init__(self) -> None:
        super().__init__()
        self.names: frozenset[str] = frozenset()

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, httpx.URL) for a in args):
            record.args = tuple(
                self._redacted(arg) if isinstance(arg, httpx.URL) else arg
                for arg in args
            )
        return True

    def _redacted(self, url: httpx.URL) -> httpx.URL:
        if not url.query:
            return url
        params = url.params
        if not any(name in params for name in self.names):
            return url
        return url.copy_with(
            params=[
                (name, REDACTED if name in self.names else value)
                for name, value in params.multi_items()
            ]
        )


_HTTPX_LOG_FILTER = _RedactQueryCredentials()
_FILTER_LOCK = allocate_lock()


def _redact_in_httpx_logs(names: Iterable[str]) -> None:
    with _FILTER_LOCK:
        _HTTPX_LOG_FILTER.names = _HTTPX_LOG_FILTER.names | frozenset(names)
        logging.getLogger("httpx").addFilter(_HTTPX_LOG_FILTER)

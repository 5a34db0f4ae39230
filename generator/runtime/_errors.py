"""The exceptions an operation raises, and how each renders without leaking secrets.

    Exception
     ├── ApiError                      the server answered with a non-2xx status
     │    ├── <one subclass per status documented by the API, e.g. UnprocessableEntityError>
     │    ├── ResponseValidationError  a 2xx body that does not match the declared type
     │    ├── TooManyRedirectsError    more than MAX_REDIRECTS redirects in a row
     │    ├── TokenRequestError        the OAuth2 token endpoint refused or answered nonsense
     │    └── MissingCredentialsError  no credential the operation accepts was configured
     │                                 (raised before anything is sent; status_code None)
     └── ApiConnectionError            no response: refused, reset, DNS, TLS, protocol errors
          └── ApiTimeoutError          also an httpx.TimeoutException

Request headers are never stored on an error, so no str() or repr() can show a secret; URLs
in messages are shown without their query, where a query credential would be.
ApiTimeoutError lives in `_timeout_error`: it subclasses httpx.TimeoutException, and these
classes are defined when a client is imported, before httpx is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._constants import BODY_EXCERPT_LENGTH

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "MissingCredentialsError",
    "ResponseValidationError",
    "TokenRequestError",
    "TooManyRedirectsError",
    "excerpt",
]


def excerpt(body: Any, limit: int = BODY_EXCERPT_LENGTH) -> str:
    """Render a response body for a message, cut to `limit` characters."""
    if isinstance(body, str):
        text = body
    elif isinstance(body, bytes):
        text = body.decode("utf-8", errors="replace")
    elif _is_model(body):
        text = body.model_dump_json(by_alias=True)
    else:
        try:
            text = json.dumps(body, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(body)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def _is_model(value: object) -> bool:
    from pydantic import (
        BaseModel,
    )  # only when an error is rendered: a response was decoded

    return isinstance(value, BaseModel)


def _rebuild(cls: type[Exception], state: dict[str, Any]) -> Exception:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    return error


class ApiError(Exception):
    """The server answered with a status outside 2xx.

    `body` is the response body parsed into the type the API documents for that status when
    it fits, else the raw JSON value, else the text (None when empty).
    """

    status_code: int | None
    headers: Mapping[str, str]
    body: Any

    def __init__(
        self,
        *,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__()
        self.status_code = status_code
        self.headers = {} if headers is None else headers
        self.body = body

    def __str__(self) -> str:
        return f"status_code: {self.status_code}, body: {excerpt(self.body)}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self.__dict__)))


class ResponseValidationError(ApiError):
    """A 2xx response whose body does not match the type the API declares.

    `body` is the response text; `expected` names the declared type and `summary` lists the
    first validation errors. The pydantic `ValidationError` is kept as `__cause__`.
    """

    expected: str
    summary: str

    def __init__(
        self,
        *,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        expected: str = "",
        summary: str = "",
    ) -> None:
        super().__init__(status_code=status_code, headers=headers, body=body)
        self.expected = expected
        self.summary = summary

    def __str__(self) -> str:
        return (
            f"response body does not match {self.expected} "
            f"(status_code: {self.status_code}): {self.summary}; body: {excerpt(self.body)}"
        )


class TooManyRedirectsError(ApiError):
    """Redirects went on for more than MAX_REDIRECTS hops; the last redirect response is
    kept (`status_code`, `headers`, `body`) and `location` is where it pointed, without its
    query."""

    location: str

    def __init__(
        self,
        *,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        location: str = "",
        limit: int = 0,
    ) -> None:
        super().__init__(status_code=status_code, headers=headers, body=body)
        self.location = location
        self.limit = limit

    def __str__(self) -> str:
        return (
            f"more than {self.limit} redirects (the last, status_code "
            f"{self.status_code}, to {self.location})"
        )


class TokenRequestError(ApiError):
    """The OAuth2 token endpoint answered with a status outside 2xx, or with a body holding
    no `access_token`. `token_url` is where the token was asked for; `body` is the answer's
    text with any client secret in it blanked out."""

    token_url: str

    def __init__(
        self,
        *,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        token_url: str = "",
        reason: str = "",
    ) -> None:
        super().__init__(status_code=status_code, headers=headers, body=body)
        self.token_url = token_url
        self.reason = reason

    def __str__(self) -> str:
        return (
            f"OAuth2 token request to {self.token_url} failed: {self.reason} "
            f"(status_code: {self.status_code}, body: {excerpt(self.body)})"
        )


class MissingCredentialsError(ApiError):
    """The operation requires credentials that the client was not given (no constructor
    argument, no environment variable). Raised before anything is sent; the message names
    the security schemes that would do and how to supply each."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def __str__(self) -> str:
        return self.message


class ApiConnectionError(Exception):
    """No usable response arrived: the connection failed, broke or timed out."""

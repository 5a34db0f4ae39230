"""ApiTimeoutError: the one error that is also an httpx exception, so it imports httpx."""

from __future__ import annotations

import httpx

from ._errors import ApiConnectionError

__all__ = ["ApiTimeoutError"]


class ApiTimeoutError(ApiConnectionError, httpx.TimeoutException):
    """The request timed out (after any retries).

    Also an `httpx.TimeoutException`, so code that catches httpx's timeouts keeps working.
    Its `request` carries only the method and URL, never the headers.
    """

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        httpx.TimeoutException.__init__(self, message, request=request)

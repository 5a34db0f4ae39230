"""Pure retry policy: which failures are retried, and how long to wait before each retry."""

from __future__ import annotations

import datetime
import email.utils
import random as _random
import time
from collections.abc import Callable, Mapping

import httpx

from ._constants import (
    IDEMPOTENT_METHODS,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRY_JITTER,
    RETRY_STATUSES_ANY_METHOD,
    RETRY_STATUSES_IDEMPOTENT,
)

__all__ = ["retry_delay", "should_retry"]

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures before the request left: safe to retry whatever the method."""

_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
"""Failures after the request may have arrived: retried only for idempotent methods."""


def should_retry(
    method: str,
    status: int | None = None,
    exc: BaseException | None = None,
    *,
    idempotent: bool | None = None,
) -> bool:
    """Whether a failed attempt may be repeated.

    Idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) retry on 408, 409, 429, any 5xx,
    connection failures and timeouts. Other methods retry only when the server refused
    without acting (429, 503) or the request never left (connect errors and timeouts).
    `idempotent=True` retries any method as an idempotent one (a call carrying an
    idempotency key).

    >>> should_retry("GET", status=500), should_retry("POST", status=500)
    (True, False)
    """
    if idempotent is None:
        idempotent = method.upper() in IDEMPOTENT_METHODS
    if status is not None:
        if status in RETRY_STATUSES_ANY_METHOD:
            return True
        return idempotent and (
            status in RETRY_STATUSES_IDEMPOTENT or 500 <= status <= 599
        )
    if isinstance(exc, _NEVER_SENT):
        return True
    return idempotent and isinstance(exc, _MAYBE_SENT)


def _server_delay(headers: Mapping[str, str], now: Callable[[], float]) -> float | None:
    """The wait a response asks for (retry-after-ms, then Retry-After), if reasonable."""
    delay: float | None = None
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            delay = float(millis) / 1000
        except ValueError:
            delay = None
    if delay is None and (value := headers.get("retry-after")) is not None:
        try:
            delay = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:  # "-0000": UTC, by RFC 5322
                    when = when.replace(tzinfo=datetime.UTC)
                delay = when.timestamp() - now()
    if delay is not None and 0 < delay <= MAX_RETRY_AFTER:
        return delay
    return None


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    random: Callable[[], float] = _random.random,
    *,
    now: Callable[[], float] = time.time,
) -> float:
    """Seconds to wait before retry number `attempt` (0 for the first retry).

    A server's `retry-after-ms` or `Retry-After` (seconds or an HTTP date) wins when it asks
    for more than 0 and at most MAX_RETRY_AFTER seconds. Otherwise: exponential backoff
    from INITIAL_RETRY_DELAY, capped at MAX_RETRY_DELAY, scaled by a jitter factor in
    [1 - RETRY_JITTER, 1] drawn from `random` (a source of floats in [0, 1)).

    >>> retry_delay(0, random=lambda: 0.0), retry_delay(10, random=lambda: 0.0)
    (0.5, 8.0)
    """
    if headers:
        requested = _server_delay(headers, now)
        if requested is not None:
            return requested
    backoff = min(INITIAL_RETRY_DELAY * 2.0 ** min(attempt, 32), MAX_RETRY_DELAY)
    return backoff * (1.0 - RETRY_JITTER * random())

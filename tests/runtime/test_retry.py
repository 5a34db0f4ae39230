"""_retry: the pure retry policy."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from generator.runtime import retry_delay, should_retry
from generator.runtime._constants import INITIAL_RETRY_DELAY, MAX_RETRY_DELAY

IDEMPOTENT = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]
NOT_IDEMPOTENT = ["POST", "PATCH"]
REQUEST = httpx.Request("GET", "https://example.test/")


@pytest.mark.parametrize("method", IDEMPOTENT)
@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_idempotent_methods_retry_on_transient_statuses(method: str, status: int) -> None:
    assert should_retry(method, status=status)


@pytest.mark.parametrize("method", IDEMPOTENT + NOT_IDEMPOTENT)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_never_retried(method: str, status: int) -> None:
    assert not should_retry(method, status=status)


@pytest.mark.parametrize("method", NOT_IDEMPOTENT)
@pytest.mark.parametrize("status", [408, 409, 500, 502, 504])
def test_non_idempotent_methods_are_not_retried_when_the_server_may_have_acted(
    method: str, status: int
) -> None:
    assert not should_retry(method, status=status)


@pytest.mark.parametrize("method", NOT_IDEMPOTENT)
@pytest.mark.parametrize("status", [429, 503])
def test_non_idempotent_methods_retry_on_429_and_503(method: str, status: int) -> None:
    assert should_retry(method, status=status)


def test_method_names_are_case_insensitive() -> None:
    assert should_retry("get", status=500)


@pytest.mark.parametrize("method", IDEMPOTENT + NOT_IDEMPOTENT)
@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_failures_before_sending_are_retried_for_every_method(
    method: str, error: type[httpx.RequestError]
) -> None:
    assert should_retry(method, exc=error("boom", request=REQUEST))


@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.RemoteProtocolError]
)
def test_failures_after_sending_are_retried_only_for_idempotent_methods(
    error: type[httpx.RequestError],
) -> None:
    assert should_retry("GET", exc=error("boom", request=REQUEST))
    assert not should_retry("POST", exc=error("boom", request=REQUEST))


def test_unrelated_exceptions_are_not_retried() -> None:
    assert not should_retry("GET", exc=ValueError("bug"))
    assert not should_retry("GET", exc=httpx.UnsupportedProtocol("ftp", request=REQUEST))


def test_backoff_starts_at_half_a_second_and_doubles() -> None:
    delays = [retry_delay(attempt, random=lambda: 0.0) for attempt in range(5)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_backoff_is_capped() -> None:
    assert retry_delay(40, random=lambda: 0.0) == MAX_RETRY_DELAY


def test_jitter_scales_the_backoff_down_by_at_most_a_quarter() -> None:
    assert retry_delay(0, random=lambda: 0.999999) == pytest.approx(INITIAL_RETRY_DELAY * 0.75)


def test_retry_after_ms_wins() -> None:
    headers = httpx.Headers({"retry-after-ms": "1500", "retry-after": "7"})
    assert retry_delay(0, headers, random=lambda: 0.0) == 1.5


def test_retry_after_in_seconds_is_honoured() -> None:
    assert retry_delay(0, httpx.Headers({"Retry-After": "7"}), random=lambda: 0.0) == 7.0


def test_retry_after_as_http_date_is_honoured() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 12, usegmt=True)
    delay = retry_delay(
        0, httpx.Headers({"Retry-After": date}), random=lambda: 0.0, now=lambda: now
    )
    assert delay == 12.0


@pytest.mark.parametrize("value", ["0", "-1", "61", "3600", "soon", ""])
def test_unreasonable_retry_after_falls_back_to_backoff(value: str) -> None:
    assert retry_delay(1, httpx.Headers({"Retry-After": value}), random=lambda: 0.0) == 1.0


def test_retry_after_date_in_the_past_falls_back_to_backoff() -> None:
    date = email.utils.formatdate(1_000.0, usegmt=True)
    assert retry_delay(0, httpx.Headers({"Retry-After": date}), random=lambda: 0.0) == 0.5

"""Timeouts: a slow server raises ApiTimeoutError within the configured limit."""

from __future__ import annotations

import time

import httpx
import pytest

from generator.runtime import ApiTimeoutError, Request
from tests.runtime.conftest import MakeHttp
from tests.runtime.schema import CREATE_VOICE, GET_VOICE
from tests.support.loopback import LoopbackServer

V1 = Request(path_params={"voice_id": "v1"})


def test_slow_server_raises_api_timeout_error_within_the_limit(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(timeout=0.2, max_retries=0)
    loopback.respond(json={}, delay=2.0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError) as caught:
        http.call(GET_VOICE, V1)
    assert time.monotonic() - started < 1.0
    assert isinstance(caught.value, httpx.TimeoutException)
    assert "ReadTimeout on GET" in str(caught.value)


def test_get_timeouts_are_retried_before_raising(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(timeout=0.1, max_retries=1)
    loopback.respond(json={}, delay=2.0)
    loopback.respond(json={}, delay=2.0)
    with pytest.raises(ApiTimeoutError):
        http.call(GET_VOICE, V1)
    assert len(loopback.requests) == 2
    assert http.sleeps == [0.5]


def test_post_read_timeouts_are_not_retried(make_http: MakeHttp, loopback: LoopbackServer) -> None:
    http = make_http(timeout=0.1)
    loopback.respond(json={}, delay=2.0)
    with pytest.raises(ApiTimeoutError):
        http.call(CREATE_VOICE, Request(json={"name": "n"}))
    assert len(loopback.requests) == 1


def test_timeout_in_request_options_overrides_the_client_timeout(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(timeout=60.0, max_retries=0)
    loopback.respond(json={}, delay=2.0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError):
        http.call(GET_VOICE, V1, {"timeout_in_seconds": 0.1})
    assert time.monotonic() - started < 1.0

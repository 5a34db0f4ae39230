"""Retries against the loopback server: which failures repeat, how often, how long apart."""

from __future__ import annotations

import email.utils
import time

import pytest

from generator.runtime import ApiConnectionError, ApiError, Request
from tests.runtime.conftest import Driver, MakeHttp
from tests.runtime.schema import CREATE_VOICE, GET_VOICE, UPDATE_VOICE, Voice
from tests.support.loopback import LoopbackServer

VOICE = {"voice_id": "v1", "name": "Ann"}
V1 = Request(path_params={"voice_id": "v1"})
NEW = Request(json={"name": "Ann"})


def test_get_succeeds_after_two_503s(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(503)
    loopback.respond(503)
    loopback.respond(json=VOICE)
    assert http.call(GET_VOICE, V1) == Voice(**VOICE)
    assert len(loopback.requests) == 3
    assert http.sleeps == [0.5, 1.0]


def test_retries_stop_after_max_retries(http: Driver, loopback: LoopbackServer) -> None:
    for _ in range(4):
        loopback.respond(500, json={"detail": "down"})
    with pytest.raises(ApiError) as caught:
        http.call(GET_VOICE, V1)
    assert caught.value.status_code == 500
    assert len(loopback.requests) == 3


def test_max_retries_zero_sends_once(make_http: MakeHttp, loopback: LoopbackServer) -> None:
    http = make_http(max_retries=0)
    loopback.respond(503)
    with pytest.raises(ApiError) as caught:
        http.call(GET_VOICE, V1)
    assert caught.value.status_code == 503
    assert len(loopback.requests) == 1
    assert http.sleeps == []


def test_retry_after_seconds_is_honoured(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(429, headers=[("Retry-After", "3")])
    loopback.respond(json=VOICE)
    http.call(GET_VOICE, V1)
    assert http.sleeps == [3.0]


def test_retry_after_http_date_is_honoured(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(
        503, headers=[("Retry-After", email.utils.formatdate(time.time() + 30, usegmt=True))]
    )
    loopback.respond(json=VOICE)
    http.call(GET_VOICE, V1)
    [slept] = http.sleeps
    assert 28.0 < slept <= 30.0


def test_retry_after_ms_is_honoured(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(429, headers=[("retry-after-ms", "250")])
    loopback.respond(json=VOICE)
    http.call(GET_VOICE, V1)
    assert http.sleeps == [0.25]


def test_retry_after_over_a_minute_falls_back_to_backoff(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(429, headers=[("Retry-After", "3600")])
    loopback.respond(json=VOICE)
    http.call(GET_VOICE, V1)
    assert http.sleeps == [0.5]


def test_post_is_not_retried_on_500(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(500)
    with pytest.raises(ApiError):
        http.call(CREATE_VOICE, NEW)
    assert len(loopback.requests) == 1


@pytest.mark.parametrize("status", [503, 429])
def test_post_is_retried_on_503_and_429(
    http: Driver, loopback: LoopbackServer, status: int
) -> None:
    loopback.respond(status)
    loopback.respond(json=VOICE)
    assert http.call(CREATE_VOICE, NEW) == Voice(**VOICE)
    assert [sent.method for sent in loopback.requests] == ["POST", "POST"]
    assert loopback.requests[0].body == loopback.requests[1].body


def test_put_is_retried_on_500(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(500)
    loopback.respond(json=VOICE)
    http.call(UPDATE_VOICE, Request(path_params={"voice_id": "v1"}, json={"name": "Ann"}))
    assert len(loopback.requests) == 2


def test_client_errors_are_not_retried(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(400, json={"detail": "bad"})
    with pytest.raises(ApiError):
        http.call(GET_VOICE, V1)
    assert len(loopback.requests) == 1


def test_connection_refused_is_retried_then_raises_api_connection_error(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    closed = LoopbackServer().start()
    url = closed.url
    closed.stop()
    http = make_http(base_url=url)
    with pytest.raises(ApiConnectionError) as caught:
        http.call(CREATE_VOICE, NEW)
    assert "ConnectError on POST" in str(caught.value)
    assert http.sleeps == [0.5, 1.0]

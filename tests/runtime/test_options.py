"""Per-call RequestOptions: extra headers, query and body parameters, retries."""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime import ApiError, Endpoint, JsonResult, Request
from tests.runtime.conftest import Driver
from tests.runtime.schema import GET_VOICE
from tests.support.loopback import LoopbackServer

ECHO: Endpoint[Any] = Endpoint(method="POST", path="/v1/echo", result=JsonResult(Any))


def test_additional_headers_are_sent_and_override(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(
        ECHO, Request(headers=(("x-a", "1"),)), {"additional_headers": {"x-a": "2", "x-b": "3"}}
    )
    sent = loopback.requests[0]
    assert (sent.header("x-a"), sent.header("x-b")) == ("2", "3")


def test_additional_query_parameters_are_appended(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(
        ECHO,
        Request(query=(("a", "1"),)),
        {"additional_query_parameters": {"b": True, "c": ["x", "y"], "d": None}},
    )
    assert loopback.requests[0].query == [("a", "1"), ("b", "true"), ("c", "x"), ("c", "y")]


def test_additional_query_parameters_without_other_query(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(), {"additional_query_parameters": {"b": 1}})
    assert loopback.requests[0].target == "/v1/echo?b=1"


def test_additional_body_parameters_are_merged_into_the_json_object(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(json={"a": 1}), {"additional_body_parameters": {"b": 2}})
    assert loopback.requests[0].json() == {"a": 1, "b": 2}


def test_additional_body_parameters_become_the_body_when_there_is_none(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(), {"additional_body_parameters": {"b": 2}})
    assert loopback.requests[0].json() == {"b": 2}


def test_additional_body_parameters_join_form_fields(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(form=(("a", "1"),)), {"additional_body_parameters": {"b": "2"}})
    assert loopback.requests[0].body == b"a=1&b=2"


def test_max_retries_in_options_overrides_the_client(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(503)
    loopback.respond(503)
    with pytest.raises(ApiError):
        http.call(GET_VOICE, Request(path_params={"voice_id": "v"}), {"max_retries": 0})
    assert len(loopback.requests) == 1


def test_more_retries_in_options(http: Driver, loopback: LoopbackServer) -> None:
    for _ in range(3):
        loopback.respond(503)
    loopback.respond(json={"voice_id": "v", "name": "n"})
    http.call(GET_VOICE, Request(path_params={"voice_id": "v"}), {"max_retries": 3})
    assert len(loopback.requests) == 4
    assert http.sleeps == [0.5, 1.0, 2.0]

"""The exact request that goes out, checked on a real loopback server for sync and async."""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime import OMIT, Endpoint, JsonResult, Request
from tests.runtime.conftest import SECRET, Driver, MakeHttp
from tests.runtime.schema import DELETE_VOICE, GET_VOICE, Voice
from tests.support.loopback import LoopbackServer

VOICE = {"voice_id": "v1", "name": "Ann"}
ECHO: Endpoint[Any] = Endpoint(method="GET", path="/v1/echo", result=JsonResult(Any))


def test_method_and_path_are_sent(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json=VOICE)
    assert http.call(GET_VOICE, Request(path_params={"voice_id": "v1"})) == Voice(**VOICE)
    [sent] = loopback.requests
    assert (sent.method, sent.target) == ("GET", "/v1/voices/v1")


def test_path_params_are_percent_encoded(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json=VOICE)
    http.call(GET_VOICE, Request(path_params={"voice_id": "a/b c?#"}))
    assert loopback.requests[0].target == "/v1/voices/a%2Fb%20c%3F%23"


def test_missing_path_param_raises_type_error_before_sending(
    http: Driver, loopback: LoopbackServer
) -> None:
    with pytest.raises(TypeError, match="voice_id"):
        http.call(GET_VOICE, Request(path_params={"voice_id": None}))
    assert loopback.requests == []


def test_query_booleans_are_true_and_false(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(query=(("on", True), ("off", False))))
    assert loopback.requests[0].query == [("on", "true"), ("off", "false")]


def test_query_arrays_repeat_their_key(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(query=(("ids", ["a", "b"]), ("page", 2))))
    assert loopback.requests[0].query == [("ids", "a"), ("ids", "b"), ("page", "2")]


def test_query_none_and_omit_are_not_sent(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(query=(("a", None), ("b", OMIT), ("c", "x"))))
    assert loopback.requests[0].target == "/v1/echo?c=x"


def test_query_values_with_reserved_characters_round_trip(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(query=(("q", "a&b=c d+é/"),)))
    assert loopback.requests[0].query == [("q", "a&b=c d+é/")]


def test_header_params_are_sent_and_none_skipped(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(headers=(("x-trace", "t1"), ("x-flag", True), ("x-none", None))))
    sent = loopback.requests[0]
    assert (sent.header("x-trace"), sent.header("x-flag"), sent.header("x-none")) == (
        "t1",
        "true",
        None,
    )


def test_cookie_params_become_one_cookie_header(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(ECHO, Request(cookies=(("session", "s1"), ("theme", "dark"), ("gone", None))))
    assert loopback.requests[0].header("cookie") == "session=s1; theme=dark"


def test_secret_and_default_headers_are_sent(make_http: MakeHttp, loopback: LoopbackServer) -> None:
    http = make_http(headers={"x-sdk": "py/1"}, secret_headers={"xi-api-key": SECRET})
    loopback.respond(json={})
    http.call(ECHO)
    sent = loopback.requests[0]
    assert (sent.header("xi-api-key"), sent.header("x-sdk")) == (SECRET, "py/1")


def test_request_header_overrides_a_default_header(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(headers={"x-sdk": "py/1"})
    loopback.respond(json={})
    http.call(ECHO, Request(headers=(("x-sdk", "custom"),)))
    assert loopback.requests[0].header("x-sdk") == "custom"


@pytest.mark.parametrize("base", ["/prefix", "/prefix/"])
def test_base_url_with_a_path_prefix_keeps_the_prefix(
    make_http: MakeHttp, loopback: LoopbackServer, base: str
) -> None:
    http = make_http(base_url=loopback.url + base)
    loopback.respond(json={})
    http.call(ECHO)
    assert loopback.requests[0].target == "/prefix/v1/echo"


def test_endpoint_path_without_leading_slash_is_joined(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(base_url=loopback.url + "/api")
    loopback.respond(json={})
    http.call(Endpoint(method="GET", path="v1/echo", result=JsonResult(Any)))
    assert loopback.requests[0].target == "/api/v1/echo"


def test_delete_with_204_returns_none(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(204)
    assert http.call(DELETE_VOICE, Request(path_params={"voice_id": "v1"})) is None
    assert loopback.requests[0].method == "DELETE"


def test_redirects_are_followed(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(307, headers=[("location", "/v1/moved")])
    loopback.respond(json={"moved": True})
    assert http.call(ECHO) == {"moved": True}
    assert [sent.target for sent in loopback.requests] == ["/v1/echo", "/v1/moved"]

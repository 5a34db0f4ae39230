"""Cookie parameters go in a Cookie header of their own request: never into the httpx
client's cookie jar, never to a later call or another origin; cookies the jar holds for the
URL still go with them."""

from __future__ import annotations

from typing import Any

from generator.runtime import Endpoint, JsonResult, Request
from tests.runtime.conftest import MakeHttp
from tests.support.loopback import LoopbackServer

GET: Endpoint[Any] = Endpoint(method="GET", path="/v1/items", result=JsonResult(Any))


def test_cookie_parameters_are_not_sent_with_the_next_call(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    http = make_http()
    http.call(GET, Request(cookies=(("session_hint", "abc"),)))
    http.call(GET, Request())
    assert [sent.header("cookie") for sent in loopback.requests] == ["session_hint=abc", None]


def test_cookie_parameters_are_not_stored_in_the_clients_cookie_jar(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http = make_http()
    http.call(GET, Request(cookies=(("session_hint", "abc"),)))
    assert list(http.http._client.cookies.jar) == []


def test_cookies_the_client_stored_follow_the_cookie_parameters(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    loopback.respond(json={}, headers=[("set-cookie", "srv=1; Path=/")])
    loopback.respond(json={})
    http = make_http()
    http.call(GET, Request())
    http.call(GET, Request(cookies=(("lang", "en"),)))
    assert loopback.requests[1].header("cookie") == "lang=en; srv=1"


def test_cookie_parameters_are_not_sent_to_another_origin_on_a_redirect(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    other = LoopbackServer().start()
    try:
        loopback.respond(307, headers=[("location", f"{other.url}/v1/items")])
        other.respond(json={})
        make_http().call(GET, Request(cookies=(("lang", "en"),)))
        assert (loopback.requests[0].header("cookie"), other.requests[0].header("cookie")) == (
            "lang=en",
            None,
        )
    finally:
        other.stop()

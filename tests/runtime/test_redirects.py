"""Redirects, followed by the runtime: credentials stay on the origin they were meant for.

Two loopback servers on different ports are two origins: `loopback` (where the client points)
and `elsewhere`. Every behaviour is checked for sync and async, on the httpx client the runtime
creates and on a caller's httpx client that has redirect following switched on.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from generator.runtime import (
    MAX_REDIRECTS,
    ApiError,
    ApiKeyAuth,
    BytesResult,
    Endpoint,
    HttpAuth,
    HttpBasicAuth,
    JsonLinesResult,
    JsonResult,
    Request,
    TooManyRedirectsError,
)
from tests.runtime.conftest import SECRET, Driver
from tests.support.loopback import LoopbackServer, RecordedRequest, ScriptedResponse

MakeDriver = Callable[..., Driver]

HEADER_KEY = ApiKeyAuth("header_key", parameter="X-Api-Key", location="header", key=SECRET)
QUERY_KEY = ApiKeyAuth("query_key", parameter="api_key", location="query", key=SECRET)
COOKIE_KEY = ApiKeyAuth("cookie_key", parameter="session_key", location="cookie", key=SECRET)
BEARER = HttpAuth("bearer", token=SECRET)
BASIC = HttpBasicAuth("basic", username="user", password=SECRET)
ALL_SCHEMES = (HEADER_KEY, QUERY_KEY, COOKIE_KEY, BEARER, BASIC)


def secured(*schemes: str, method: str = "GET", result: Any = None) -> Endpoint[Any]:
    return Endpoint(
        method=method,
        path="/v1/items",
        result=JsonResult(Any) if result is None else result,
        security=(schemes,),
    )


GET_WITH_KEY = secured("header_key")


def carries_secret(sent: RecordedRequest) -> bool:
    """Whether the secret is anywhere in a request: target, header values (also in base64, as
    HTTP basic would carry it) or body."""
    encoded = base64.b64encode(f"user:{SECRET}".encode()).decode()
    texts = [sent.target, sent.body.decode("latin-1"), *(value for _, value in sent.headers)]
    return any(SECRET in text or encoded in text for text in texts)


@pytest.fixture
def elsewhere() -> Iterator[LoopbackServer]:
    """A second loopback server: another port, so another origin."""
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sync-owned", "sync-callers", "async-owned", "async-callers"])
def make(request: pytest.FixtureRequest, loopback: LoopbackServer) -> Iterator[MakeDriver]:
    """`make(**SyncHttp kwargs)`: a Driver aimed at `loopback`, sync or async, on the runtime's
    own httpx client or on a caller's that follows redirects itself."""
    mode, owner = request.param.split("-")
    made: list[tuple[Driver, Any]] = []

    def make(**kwargs: Any) -> Driver:
        kwargs.setdefault("base_url", loopback.url)
        caller: Any = None
        if owner == "callers":
            factory = httpx.Client if mode == "sync" else httpx.AsyncClient
            caller = factory(follow_redirects=True)
            kwargs["httpx_client"] = caller
        driver = Driver(mode, **kwargs)
        made.append((driver, caller))
        return driver

    yield make
    for driver, caller in made:
        if isinstance(caller, httpx.AsyncClient):
            driver._run(caller.aclose())
        elif caller is not None:
            caller.close()
        driver.close()


def redirect(server: LoopbackServer, location: str, status: int = 302) -> None:
    server.respond(status, headers=[("location", location)])


def test_a_cross_origin_redirect_carries_no_api_key_header(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(auth=[HEADER_KEY])
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={"ok": True})
    assert http.call(GET_WITH_KEY) == {"ok": True}
    assert loopback.requests[0].header("x-api-key") == SECRET
    [arrived] = elsewhere.requests
    assert arrived.path == "/landing"
    assert not carries_secret(arrived)


def test_a_cross_origin_redirect_carries_no_secret_header(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(secret_headers={"X-Legacy-Key": SECRET})
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={})
    http.call(Endpoint(method="GET", path="/v1/items", result=JsonResult(Any)))
    assert loopback.requests[0].header("x-legacy-key") == SECRET
    assert not carries_secret(elsewhere.requests[0])


def test_a_cross_origin_redirect_carries_no_credential_query_parameter(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(auth=[QUERY_KEY])
    redirect(loopback, elsewhere.url + "/landing?page=2")
    elsewhere.respond(json={})
    http.call(secured("query_key"))
    assert ("api_key", SECRET) in loopback.requests[0].query
    assert elsewhere.requests[0].query == [("page", "2")]


def test_a_credential_query_parameter_echoed_into_the_location_is_dropped(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(auth=[QUERY_KEY])
    redirect(loopback, f"{elsewhere.url}/landing?api_key={SECRET}&page=2")
    elsewhere.respond(json={})
    http.call(secured("query_key"))
    assert elsewhere.requests[0].query == [("page", "2")]


def test_a_cross_origin_redirect_carries_no_credential_cookie(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(auth=[COOKIE_KEY])
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={})
    http.call(secured("cookie_key"))
    assert loopback.requests[0].header("cookie") == f"session_key={SECRET}"
    assert elsewhere.requests[0].header("cookie") is None


@pytest.mark.parametrize("scheme", [BEARER, BASIC], ids=["bearer", "basic"])
def test_a_cross_origin_redirect_carries_no_authorization(
    make: MakeDriver,
    loopback: LoopbackServer,
    elsewhere: LoopbackServer,
    scheme: HttpAuth | HttpBasicAuth,
) -> None:
    http = make(auth=[scheme])
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={})
    http.call(secured(scheme.name))
    assert loopback.requests[0].header("authorization") is not None
    assert elsewhere.requests[0].header("authorization") is None


def test_a_cross_origin_redirect_of_a_request_with_every_credential_kind_carries_none(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(auth=ALL_SCHEMES[:4], secret_headers={"X-Legacy-Key": SECRET})
    redirect(loopback, elsewhere.url + "/landing", status=307)
    elsewhere.respond(json={})
    http.call(secured("header_key", "query_key", "cookie_key", "bearer"))
    assert carries_secret(loopback.requests[0])
    assert not carries_secret(elsewhere.requests[0])


def test_a_same_origin_redirect_keeps_every_credential(
    make: MakeDriver, loopback: LoopbackServer
) -> None:
    http = make(auth=ALL_SCHEMES[:4])
    redirect(loopback, "/v1/moved?page=2")
    loopback.respond(json={"moved": True})
    assert http.call(secured("header_key", "query_key", "cookie_key", "bearer")) == {"moved": True}
    _, moved = loopback.requests
    assert moved.path == "/v1/moved"
    assert moved.query == [("page", "2"), ("api_key", SECRET)]
    assert moved.header("x-api-key") == SECRET
    assert moved.header("cookie") == f"session_key={SECRET}"
    assert moved.header("authorization") == f"Bearer {SECRET}"


def test_a_same_origin_redirect_by_absolute_url_keeps_the_credentials(
    make: MakeDriver, loopback: LoopbackServer
) -> None:
    http = make(auth=[HEADER_KEY])
    redirect(loopback, loopback.url + "/v1/moved")
    loopback.respond(json={})
    http.call(GET_WITH_KEY)
    assert loopback.requests[1].header("x-api-key") == SECRET


def test_credentials_are_not_sent_again_when_a_later_hop_comes_back_to_the_origin(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(auth=[HEADER_KEY, QUERY_KEY])
    redirect(loopback, elsewhere.url + "/bounce")
    redirect(elsewhere, loopback.url + "/v1/back")
    loopback.respond(json={})
    http.call(secured("header_key", "query_key"))
    back = loopback.requests[1]
    assert back.path == "/v1/back"
    assert not carries_secret(back)


def test_non_credential_headers_follow_a_cross_origin_redirect(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer
) -> None:
    http = make(headers={"x-sdk": "py/1"}, auth=[HEADER_KEY])
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={})
    http.call(GET_WITH_KEY)
    arrived = elsewhere.requests[0]
    assert arrived.header("x-sdk") == "py/1"
    assert arrived.header("host") == elsewhere.url.removeprefix("http://")


@pytest.mark.parametrize("status", [301, 302, 303])
def test_301_302_and_303_turn_a_post_into_a_get_without_body(
    make: MakeDriver, loopback: LoopbackServer, status: int
) -> None:
    http = make()
    redirect(loopback, "/v1/result", status)
    loopback.respond(json={})
    http.call(secured(method="POST"), Request(json={"name": "x"}))
    posted, fetched = loopback.requests
    assert (posted.method, posted.json()) == ("POST", {"name": "x"})
    assert (fetched.method, fetched.body) == ("GET", b"")
    assert fetched.header("content-type") is None
    assert fetched.header("content-length") is None


@pytest.mark.parametrize("status", [307, 308])
def test_307_and_308_repeat_the_method_and_the_body(
    make: MakeDriver, loopback: LoopbackServer, status: int
) -> None:
    http = make()
    redirect(loopback, "/v1/again", status)
    loopback.respond(json={})
    http.call(secured(method="PUT"), Request(json={"name": "x"}))
    again = loopback.requests[1]
    assert (again.method, again.path, again.json()) == ("PUT", "/v1/again", {"name": "x"})
    assert again.header("content-type") == "application/json"


def test_a_head_request_stays_head_after_a_303(make: MakeDriver, loopback: LoopbackServer) -> None:
    http = make()
    redirect(loopback, "/v1/other", 303)
    loopback.respond(200)
    http.call(Endpoint(method="HEAD", path="/v1/items", result=BytesResult()))
    assert [sent.method for sent in loopback.requests] == ["HEAD", "HEAD"]


def test_more_than_max_redirects_raise_too_many_redirects(
    make: MakeDriver, loopback: LoopbackServer
) -> None:
    http = make(auth=[QUERY_KEY])
    loopback.answer_with(
        lambda _: ScriptedResponse(302, [("location", f"/v1/loop?api_key={SECRET}")])
    )
    with pytest.raises(TooManyRedirectsError) as caught:
        http.call(secured("query_key"))
    assert len(loopback.requests) == MAX_REDIRECTS + 1
    assert isinstance(caught.value, ApiError)
    assert caught.value.status_code == 302
    assert f"more than {MAX_REDIRECTS} redirects" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)


def test_a_redirect_status_without_location_is_an_api_error(
    make: MakeDriver, loopback: LoopbackServer
) -> None:
    http = make()
    loopback.respond(302, body="nowhere to go")
    with pytest.raises(ApiError) as caught:
        http.call(secured())
    assert caught.value.status_code == 302
    assert len(loopback.requests) == 1


CALLS = {
    "call": lambda http, endpoint: http.call(endpoint),
    "call_raw": lambda http, endpoint: http.call_raw(endpoint).data,
    "stream_bytes": lambda http, endpoint: b"".join(http.stream_bytes(endpoint)),
    "stream_items": lambda http, endpoint: list(http.stream_items(endpoint)),
}
RESULTS = {
    "call": JsonResult(Any),
    "call_raw": JsonResult(Any),
    "stream_bytes": BytesResult(),
    "stream_items": JsonLinesResult(Any),
}


@pytest.mark.parametrize("kind", list(CALLS))
def test_every_way_of_calling_follows_redirects_without_leaking(
    make: MakeDriver, loopback: LoopbackServer, elsewhere: LoopbackServer, kind: str
) -> None:
    http = make(auth=[HEADER_KEY])
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={"n": 1})
    result = CALLS[kind](http, secured("header_key", result=RESULTS[kind]))
    assert result in ({"n": 1}, b'{"n": 1}', [{"n": 1}])
    assert loopback.requests[0].header("x-api-key") == SECRET
    assert not carries_secret(elsewhere.requests[0])


@pytest.fixture(params=["sync", "async"])
def on_callers_client(
    request: pytest.FixtureRequest, loopback: LoopbackServer
) -> Iterator[Callable[..., Driver]]:
    """`on_callers_client(client_kwargs, **SyncHttp kwargs)`: a Driver on a caller's httpx
    client made with `client_kwargs` (and follow_redirects=True), sync or async."""
    made: list[tuple[Driver, Any]] = []

    def make(client_kwargs: dict[str, Any], **kwargs: Any) -> Driver:
        factory = httpx.Client if request.param == "sync" else httpx.AsyncClient
        caller = factory(follow_redirects=True, **client_kwargs)
        driver = Driver(request.param, base_url=loopback.url, httpx_client=caller, **kwargs)
        made.append((driver, caller))
        return driver

    yield make
    for driver, caller in made:
        if isinstance(caller, httpx.AsyncClient):
            driver._run(caller.aclose())
        else:
            caller.close()
        driver.close()


def test_a_callers_client_auth_is_not_sent_to_another_origin(
    on_callers_client: Callable[..., Driver],
    loopback: LoopbackServer,
    elsewhere: LoopbackServer,
) -> None:
    http = on_callers_client({"auth": ("user", SECRET)})
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={})
    http.call(secured())
    assert loopback.requests[0].header("authorization") is not None
    assert elsewhere.requests[0].header("authorization") is None


def test_a_callers_client_cookies_for_the_new_host_still_apply(
    on_callers_client: Callable[..., Driver],
    loopback: LoopbackServer,
    elsewhere: LoopbackServer,
) -> None:
    http = on_callers_client({"cookies": {"jar": "yes"}}, auth=[COOKIE_KEY])
    redirect(loopback, elsewhere.url + "/landing")
    elsewhere.respond(json={})
    http.call(secured("cookie_key"))
    assert elsewhere.requests[0].header("cookie") == "jar=yes"

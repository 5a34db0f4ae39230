"""OAuth2 clientCredentials: the runtime asks a (loopback) token endpoint for an access token,
keeps it, renews it before it expires and once on a 401; the client secret never shows."""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from generator.runtime import (
    ApiConnectionError,
    ApiError,
    BytesResult,
    Endpoint,
    JsonResult,
    OAuth2Auth,
    Request,
    SyncHttp,
    TokenRequestError,
)
from tests.runtime.conftest import Driver, MakeHttp
from tests.support.loopback import LoopbackServer, ScriptedResponse

CLIENT_ID = "client-0042"
CLIENT_SECRET = "cs-very-secret-9f8e7d6c"

ITEMS: Endpoint[Any] = Endpoint(
    method="GET", path="/v1/items", result=JsonResult(Any), security=(("oauth",),)
)


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def issuer() -> Iterator[LoopbackServer]:
    """The token endpoint: a loopback server of its own."""
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def scheme(issuer: LoopbackServer, **kwargs: Any) -> OAuth2Auth:
    kwargs.setdefault("scopes", ("items:read", "items:write"))
    return OAuth2Auth(
        "oauth",
        token_url=issuer.url + "/oauth/token",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        **kwargs,
    )


@pytest.fixture
def http(make_http: MakeHttp, issuer: LoopbackServer, clock: Clock) -> Driver:
    """A Driver whose `oauth` scheme fetches tokens from `issuer`, on the settable clock."""
    return make_http(auth=[scheme(issuer)], clock=clock)


def grant(issuer: LoopbackServer, token: str, expires_in: object = 3600) -> None:
    answer: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
    if expires_in is not None:
        answer["expires_in"] = expires_in
    issuer.respond(json=answer)


def bearers(api: LoopbackServer) -> list[str | None]:
    return [sent.header("authorization") for sent in api.requests]


def test_the_token_is_fetched_once_and_used_for_every_call(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    loopback.respond(json={})
    loopback.respond(json={})
    http.call(ITEMS)
    http.call(ITEMS)
    assert len(issuer.requests) == 1
    assert bearers(loopback) == ["Bearer tok-1", "Bearer tok-1"]


def test_the_token_request_posts_client_credentials_and_scopes_with_http_basic(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    loopback.respond(json={})
    http.call(ITEMS)
    [asked] = issuer.requests
    assert (asked.method, asked.path) == ("POST", "/oauth/token")
    assert asked.header("content-type") == "application/x-www-form-urlencoded"
    assert parse_qsl(asked.body.decode()) == [
        ("grant_type", "client_credentials"),
        ("scope", "items:read items:write"),
    ]
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert asked.header("authorization") == f"Basic {basic}"


def test_client_auth_body_sends_the_client_credentials_as_form_fields(
    make_http: MakeHttp, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    http = make_http(auth=[scheme(issuer, client_auth="body", scopes=())])
    grant(issuer, "tok-1")
    loopback.respond(json={})
    http.call(ITEMS)
    [asked] = issuer.requests
    assert asked.header("authorization") is None
    assert parse_qsl(asked.body.decode()) == [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ]


def test_token_requests_go_only_to_the_token_url(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    loopback.respond(json={})
    http.call(ITEMS)
    assert [sent.path for sent in issuer.requests] == ["/oauth/token"]
    assert [sent.path for sent in loopback.requests] == ["/v1/items"]


def test_the_token_is_renewed_shortly_before_it_expires(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer, clock: Clock
) -> None:
    grant(issuer, "tok-1", expires_in=300)
    grant(issuer, "tok-2", expires_in=300)
    for _ in range(3):
        loopback.respond(json={})
    http.call(ITEMS)
    clock.now += 269  # 31 s left: still kept
    http.call(ITEMS)
    clock.now += 2  # 29 s left: within TOKEN_REFRESH_MARGIN
    http.call(ITEMS)
    assert bearers(loopback) == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_a_short_lived_token_is_renewed_halfway_through_its_lifetime(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer, clock: Clock
) -> None:
    grant(issuer, "tok-1", expires_in="10")
    grant(issuer, "tok-2", expires_in="10")
    for _ in range(3):
        loopback.respond(json={})
    http.call(ITEMS)
    clock.now += 4.9
    http.call(ITEMS)
    clock.now += 0.2
    http.call(ITEMS)
    assert bearers(loopback) == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_a_token_without_expires_in_is_kept_until_a_401(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer, clock: Clock
) -> None:
    grant(issuer, "tok-1", expires_in=None)
    loopback.respond(json={})
    loopback.respond(json={})
    http.call(ITEMS)
    clock.now += 10**6
    http.call(ITEMS)
    assert bearers(loopback) == ["Bearer tok-1", "Bearer tok-1"]


def test_a_401_renews_the_token_and_repeats_the_request_once(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    grant(issuer, "tok-2")
    loopback.respond(401, json={"detail": "token revoked"})
    loopback.respond(json={"ok": True})
    assert http.call(ITEMS) == {"ok": True}
    assert len(issuer.requests) == 2
    assert bearers(loopback) == ["Bearer tok-1", "Bearer tok-2"]
    assert http.sleeps == []


def test_a_second_401_is_raised_without_another_renewal(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    grant(issuer, "tok-2")
    loopback.respond(401, json={"detail": "no"})
    loopback.respond(401, json={"detail": "still no"})
    with pytest.raises(ApiError) as caught:
        http.call(ITEMS)
    assert caught.value.status_code == 401
    assert len(issuer.requests) == 2
    assert len(loopback.requests) == 2


def test_a_post_refused_with_401_is_repeated_with_its_body(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    grant(issuer, "tok-2")
    loopback.respond(401)
    loopback.respond(json={})
    create = Endpoint(
        method="POST", path="/v1/items", result=JsonResult(Any), security=(("oauth",),)
    )
    http.call(create, Request(json={"name": "x"}))
    assert [sent.json() for sent in loopback.requests] == [{"name": "x"}, {"name": "x"}]


def test_the_renewed_token_is_kept_for_later_calls(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    grant(issuer, "tok-2")
    loopback.respond(401)
    loopback.respond(json={})
    loopback.respond(json={})
    http.call(ITEMS)
    http.call(ITEMS)
    assert bearers(loopback)[-1] == "Bearer tok-2"
    assert len(issuer.requests) == 2


def test_a_streamed_call_gets_the_token_too(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-1")
    loopback.respond(body=b"abc")
    stream = Endpoint(method="GET", path="/v1/file", result=BytesResult(), security=(("oauth",),))
    assert b"".join(http.stream_bytes(stream)) == b"abc"
    assert bearers(loopback) == ["Bearer tok-1"]


def test_a_per_call_authorization_header_is_sent_instead_of_a_token(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(ITEMS, options={"additional_headers": {"Authorization": "Bearer mine"}})
    assert bearers(loopback) == ["Bearer mine"]
    assert issuer.requests == []


def test_a_refused_token_request_raises_before_the_call_is_sent(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    issuer.respond(401, json={"error": "invalid_client"})
    with pytest.raises(TokenRequestError) as caught:
        http.call(ITEMS)
    assert caught.value.status_code == 401
    assert "invalid_client" in str(caught.value)
    assert str(caught.value).startswith(f"OAuth2 token request to {issuer.url}/oauth/token failed")
    assert loopback.requests == []


def test_a_token_answer_without_access_token_raises(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    issuer.respond(json={"token_type": "Bearer"})
    with pytest.raises(TokenRequestError, match="no access_token"):
        http.call(ITEMS)
    assert loopback.requests == []


def test_a_token_answer_that_is_not_json_raises(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    issuer.respond(body="access_token=abc")
    with pytest.raises(TokenRequestError, match="no access_token"):
        http.call(ITEMS)


def test_a_redirect_from_the_token_endpoint_is_not_followed(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    issuer.respond(302, headers=[("location", loopback.url + "/steal")])
    with pytest.raises(TokenRequestError) as caught:
        http.call(ITEMS)
    assert caught.value.status_code == 302
    assert loopback.requests == []


def test_an_unreachable_token_endpoint_is_a_connection_error(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    unreachable = OAuth2Auth(
        "oauth",
        token_url="http://127.0.0.1:9/oauth/token",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    http = make_http(auth=[unreachable])
    with pytest.raises(ApiConnectionError, match=re.escape("POST http://127.0.0.1:9/oauth/token")):
        http.call(ITEMS)
    assert loopback.requests == []


def test_the_client_secret_never_shows_in_a_token_error(
    http: Driver, issuer: LoopbackServer
) -> None:
    echoed = {
        "error": "invalid_client",
        "got": CLIENT_SECRET,
        "form": f"client_secret={CLIENT_SECRET}",
    }
    issuer.respond(400, body=json.dumps(echoed), headers=[("content-type", "application/json")])
    with pytest.raises(TokenRequestError) as caught:
        http.call(ITEMS)
    error = caught.value
    assert CLIENT_SECRET not in str(error)
    assert CLIENT_SECRET not in repr(error)
    assert CLIENT_SECRET not in repr(vars(error))


def test_the_client_secret_and_token_never_show_in_logs(
    http: Driver,
    loopback: LoopbackServer,
    issuer: LoopbackServer,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    grant(issuer, "tok-secret-1")
    grant(issuer, "tok-secret-2")
    loopback.respond(401)
    loopback.respond(json={})
    http.call(ITEMS)
    issuer.respond(500, body=CLIENT_SECRET)
    clock.now += 10**6
    with pytest.raises(TokenRequestError):
        http.call(ITEMS)
    messages = [record.getMessage() for record in caplog.records]
    assert any("access token for 'oauth'" in message for message in messages)
    for text in (CLIENT_SECRET, "tok-secret-1", "tok-secret-2"):
        assert text not in caplog.text


def test_no_repr_shows_the_client_secret_or_the_token(
    http: Driver, loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    grant(issuer, "tok-secret-1")
    loopback.respond(json={})
    http.call(ITEMS)
    engine = http.http._engine
    assert engine is not None
    shown = [http.http, engine._credentials, *engine._credentials._sources.values()]
    for part in shown:
        assert CLIENT_SECRET not in repr(part)
        assert "tok-secret-1" not in repr(part)


def test_concurrent_first_calls_fetch_one_token(
    loopback: LoopbackServer, issuer: LoopbackServer
) -> None:
    threads = 8
    grant(issuer, "tok-1")
    loopback.answer_with(
        lambda _: ScriptedResponse(200, [("content-type", "application/json")], b"{}")
    )
    http = SyncHttp(base_url=loopback.url, auth=[scheme(issuer)])
    start = threading.Barrier(threads)

    def first_call() -> None:
        start.wait()
        http.call(ITEMS, Request())

    workers = [threading.Thread(target=first_call) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    http.close()
    assert len(issuer.requests) == 1
    assert set(bearers(loopback)) == {"Bearer tok-1"}


def test_token_requests_go_through_the_callers_client_with_the_clients_timeout() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "tok-1", "expires_in": 60})
        return httpx.Response(200, json={})

    caller = httpx.Client(transport=httpx.MockTransport(handler))
    oauth = OAuth2Auth(
        "oauth",
        token_url="https://auth.example.test/oauth/token",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )
    http = SyncHttp(
        base_url="https://api.example.test", timeout=7.0, httpx_client=caller, auth=[oauth]
    )
    http.call(ITEMS, Request())
    token_request, call = seen
    assert str(token_request.url) == "https://auth.example.test/oauth/token"
    assert token_request.extensions["timeout"] == httpx.Timeout(7.0).as_dict()
    assert call.headers["authorization"] == "Bearer tok-1"

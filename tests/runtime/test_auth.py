"""Security schemes: where each puts its credential, which alternative an operation uses, and
the error when none can be met; for sync and async, on a real loopback server."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from generator.runtime import (
    ApiError,
    ApiKeyAuth,
    Endpoint,
    HttpAuth,
    HttpBasicAuth,
    JsonResult,
    MissingCredentialsError,
    OAuth2Auth,
    Request,
    Secret,
    SyncHttp,
    secret,
)
from tests.runtime.conftest import SECRET, MakeHttp
from tests.support.loopback import LoopbackServer

ENV = "RUNTIME_TEST_AUTH_KEY"

HEADER_KEY = ApiKeyAuth("header_key", parameter="X-Api-Key", location="header", key=SECRET)
QUERY_KEY = ApiKeyAuth("query_key", parameter="api_key", location="query", key=SECRET)
COOKIE_KEY = ApiKeyAuth("cookie_key", parameter="session_key", location="cookie", key=SECRET)
BASIC = HttpBasicAuth("basic", username="ann", password=SECRET)
BEARER = HttpAuth("bearer", token=SECRET)
UNSET_KEY = ApiKeyAuth(
    "unset_key",
    parameter="X-Other-Key",
    location="header",
    key=Secret(None, "other_key", "EXAMPLE_OTHER_KEY"),
)


def endpoint(security: tuple[tuple[str, ...], ...] | None) -> Endpoint[Any]:
    return Endpoint(method="GET", path="/v1/items", result=JsonResult(Any), security=security)


def sent_once(make_http: MakeHttp, loopback: LoopbackServer, security: Any, **kwargs: Any) -> Any:
    """The one request a call with `security` sends, the client made with `kwargs`."""
    http = make_http(**kwargs)
    loopback.respond(json={})
    http.call(endpoint(security), Request(query=(("page", 1),), cookies=(("theme", "dark"),)))
    [sent] = loopback.requests
    return sent


def test_an_api_key_header_is_sent_as_that_header(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, (("header_key",),), auth=[HEADER_KEY])
    assert sent.header("x-api-key") == SECRET


def test_an_api_key_in_the_query_is_added_after_the_operations_parameters(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, (("query_key",),), auth=[QUERY_KEY])
    assert sent.query == [("page", "1"), ("api_key", SECRET)]


def test_an_api_key_in_the_query_is_percent_encoded(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    key = ApiKeyAuth("query_key", parameter="api key", location="query", key="a&b=c d")
    sent = sent_once(make_http, loopback, (("query_key",),), auth=[key])
    assert sent.target == "/v1/items?page=1&api%20key=a%26b%3Dc%20d"


def test_an_api_key_cookie_joins_the_operations_cookies(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, (("cookie_key",),), auth=[COOKIE_KEY])
    assert sent.header("cookie") == f"theme=dark; session_key={SECRET}"


def test_http_basic_sends_the_base64_of_username_and_password(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, (("basic",),), auth=[BASIC])
    expected = base64.b64encode(f"ann:{SECRET}".encode()).decode()
    assert sent.header("authorization") == f"Basic {expected}"


def test_http_bearer_sends_the_token(make_http: MakeHttp, loopback: LoopbackServer) -> None:
    sent = sent_once(make_http, loopback, (("bearer",),), auth=[BEARER])
    assert sent.header("authorization") == f"Bearer {SECRET}"


def test_another_http_scheme_sends_its_name_and_the_token(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    scheme = HttpAuth("custom", token=SECRET, scheme="Token")
    sent = sent_once(make_http, loopback, (("custom",),), auth=[scheme])
    assert sent.header("authorization") == f"Token {SECRET}"


def test_a_lowercase_bearer_scheme_is_sent_capitalised(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    scheme = HttpAuth("bearer", token=SECRET, scheme="bearer")
    sent = sent_once(make_http, loopback, (("bearer",),), auth=[scheme])
    assert sent.header("authorization") == f"Bearer {SECRET}"


def test_an_oauth2_token_given_directly_is_sent_as_bearer(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    scheme = OAuth2Auth("oauth", token=SECRET, token_url="http://127.0.0.1:9/token")
    sent = sent_once(make_http, loopback, (("oauth",),), auth=[scheme])
    assert sent.header("authorization") == f"Bearer {SECRET}"


def test_schemes_required_together_are_all_sent(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(
        make_http, loopback, (("header_key", "query_key"),), auth=[HEADER_KEY, QUERY_KEY]
    )
    assert sent.header("x-api-key") == SECRET
    assert ("api_key", SECRET) in sent.query


def test_the_first_alternative_whose_credentials_are_set_is_used(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    security = (("unset_key",), ("query_key",), ("header_key",))
    sent = sent_once(make_http, loopback, security, auth=[UNSET_KEY, HEADER_KEY, QUERY_KEY])
    assert ("api_key", SECRET) in sent.query
    assert sent.header("x-api-key") is None
    assert sent.header("x-other-key") is None


def test_an_alternative_is_skipped_when_one_of_its_schemes_is_not_set(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    security = (("header_key", "unset_key"), ("bearer",))
    sent = sent_once(make_http, loopback, security, auth=[HEADER_KEY, UNSET_KEY, BEARER])
    assert sent.header("x-api-key") is None
    assert sent.header("authorization") == f"Bearer {SECRET}"


def test_optional_auth_sends_the_credential_when_it_is_set(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, ((), ("header_key",)), auth=[HEADER_KEY])
    assert sent.header("x-api-key") == SECRET


def test_optional_auth_sends_nothing_when_no_credential_is_set(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, (("unset_key",), ()), auth=[UNSET_KEY])
    assert sent.header("x-other-key") is None


def test_an_empty_requirement_sends_no_credential(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, (), auth=[HEADER_KEY])
    assert sent.header("x-api-key") is None


def test_no_declared_requirement_sends_no_scheme_credential(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(make_http, loopback, None, auth=[HEADER_KEY, QUERY_KEY, BEARER])
    assert sent.header("x-api-key") is None
    assert sent.header("authorization") is None
    assert sent.query == [("page", "1")]


def test_secret_headers_are_sent_whatever_the_requirement(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    sent = sent_once(
        make_http, loopback, (("header_key",),), auth=[HEADER_KEY], secret_headers={"X-Old": "k"}
    )
    assert (sent.header("x-old"), sent.header("x-api-key")) == ("k", SECRET)


def test_a_per_call_header_overrides_the_schemes_header(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(auth=[HEADER_KEY])
    loopback.respond(json={})
    http.call(
        endpoint((("header_key",),)), options={"additional_headers": {"X-Api-Key": "per-call"}}
    )
    assert loopback.requests[0].header("x-api-key") == "per-call"


def test_missing_credentials_raise_before_anything_is_sent(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(auth=[UNSET_KEY])
    with pytest.raises(MissingCredentialsError):
        http.call(endpoint((("unset_key",),)))
    assert loopback.requests == []


def test_missing_credentials_error_is_an_api_error_without_status(
    make_http: MakeHttp,
) -> None:
    http = make_http(auth=[UNSET_KEY])
    with pytest.raises(ApiError) as caught:
        http.call(endpoint((("unset_key",),)))
    assert caught.value.status_code is None


def test_missing_credentials_error_names_schemes_arguments_and_variables(
    make_http: MakeHttp,
) -> None:
    unset_basic = HttpBasicAuth(
        "basic", username=Secret(None, "username"), password=Secret(None, "password")
    )
    http = make_http(auth=[UNSET_KEY, unset_basic])
    with pytest.raises(MissingCredentialsError) as caught:
        http.call(endpoint((("unset_key",), ("basic", "nowhere"))))
    assert str(caught.value) == (
        "GET /v1/items needs credentials this client was not given: "
        "security scheme 'unset_key' (other_key= or environment variable EXAMPLE_OTHER_KEY); "
        "or security scheme 'basic' (username= and password=) together with "
        "security scheme 'nowhere' (not set up on this client)"
    )


def test_missing_oauth2_credentials_name_both_ways_to_supply_them(make_http: MakeHttp) -> None:
    scheme = OAuth2Auth(
        "oauth",
        token=Secret(None, "access_token"),
        token_url="https://auth.example.test/token",
        client_id=Secret(None, "client_id"),
        client_secret=Secret(None, "client_secret", "EXAMPLE_CLIENT_SECRET"),
    )
    http = make_http(auth=[scheme])
    with pytest.raises(MissingCredentialsError, match="oauth") as caught:
        http.call(endpoint((("oauth",),)))
    assert str(caught.value).endswith(
        "security scheme 'oauth' (access_token=, or client_id= and "
        "client_secret= or environment variable EXAMPLE_CLIENT_SECRET)"
    )


def test_secret_reads_the_environment_variable_when_no_value_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "from-env")
    assert secret(None, "api_key", env_var=ENV).value == "from-env"


def test_secret_prefers_the_given_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "from-env")
    assert secret("given", "api_key", env_var=ENV).value == "given"


def test_secret_counts_an_empty_environment_variable_as_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "")
    assert secret(None, "api_key", env_var=ENV).value is None


def test_an_environment_credential_is_read_at_construction(
    make_http: MakeHttp, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "at-construction")
    scheme = ApiKeyAuth(
        "key", parameter="X-Api-Key", location="header", key=secret(None, "api_key", env_var=ENV)
    )
    http = make_http(auth=[scheme])
    monkeypatch.setenv(ENV, "changed-later")
    loopback.respond(json={})
    http.call(endpoint((("key",),)))
    assert loopback.requests[0].header("x-api-key") == "at-construction"


def test_scheme_names_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        SyncHttp(base_url="https://x.test", auth=[HEADER_KEY, HEADER_KEY])


def test_an_api_key_location_must_be_header_query_or_cookie() -> None:
    with pytest.raises(ValueError, match="location"):
        ApiKeyAuth("k", parameter="k", location="body", key="v")  # type: ignore[arg-type]


def test_schemes_are_immutable() -> None:
    with pytest.raises(AttributeError):
        HEADER_KEY.key = Secret("other")  # type: ignore[misc]


@pytest.mark.parametrize(
    "shown",
    [
        Secret(SECRET, "api_key", "EXAMPLE_API_KEY"),
        HEADER_KEY,
        QUERY_KEY,
        COOKIE_KEY,
        BASIC,
        BEARER,
        OAuth2Auth("oauth", token=SECRET),
        OAuth2Auth("oauth", token_url="https://a.test/token", client_id="id", client_secret=SECRET),
    ],
    ids=repr,
)
def test_no_repr_shows_a_credential(shown: object) -> None:
    assert SECRET not in repr(shown)
    assert SECRET not in str(shown)


def test_a_scheme_repr_says_whether_it_is_configured() -> None:
    assert repr(HEADER_KEY) == (
        "ApiKeyAuth('header_key', parameter='X-Api-Key', location='header', configured)"
    )
    assert repr(UNSET_KEY).endswith("not configured)")


def test_the_engine_and_its_parts_show_no_credential(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(auth=[HEADER_KEY, QUERY_KEY, BASIC, BEARER], secret_headers={"X-Old": SECRET})
    loopback.respond(json={})
    http.call(endpoint((("header_key", "query_key"),)))
    engine = http.http._engine
    shown = [http.http, engine, engine._credentials, *engine._credentials._plans.values()]
    assert all(SECRET not in repr(part) for part in shown)


def test_no_log_record_shows_a_credential(
    make_http: MakeHttp, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    http = make_http(auth=[HEADER_KEY, QUERY_KEY, COOKIE_KEY, BASIC])
    loopback.respond(302, headers=[("location", "/v1/moved")])
    loopback.respond(503)
    loopback.respond(json={})
    http.call(endpoint((("header_key", "query_key", "cookie_key", "basic"),)))
    messages = [record.getMessage() for record in caplog.records]
    assert any("/v1/moved" in message for message in messages)
    assert all(SECRET not in message for message in messages)
    assert SECRET not in caplog.text


def test_httpx_request_log_lines_show_a_query_credential_redacted(
    make_http: MakeHttp, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    http = make_http(auth=[QUERY_KEY])
    loopback.respond(json={})
    http.call(endpoint((("query_key",),)), Request(query=(("page", 1),)))
    [line] = [record.getMessage() for record in caplog.records if record.name == "httpx"]
    assert "/v1/items?page=1&api_key=REDACTED" in line

"""Hooks at each attempt, logs without credentials, identification headers, idempotency keys
and deprecated parameters; sync and async on the loopback server."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.runtime import (
    ApiError,
    ApiKeyAuth,
    AsyncHttp,
    Endpoint,
    Hooks,
    HttpAuth,
    HttpBasicAuth,
    Identity,
    JsonResult,
    OAuth2Auth,
    Request,
    SyncClientBase,
    deprecated_parameter,
)
from tests.runtime.conftest import SECRET, MakeHttp
from tests.support.loopback import LoopbackServer

ROOT = Path(__file__).resolve().parents[2]
GET: Endpoint[Any] = Endpoint(method="GET", path="/v1/items", result=JsonResult(Any))
POST: Endpoint[Any] = Endpoint(
    method="POST",
    path="/v1/payments",
    result=JsonResult(Any),
    idempotency_header="Idempotency-Key",
)


def test_hooks_see_each_attempt_and_may_change_the_request(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    seen: list[Any] = []

    def before(request: httpx.Request, attempt: int) -> None:
        request.headers["x-attempt"] = str(attempt)
        seen.append(("before", attempt))

    def after(response: httpx.Response, attempt: int) -> None:
        seen.append(("after", attempt, response.status_code))

    def error(exc: Exception, request: httpx.Request, attempt: int) -> None:
        seen.append(("error", attempt, type(exc).__name__))

    http = make_http(hooks=Hooks(before_request=[before], after_response=[after], on_error=[error]))
    loopback.respond(503)
    loopback.respond(500)
    loopback.respond(json={"ok": True})
    assert http.call(GET) == {"ok": True}
    assert seen == [
        ("before", 0),
        ("after", 0, 503),
        ("error", 0, "ApiError"),
        ("before", 1),
        ("after", 1, 500),
        ("error", 1, "ApiError"),
        ("before", 2),
        ("after", 2, 200),
    ]
    assert [r.header("x-attempt") for r in loopback.requests] == ["0", "1", "2"]


def test_an_error_hook_sees_the_final_error_and_a_hook_may_replace_the_request(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    errors: list[Exception] = []

    def elsewhere(request: httpx.Request, attempt: int) -> httpx.Request:
        return httpx.Request("GET", str(request.url).replace("/items", "/other"))

    http = make_http(
        hooks=Hooks(before_request=[elsewhere], on_error=[lambda e, r, a: errors.append(e)])
    )
    loopback.respond(404, json={"detail": "no"})
    with pytest.raises(ApiError) as raised:
        http.call(GET)
    assert [r.path for r in loopback.requests] == ["/v1/other"]
    assert [type(e) for e in errors] == [type(raised.value)]


def test_async_hooks_may_be_coroutines(loopback: LoopbackServer) -> None:
    seen: list[str] = []

    async def before(request: httpx.Request, attempt: int) -> None:
        await asyncio.sleep(0)
        seen.append(f"before {attempt}")

    async def after(response: httpx.Response, attempt: int) -> None:
        seen.append(f"after {response.status_code}")

    async def main() -> None:
        async def no_sleep(delay: float) -> None:
            pass

        http = AsyncHttp(
            base_url=loopback.url,
            hooks=Hooks(before_request=[before], after_response=[after]),
            sleep=no_sleep,
        )
        loopback.respond(503)
        loopback.respond(json={})
        await http.call(GET, Request())
        await http.aclose()

    asyncio.run(main())
    assert seen == ["before 0", "after 503", "before 1", "after 200"]


def test_info_logs_method_url_status_duration_attempt(
    make_http: MakeHttp, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="generator.runtime.http")
    http = make_http()
    loopback.respond(503)
    loopback.respond(json={"ok": True})
    http.call(GET, Request(query=(("limit", 2),)))
    lines = [r.getMessage() for r in caplog.records if r.name == "generator.runtime.http"]
    assert [line.split(" in ")[0] for line in lines] == [
        f"GET {loopback.url}/v1/items?limit=2 -> 503",
        f"GET {loopback.url}/v1/items?limit=2 -> 200",
    ]
    assert lines[0].endswith("ms (attempt 1)") and lines[1].endswith("ms (attempt 2)")
    assert all(r.levelno == logging.INFO for r in caplog.records)


def test_no_log_record_holds_a_credential_of_any_kind(
    make_http: MakeHttp, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fetched = "fetched-token-9876543210"
    schemes = [
        ApiKeyAuth("header_key", parameter="X-Api-Key", location="header", key=SECRET + "h"),
        ApiKeyAuth("query_key", parameter="api_key", location="query", key=SECRET + "q"),
        ApiKeyAuth("cookie_key", parameter="session", location="cookie", key=SECRET + "c"),
        HttpBasicAuth("basic", username="ann", password=SECRET + "b"),
        HttpAuth("bearer", token=SECRET + "t"),
        OAuth2Auth("given", token=SECRET + "o"),
        OAuth2Auth(
            "fetch",
            token_url=loopback.url + "/oauth/token",
            client_id="id",
            client_secret=SECRET + "s",
        ),
    ]
    secrets = [SECRET + suffix for suffix in "hqcbtos"] + [fetched]
    http = make_http(auth=schemes, secret_headers={"x-key": SECRET + "x"})
    secrets.append(SECRET + "x")
    echo = {"echo": SECRET + "q", "access_token": fetched, "nested": [{"password": "pw12"}]}
    for security in (("header_key", "query_key", "cookie_key"), ("basic",), ("bearer",)):
        loopback.respond(json=echo)
        http.call(
            Endpoint(method="POST", path="/v1/x", result=JsonResult(Any), security=(security,)),
            Request(json={"password": "pw12", "note": SECRET + "h"}),
        )
    loopback.respond(json=echo)
    http.call(Endpoint(method="GET", path="/v1/x", result=JsonResult(Any), security=(("given",),)))
    loopback.respond(json={"access_token": fetched, "expires_in": 3600})
    loopback.respond(json=echo)
    http.call(Endpoint(method="GET", path="/v1/x", result=JsonResult(Any), security=(("fetch",),)))
    text = "\n".join(record.getMessage() for record in caplog.records) + caplog.text
    assert "response body" in text and "request body" in text and "api_key=REDACTED" in text
    for value in [*secrets, "pw12"]:
        assert value not in text


def test_logging_is_turned_on_by_the_clients_environment_variable(tmp_path: Path) -> None:
    script = (
        "import logging\n"
        "from generator.runtime import SyncClientBase\n"
        "SyncClientBase(base_url='https://x.test', log_env_var='EXAMPLE_LOG')\n"
        "logger = logging.getLogger('generator.runtime')\n"
        "print(logger.level, len(logger.handlers))\n"
    )
    env = {"EXAMPLE_LOG": "debug", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == [str(logging.DEBUG), "1"], done.stderr
    env["EXAMPLE_LOG"] = "off"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["0", "0"], done.stderr


def test_identification_headers_and_their_overrides(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    identity = Identity("example-client", "1.2.3", headers={"X-SDK-Name": "example-client"})
    http = make_http(identity=identity, headers={"X-SDK-Name": "renamed"})
    loopback.respond(json={})
    loopback.respond(json={})
    http.call(GET)
    http.call(GET, None, {"additional_headers": {"User-Agent": None, "X-SDK-Name": "call"}})
    first, second = loopback.requests
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    httpx_version = ".".join(httpx.__version__.split(".")[:2])
    assert (
        first.header("user-agent") == f"example-client/1.2.3 python/{python} httpx/{httpx_version}"
    )
    assert first.header("x-sdk-name") == "renamed"
    assert second.header("user-agent") is None
    assert second.header("x-sdk-name") == "call"


def test_a_client_may_remove_an_identification_header(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http(
        identity=Identity("c", "1", headers={"X-Lang": "Python"}),
        headers={"X-Lang": None, "User-Agent": None},
    )
    loopback.respond(json={})
    http.call(GET)
    [sent] = loopback.requests
    assert sent.header("x-lang") is None and sent.header("user-agent") is None


def test_an_idempotency_key_is_kept_across_retries_and_new_per_call(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http()
    for status in (500, 502):
        loopback.respond(status)
    loopback.respond(json={})
    loopback.respond(json={})
    http.call(POST, Request(json={"amount": 5}))
    http.call(POST, Request(json={"amount": 5}))
    keys = [r.header("idempotency-key") for r in loopback.requests]
    assert len(keys) == 4 and keys[0] == keys[1] == keys[2] != keys[3]
    assert all(key is not None and uuid.UUID(key).version == 4 for key in keys)


def test_an_idempotency_key_given_per_call_and_none_on_other_endpoints(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    http = make_http()
    loopback.respond(json={})
    loopback.respond(json={})
    loopback.respond(json={})
    loopback.respond(500)
    http.call(POST, Request(), {"idempotency_key": "order-17"})
    http.call(POST, Request(headers=(("Idempotency-Key", "mine"),)))
    http.call(Endpoint(method="POST", path="/v1/p", result=JsonResult(Any)), Request())
    with pytest.raises(ApiError):  # a POST without a key is not retried on 500
        http.call(Endpoint(method="POST", path="/v1/p", result=JsonResult(Any)), Request())
    keys = [r.header("idempotency-key") for r in loopback.requests]
    assert keys == ["order-17", "mine", None, None]


def test_deprecated_parameters_warn_at_the_callers_line() -> None:
    def generated_method(legacy: str | None = None) -> None:
        deprecated_parameter("legacy", legacy, "items.list", "use filter instead")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        generated_method()
        generated_method(legacy="x")
        line = sys._getframe().f_lineno - 1
    [warning] = caught
    assert warning.category is DeprecationWarning
    assert warning.filename == __file__ and warning.lineno == line
    assert str(warning.message) == (
        "the parameter 'legacy' of items.list is deprecated: use filter instead"
    )


def test_the_client_base_takes_the_new_options() -> None:
    client = SyncClientBase(
        base_url="https://x.test",
        hooks=Hooks(),
        identity=Identity("c", "1"),
        sensitive_fields=("ssn",),
    )
    assert repr(client) == "SyncClientBase(base_url='https://x.test')"

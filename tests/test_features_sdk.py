"""What a generated client does on every call, against the loopback server, sync and async:
request hooks at each attempt, logs without credentials (and the environment variable that
turns them on), identification headers from [tool.generator], idempotency keys, and warnings
for deprecated parameters and model fields."""

from __future__ import annotations

import asyncio
import logging
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

PACKAGE = "feat_sdk"
API_KEY = "sk-live-credential-0123456789"
ORDER = {"id": "o-1", "total": 5, "old_total": 4}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Orders", "version": "1"},
    "paths": {
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "tags": ["orders"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["amount"],
                                "properties": {
                                    "amount": {"type": "integer"},
                                    "password": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": json_response(ref("Order"))},
            }
        },
        "/orders/{order_id}": {
            "get": {
                "operationId": "getOrder",
                "tags": ["orders"],
                "parameters": [
                    {
                        "name": "order_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "legacy",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {"200": json_response(ref("Order"))},
            },
            "delete": {
                "operationId": "cancelOrder",
                "tags": ["orders"],
                "deprecated": True,
                "parameters": [
                    {
                        "name": "order_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"204": {"description": "Cancelled"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id", "total"],
                "properties": {
                    "id": {"type": "string"},
                    "total": {"type": "integer"},
                    "old_total": {"type": "integer", "deprecated": True},
                },
            }
        }
    },
}


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(
        request,
        tmp_path_factory.mktemp("sdk"),
        SPEC,
        PACKAGE,
        distribution="feat-sdk-dist",
        package_version="2.3.4",
        sdk_headers=(("X-SDK-Name", "{distribution}"), ("X-SDK-Version", "{version}")),
        log_env_var="FEAT_SDK_LOG",
        idempotency_header="Idempotency-Key",
    )


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url, api_key=API_KEY) as client:
        client._http._sleep = lambda delay: None
        yield client


def _run_async(generated: Generated, url: str, call: Any, **options: Any) -> Any:
    """`call(client)` awaited on an async client (retries not waiting)."""

    async def no_sleep(delay: float) -> None:
        return None

    async def run() -> Any:
        async with generated.module.AsyncTiny(base_url=url, api_key=API_KEY, **options) as client:
            client._http._sleep = no_sleep
            return await call(client)

    return asyncio.run(run())


# --- Hooks ---------------------------------------------------------------------------------------


def _recording_hooks(generated: Generated, seen: list[tuple[str, int, object]]) -> Any:
    return generated.module.Hooks(
        before_request=[lambda request, attempt: seen.append(("before", attempt, request.method))],
        after_response=[
            lambda response, attempt: seen.append(("after", attempt, response.status_code))
        ],
        on_error=[
            lambda error, request, attempt: seen.append(("error", attempt, type(error).__name__))
        ],
    )


def test_hooks_see_each_attempt_of_a_retried_call(
    generated: Generated, loopback: LoopbackServer
) -> None:
    seen: list[tuple[str, int, object]] = []
    loopback.respond(503, json={"detail": "busy"})
    loopback.respond(503, json={"detail": "busy"})
    loopback.respond(json=ORDER)
    hooks = _recording_hooks(generated, seen)
    with generated.module.Tiny(base_url=loopback.url, api_key=API_KEY, hooks=hooks) as client:
        client._http._sleep = lambda delay: None
        client.orders.get_order("o-1")
    assert seen == [
        ("before", 0, "GET"),
        ("after", 0, 503),
        ("error", 0, "ApiError"),
        ("before", 1, "GET"),
        ("after", 1, 503),
        ("error", 1, "ApiError"),
        ("before", 2, "GET"),
        ("after", 2, 200),
    ]


def test_async_hooks_see_each_attempt_of_a_retried_call(
    generated: Generated, loopback: LoopbackServer
) -> None:
    seen: list[tuple[str, int, object]] = []

    async def before(request: Any, attempt: int) -> None:  # a coroutine hook is awaited
        seen.append(("before", attempt, request.method))

    hooks = generated.module.Hooks(before_request=[before])
    loopback.respond(503, json={"detail": "busy"})
    loopback.respond(json=ORDER)
    _run_async(generated, loopback.url, lambda c: c.orders.get_order("o-1"), hooks=hooks)
    assert seen == [("before", 0, "GET"), ("before", 1, "GET")]


def test_a_before_request_hook_can_change_what_is_sent(
    generated: Generated, loopback: LoopbackServer
) -> None:
    def sign(request: Any, attempt: int) -> None:
        request.headers["X-Signed"] = f"attempt-{attempt}"

    loopback.respond(json=ORDER)
    hooks = generated.module.Hooks(before_request=[sign])
    with generated.module.Tiny(base_url=loopback.url, api_key=API_KEY, hooks=hooks) as client:
        client.orders.get_order("o-1")
    assert loopback.requests[0].header("X-Signed") == "attempt-0"


# --- Logs ----------------------------------------------------------------------------------------


def test_the_debug_log_of_a_call_holds_no_credential(
    client: Any, loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    loopback.respond(json=ORDER)
    with caplog.at_level(logging.DEBUG, logger=f"{PACKAGE}._runtime"):
        client.orders.create_order(amount=5, password="hunter2-password")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST " + loopback.url + "/orders -> 200" in text and "(attempt 1)" in text
    assert '"amount": 5' in text  # bodies at DEBUG
    assert API_KEY not in text and "hunter2-password" not in text


def test_the_configured_environment_variable_turns_logging_on(
    generated: Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = logging.getLogger(f"{PACKAGE}._runtime")
    monkeypatch.setattr(runtime, "handlers", [logging.NullHandler()])
    monkeypatch.setattr(runtime, "level", logging.NOTSET)
    generated.module.Tiny(base_url="http://127.0.0.1:9")
    assert runtime.level == logging.NOTSET
    monkeypatch.setenv("FEAT_SDK_LOG", "debug")
    generated.module.Tiny(base_url="http://127.0.0.1:9")
    assert runtime.level == logging.DEBUG


# --- Identification headers ----------------------------------------------------------------------

USER_AGENT = re.compile(r"^feat-sdk-dist/2\.3\.4 python/3\.\d+ httpx/\d+\.\d+$")


def test_every_request_carries_the_user_agent_and_the_configured_sdk_headers(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json=ORDER)
    client.orders.get_order("o-1")
    sent = loopback.requests[0]
    assert USER_AGENT.match(sent.header("User-Agent") or ""), sent.header("User-Agent")
    assert (sent.header("X-SDK-Name"), sent.header("X-SDK-Version")) == ("feat-sdk-dist", "2.3.4")


def test_the_async_client_sends_the_identification_headers(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(json=ORDER)
    _run_async(generated, loopback.url, lambda c: c.orders.get_order("o-1"))
    sent = loopback.requests[0]
    assert USER_AGENT.match(sent.header("User-Agent") or "")
    assert sent.header("X-SDK-Version") == "2.3.4"


def test_client_headers_override_or_remove_identification_headers(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(json=ORDER)
    headers = {"User-Agent": "my-app/1.0", "X-SDK-Name": None}
    with generated.module.Tiny(base_url=loopback.url, headers=headers) as client:
        client.orders.get_order("o-1")
    sent = loopback.requests[0]
    assert sent.header("User-Agent") == "my-app/1.0"
    assert sent.header("X-SDK-Name") is None and sent.header("X-SDK-Version") == "2.3.4"


def test_call_headers_override_or_remove_identification_headers_for_that_call(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json=ORDER)
    loopback.respond(json=ORDER)
    options = {"additional_headers": {"User-Agent": "one-call/2", "X-SDK-Version": None}}
    client.orders.get_order("o-1", request_options=options)
    client.orders.get_order("o-1")
    first, second = loopback.requests
    assert (first.header("User-Agent"), first.header("X-SDK-Version")) == ("one-call/2", None)
    assert second.header("X-SDK-Version") == "2.3.4"


# --- Idempotency keys ----------------------------------------------------------------------------


def _keys(server: LoopbackServer) -> list[str | None]:
    return [r.header("Idempotency-Key") for r in server.requests]


def test_an_idempotency_key_is_the_same_on_each_retry_of_a_call(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(500, json={"detail": "oops"})  # a POST with a key is retried on 500
    loopback.respond(json=ORDER)
    client.orders.create_order(amount=5)
    keys = _keys(loopback)
    assert len(keys) == 2 and keys[0] == keys[1]
    assert uuid.UUID(keys[0] or "").version == 4


def test_each_call_gets_a_new_idempotency_key(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json=ORDER)
    loopback.respond(json=ORDER)
    client.orders.create_order(amount=5)
    client.orders.create_order(amount=5)
    first, second = _keys(loopback)
    assert first and second and first != second


def test_an_idempotency_key_given_in_request_options_is_sent(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json=ORDER)
    client.orders.create_order(amount=5, request_options={"idempotency_key": "order-17"})
    assert _keys(loopback) == ["order-17"]


def test_a_get_gets_no_idempotency_key(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json=ORDER)
    client.orders.get_order("o-1")
    assert _keys(loopback) == [None]


def test_the_async_client_keeps_the_idempotency_key_across_retries(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(500, json={"detail": "oops"})
    loopback.respond(json=ORDER)
    loopback.respond(json=ORDER)

    async def twice(client: Any) -> None:
        await client.orders.create_order(amount=5)
        await client.orders.create_order(amount=5)

    _run_async(generated, loopback.url, twice)
    first, retried, other = _keys(loopback)
    assert first == retried and first != other


# --- Deprecations --------------------------------------------------------------------------------


def test_a_deprecated_parameter_warns_when_given(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json=ORDER)
    with pytest.warns(DeprecationWarning, match="'legacy'"):
        client.orders.get_order("o-1", legacy="x")


def test_a_deprecated_parameter_left_out_does_not_warn(
    client: Any, loopback: LoopbackServer, recwarn: pytest.WarningsRecorder
) -> None:
    loopback.respond(json=ORDER)
    client.orders.get_order("o-1")
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_reading_a_deprecated_model_field_warns(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json=ORDER)
    order = client.orders.get_order("o-1")
    with pytest.warns(DeprecationWarning):
        assert order.old_total == 4


def test_calling_a_deprecated_operation_warns_at_the_callers_line(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    with pytest.warns(DeprecationWarning, match="cancel_order is deprecated") as caught:
        client.orders.cancel_order("o-1")
    assert caught[0].filename == __file__
    assert len(loopback.requests) == 1


def test_awaiting_a_deprecated_async_operation_warns(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    with pytest.warns(DeprecationWarning, match="cancel_order is deprecated"):
        _run_async(generated, loopback.url, lambda c: c.orders.cancel_order("o-1"))
    assert len(loopback.requests) == 1


DEPRECATED = ("--enable-error-code", "deprecated")  # mypy reports deprecated uses as errors


def test_type_checkers_see_a_deprecated_operation(generated: Generated) -> None:
    usage = generated.out / "usage_deprecated.py"
    usage.write_text(
        f"from {PACKAGE} import Tiny\n\nTiny(base_url='http://x').orders.cancel_order('o')\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *DEPRECATED, usage.name],
        cwd=generated.out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "cancel_order is deprecated: cancel_order is deprecated by the API" in checked.stdout


def test_the_docstring_marks_a_deprecated_parameter(generated: Generated) -> None:
    doc = generated.module.Tiny(base_url="http://x").orders.get_order.__doc__
    legacy = doc.split("legacy : str | None", 1)[1].split("request_options", 1)[0]
    assert "Deprecated" in legacy


# --- Cost ----------------------------------------------------------------------------------------


def test_creating_a_client_with_hooks_and_headers_imports_no_more_runtime_modules(
    generated: Generated,
) -> None:
    probe = (
        "import sys\n"
        f"from {PACKAGE} import Tiny\n"
        f"from {PACKAGE}._runtime import Hooks\n"
        "before = set(sys.modules)\n"
        "Tiny(base_url='http://x', headers={'X-A': 'b'}, hooks=Hooks())\n"
        "print(sorted(set(sys.modules) - before))\n"
        f"print(sorted(m for m in sys.modules if m.startswith('{PACKAGE}._runtime.')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=generated.out, capture_output=True, text=True, check=True
    )
    created, runtime = run.stdout.splitlines()
    assert created == "[]"  # Identity comes with the modules importing the client brings
    assert runtime == str(
        [
            f"{PACKAGE}._runtime.{name}"
            for name in (
                "_client",
                "_constants",
                "_errors",
                "_hooks",
                "_http",
                "_response",
                "_seams",
                "_types",
            )
        ]
    )

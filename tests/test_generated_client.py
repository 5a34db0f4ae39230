"""The committed client (generated/elevenlabs_client) through its public surface, sync and async,
against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import pytest

from tests.support.generation import REPO
from tests.support.loopback import LoopbackServer

sys.path.insert(0, str(REPO / "generated"))

from elevenlabs_client import (
    ApiError,
    ApiTimeoutError,
    AsyncElevenLabs,
    ElevenLabs,
    ElevenLabsEnvironment,
    ResponseValidationError,
    UnprocessableEntityError,
)
from elevenlabs_client.models import ConversationSignedUrlResponseModel, HTTPValidationError

PATH = "/v1/convai/conversation/get-signed-url"
SIGNED = {"signed_url": "wss://example/signed"}

Call = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Call:
    """call(client_kwargs, raw=False, sleeps=None, **operation_kwargs): one get_signed_url on a fresh client."""

    def sync_call(
        client_kwargs: dict[str, Any],
        raw: bool = False,
        sleeps: list[float] | None = None,
        **kwargs: Any,
    ) -> Any:
        with ElevenLabs(**client_kwargs) as client:
            if sleeps is not None:
                client._http._sleep = sleeps.append
            group = client.conversational_ai.conversations
            return (group.with_raw_response if raw else group).get_signed_url(**kwargs)

    def async_call(
        client_kwargs: dict[str, Any],
        raw: bool = False,
        sleeps: list[float] | None = None,
        **kwargs: Any,
    ) -> Any:
        async def run() -> Any:
            async with AsyncElevenLabs(**client_kwargs) as client:
                if sleeps is not None:

                    async def record(delay: float) -> None:
                        sleeps.append(delay)

                    client._http._sleep = record
                group = client.conversational_ai.conversations
                return await (group.with_raw_response if raw else group).get_signed_url(**kwargs)

        return asyncio.run(run())

    return sync_call if request.param == "sync" else async_call


def _client(server: LoopbackServer, **extra: Any) -> dict[str, Any]:
    return {"api_key": "sk-secret", "base_url": server.url, **extra}


def test_returns_the_parsed_response_model(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(json=SIGNED)
    result = call(_client(loopback), agent_id="agent_1")
    assert isinstance(result, ConversationSignedUrlResponseModel)
    assert result.signed_url == "wss://example/signed"


def test_sends_only_the_parameters_given(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(json=SIGNED)
    call(_client(loopback), agent_id="agent_1", branch_id=None, environment=None)
    sent = loopback.requests[0]
    assert (sent.method, sent.path, sent.query) == ("GET", PATH, [("agent_id", "agent_1")])


def test_sends_every_parameter_with_booleans_as_true_false(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(json=SIGNED)
    loopback.respond(json=SIGNED)
    call(
        _client(loopback),
        agent_id="a&b=c",
        include_conversation_id=True,
        branch_id="br",
        environment="staging",
    )
    call(_client(loopback), agent_id="x", include_conversation_id=False)
    assert loopback.requests[0].query == [
        ("agent_id", "a&b=c"),
        ("include_conversation_id", "true"),
        ("branch_id", "br"),
        ("environment", "staging"),
    ]
    assert loopback.requests[1].query == [("agent_id", "x"), ("include_conversation_id", "false")]


def test_a_missing_required_parameter_fails_before_anything_is_sent(
    loopback: LoopbackServer, call: Call
) -> None:
    with pytest.raises(TypeError, match="agent_id"):
        call(_client(loopback))
    assert loopback.requests == []


def test_api_key_is_sent_as_the_xi_api_key_header(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(json=SIGNED)
    call(_client(loopback), agent_id="a")
    assert loopback.requests[0].header("xi-api-key") == "sk-secret"


def test_api_key_is_read_from_the_environment_when_the_client_is_created(
    loopback: LoopbackServer, call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", "from-env")  # set after the package was imported
    loopback.respond(json=SIGNED)
    call({"base_url": loopback.url}, agent_id="a")
    assert loopback.requests[0].header("xi-api-key") == "from-env"


def test_no_api_key_means_no_header(
    loopback: LoopbackServer, call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ELEVENLABS_API_KEY", raising=False)
    loopback.respond(json=SIGNED)
    call({"base_url": loopback.url}, agent_id="a")
    assert loopback.requests[0].header("xi-api-key") is None


def test_base_url_with_a_path_prefix_is_kept(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(json=SIGNED)
    call(_client(loopback, base_url=loopback.url + "/proxy/"), agent_id="a")
    assert loopback.requests[0].path == "/proxy" + PATH


def test_environments_are_the_spec_servers_in_order() -> None:
    assert [(e.name, e.value) for e in ElevenLabsEnvironment] == [
        ("PRODUCTION", "https://api.elevenlabs.io"),
        ("PRODUCTION_US", "https://api.us.elevenlabs.io"),
        ("PRODUCTION_EU", "https://api.eu.residency.elevenlabs.io"),
        ("PRODUCTION_INDIA", "https://api.in.residency.elevenlabs.io"),
    ]


@pytest.mark.parametrize("environment", list(ElevenLabsEnvironment))
def test_each_environment_sets_the_request_url(environment: ElevenLabsEnvironment) -> None:
    import httpx

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=SIGNED)

    with ElevenLabs(
        api_key="k",
        environment=environment,
        httpx_client=httpx.Client(transport=httpx.MockTransport(handler)),
    ) as client:
        client.conversational_ai.conversations.get_signed_url(agent_id="a")
    assert seen == [f"{environment.value}{PATH}?agent_id=a"]


def test_the_default_environment_is_production() -> None:
    assert ElevenLabs(api_key="k")._http.base_url.rstrip("/") == "https://api.elevenlabs.io"


def test_raw_response_carries_status_headers_and_data(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(json=SIGNED, headers=[("x-request-id", "r1")])
    raw = call(_client(loopback), raw=True, agent_id="a")
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "r1"
    assert raw.data == ConversationSignedUrlResponseModel(signed_url="wss://example/signed")


def test_422_raises_unprocessable_entity_with_a_parsed_body(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(
        422, json={"detail": [{"loc": ["query", "agent_id"], "msg": "bad", "type": "value_error"}]}
    )
    with pytest.raises(UnprocessableEntityError) as caught:
        call(_client(loopback), agent_id="a")
    assert caught.value.status_code == 422
    assert isinstance(caught.value.body, HTTPValidationError)
    assert caught.value.body.detail is not None and caught.value.body.detail[0].msg == "bad"


def test_422_with_an_unexpected_body_keeps_the_raw_json_or_text(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(422, json={"detail": "not a list"})
    loopback.respond(422, body="plain text", headers=[("content-type", "text/plain")])
    with pytest.raises(UnprocessableEntityError) as first:
        call(_client(loopback), agent_id="a")
    with pytest.raises(UnprocessableEntityError) as second:
        call(_client(loopback), agent_id="a")
    assert first.value.body == {"detail": "not a list"}
    assert second.value.body == "plain text"


def test_other_statuses_raise_api_error_with_status_headers_and_body(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(404, json={"detail": "gone"}, headers=[("x-trace", "t")])
    with pytest.raises(ApiError) as caught:
        call(_client(loopback), agent_id="a")
    assert type(caught.value) is ApiError
    assert (caught.value.status_code, caught.value.body) == (404, {"detail": "gone"})
    assert caught.value.headers["x-trace"] == "t"


def test_the_api_key_never_shows_in_repr_errors_or_logs(
    loopback: LoopbackServer, call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    loopback.respond(500, json={"detail": "boom"})
    with pytest.raises(ApiError) as caught:
        call(_client(loopback, max_retries=0), agent_id="a")
    assert "sk-secret" not in str(caught.value) + repr(caught.value)
    assert "sk-secret" not in repr(ElevenLabs(api_key="sk-secret")) + repr(
        AsyncElevenLabs(api_key="sk-secret")
    )
    assert "sk-secret" not in caplog.text
    assert caplog.records, "the runtime logs each request at DEBUG"


def test_503_twice_then_200_succeeds_after_three_requests(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(503)
    loopback.respond(503)
    loopback.respond(json=SIGNED)
    sleeps: list[float] = []
    result = call(_client(loopback), sleeps=sleeps, agent_id="a")
    assert result.signed_url == "wss://example/signed"
    assert len(loopback.requests) == 3
    assert len(sleeps) == 2 and 0 < sleeps[0] <= 0.5 and 0 < sleeps[1] <= 1.0


def test_max_retries_zero_gives_api_error_after_one_request(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(503)
    with pytest.raises(ApiError) as caught:
        call(_client(loopback, max_retries=0), agent_id="a")
    assert caught.value.status_code == 503
    assert len(loopback.requests) == 1


def test_retries_stop_after_max_retries(loopback: LoopbackServer, call: Call) -> None:
    for _ in range(3):
        loopback.respond(503)
    with pytest.raises(ApiError):
        call(_client(loopback), sleeps=[], agent_id="a")
    assert len(loopback.requests) == 3


def test_retry_after_seconds_is_honoured(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(429, headers=[("retry-after", "7")])
    loopback.respond(json=SIGNED)
    sleeps: list[float] = []
    call(_client(loopback), sleeps=sleeps, agent_id="a")
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(503, headers=[("retry-after", formatdate(time.time() + 30, usegmt=True))])
    loopback.respond(json=SIGNED)
    sleeps: list[float] = []
    call(_client(loopback), sleeps=sleeps, agent_id="a")
    assert len(sleeps) == 1 and 27 <= sleeps[0] <= 30


def test_retry_after_ms_is_honoured(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(503, headers=[("retry-after-ms", "1500")])
    loopback.respond(json=SIGNED)
    sleeps: list[float] = []
    call(_client(loopback), sleeps=sleeps, agent_id="a")
    assert sleeps == [1.5]


def test_request_options_override_retries_per_call(loopback: LoopbackServer, call: Call) -> None:
    loopback.respond(503)
    with pytest.raises(ApiError):
        call(_client(loopback), agent_id="a", request_options={"max_retries": 0})
    assert len(loopback.requests) == 1


def test_request_options_add_headers_and_query_parameters(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(json=SIGNED)
    call(
        _client(loopback),
        agent_id="a",
        request_options={
            "additional_headers": {"x-extra": "1"},
            "additional_query_parameters": {"debug": "yes"},
        },
    )
    sent = loopback.requests[0]
    assert sent.header("x-extra") == "1"
    assert sent.query == [("agent_id", "a"), ("debug", "yes")]


def test_a_slow_server_raises_a_timeout_within_the_limit(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(json=SIGNED, delay=3.0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError):
        call(_client(loopback, timeout=0.3, max_retries=0), agent_id="a")
    assert time.monotonic() - started < 2.0


def test_per_request_timeout_overrides_the_client_timeout(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(json=SIGNED, delay=3.0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError):
        call(
            _client(loopback, max_retries=0),
            agent_id="a",
            request_options={"timeout_in_seconds": 0.3},
        )
    assert time.monotonic() - started < 2.0


def test_malformed_json_raises_a_clear_error_with_status_and_excerpt(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(body='{"signed_url": ', headers=[("content-type", "application/json")])
    with pytest.raises(ResponseValidationError) as caught:
        call(_client(loopback), agent_id="a")
    assert caught.value.status_code == 200
    assert '{"signed_url": ' in str(caught.value)


def test_a_body_of_the_wrong_shape_raises_response_validation_error(
    loopback: LoopbackServer, call: Call
) -> None:
    loopback.respond(json={"unexpected": True})
    with pytest.raises(ResponseValidationError) as caught:
        call(_client(loopback), agent_id="a")
    assert "signed_url" in str(caught.value)


def test_the_package_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "elevenlabs_client"],
        cwd=REPO / "generated",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _modules_after_touching_get_signed_url(selection: str) -> str:
    """What `selection` (an expression over sys.modules) prints in a fresh process that imports
    the committed client, creates it and touches get_signed_url."""
    code = (
        "import sys\nfrom elevenlabs_client import ElevenLabs\n"
        "ElevenLabs(api_key='x').conversational_ai.conversations.get_signed_url\n"
        f"print({selection})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "generated")},
    )
    return result.stdout.strip()


def test_importing_the_client_does_not_import_models() -> None:
    loaded = "sorted(m for m in sys.modules if m.startswith('elevenlabs_client.models.'))"
    assert _modules_after_touching_get_signed_url(loaded) == "[]"


def test_importing_and_creating_the_client_imports_neither_httpx_pydantic_nor_asyncio() -> None:
    loaded = "sorted({'httpx', 'pydantic', 'asyncio'} & set(sys.modules))"
    assert _modules_after_touching_get_signed_url(loaded) == "[]"


def test_api_timeout_error_is_one_class_from_the_package_and_its_errors_module() -> None:
    import elevenlabs_client
    import elevenlabs_client.errors
    import httpx

    assert elevenlabs_client.errors.ApiTimeoutError is elevenlabs_client.ApiTimeoutError
    assert ApiTimeoutError is elevenlabs_client.ApiTimeoutError
    assert issubclass(ApiTimeoutError, httpx.TimeoutException)
    assert "ApiTimeoutError" in elevenlabs_client.__all__


def test_public_functions_have_docstrings_documenting_each_parameter() -> None:
    doc = ElevenLabs.__init__.__doc__ or ElevenLabs.__doc__ or ""
    assert "api_key" in doc
    from elevenlabs_client.resources.conversational_ai.conversations.client import (
        ConversationsClient,
    )

    method_doc = ConversationsClient.get_signed_url.__doc__ or ""
    for name in (
        "agent_id",
        "include_conversation_id",
        "branch_id",
        "environment",
        "request_options",
    ):
        assert f"{name} : " in method_doc
    assert "Get a signed url to start a conversation" in method_doc

"""Client bases as generated clients use them: secrets, env vars, repr, logging, lifecycle."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from generator.runtime import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AsyncClientBase,
    Request,
    RequestOptions,
    ResponseValidationError,
    SyncClientBase,
    secret_header,
)
from tests.runtime.conftest import SECRET
from tests.runtime.schema import GET_VOICE, Voice
from tests.support.loopback import LoopbackServer

VOICE = {"voice_id": "v1", "name": "Ann"}
ENV = "RUNTIME_TEST_API_KEY"


class Demo(SyncClientBase):
    """Shaped like a generated top-level client."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str,
        timeout: float | None = 60.0,
        max_retries: int = 2,
        httpx_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            secret_headers=secret_header("xi-api-key", api_key, env_var=ENV),
            timeout=timeout,
            max_retries=max_retries,
            httpx_client=httpx_client,
        )

    def get_voice(self, voice_id: str, request_options: RequestOptions | None = None) -> Voice:
        return self._http.call(
            GET_VOICE, Request(path_params={"voice_id": voice_id}), request_options
        )


class AsyncDemo(AsyncClientBase):
    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str,
        max_retries: int = 2,
        httpx_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            secret_headers=secret_header("xi-api-key", api_key, env_var=ENV),
            max_retries=max_retries,
            httpx_client=httpx_client,
        )

    async def get_voice(self, voice_id: str) -> Voice:
        return await self._http.call(GET_VOICE, Request(path_params={"voice_id": voice_id}))


def test_secret_header_prefers_the_given_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "from-env")
    assert secret_header("xi-api-key", "given", env_var=ENV) == {"xi-api-key": "given"}


def test_secret_header_is_empty_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert secret_header("xi-api-key", None, env_var=ENV) == {}


def test_api_key_from_env_var_is_read_at_construction(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "set-after-import")
    loopback.respond(json=VOICE)
    with Demo(base_url=loopback.url) as client:
        monkeypatch.setenv(ENV, "changed-after-construction")
        client.get_voice("v1")
    assert loopback.requests[0].header("xi-api-key") == "set-after-import"


def test_repr_shows_the_base_url_but_no_secret(loopback: LoopbackServer) -> None:
    with Demo(api_key=SECRET, base_url=loopback.url) as client:
        assert repr(client) == f"Demo(base_url={loopback.url!r})"
        assert SECRET not in repr(client._http)


def test_errors_never_show_the_secret(loopback: LoopbackServer) -> None:
    def failure(client: Demo, options: RequestOptions | None = None) -> Exception:
        with pytest.raises(Exception) as caught:
            client.get_voice("v1", options)
        return caught.value

    loopback.respond(401, json={"detail": "bad key"})
    loopback.respond(json={"voice_id": 1})
    loopback.respond(json=VOICE, delay=2.0)
    with Demo(api_key=SECRET, base_url=loopback.url, max_retries=0) as client:
        errors = [failure(client), failure(client), failure(client, {"timeout_in_seconds": 0.1})]
    with Demo(api_key=SECRET, base_url="http://127.0.0.1:9", max_retries=0) as refused:
        errors.append(failure(refused))
    assert [type(error) for error in errors] == [
        ApiError,
        ResponseValidationError,
        ApiTimeoutError,
        ApiConnectionError,
    ]
    for error in errors:
        assert SECRET not in str(error)
        assert SECRET not in repr(error)
        assert SECRET not in repr(vars(error))


def test_each_attempt_is_logged_once_with_method_url_status_attempt_but_no_secret(
    loopback: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    loopback.respond(503)
    loopback.respond(json=VOICE)
    with Demo(api_key=SECRET, base_url=loopback.url) as client:
        client._http._sleep = lambda delay: None
        client.get_voice("v1")
    attempts = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("generator.runtime") and "(attempt " in record.getMessage()
    ]
    url = f"{loopback.url}/v1/voices/v1"
    assert [line.split(" in ")[0] for line in attempts] == [
        f"GET {url} -> 503",
        f"GET {url} -> 200",
    ]
    assert attempts[0].endswith(" ms (attempt 1)") and attempts[1].endswith(" ms (attempt 2)")
    assert all(
        record.levelno == logging.INFO
        for record in caplog.records
        if "(attempt " in record.getMessage()
    )
    assert SECRET not in caplog.text


def test_close_closes_the_client_we_created(loopback: LoopbackServer) -> None:
    client = Demo(base_url=loopback.url)
    client.close()
    assert client._http._client.is_closed


def test_context_manager_closes_on_exit(loopback: LoopbackServer) -> None:
    with Demo(base_url=loopback.url) as client:
        pass
    assert client._http._client.is_closed


def test_callers_httpx_client_is_used_and_left_open(loopback: LoopbackServer) -> None:
    seen: list[str] = []
    caller = httpx.Client(
        headers={"x-caller": "yes"},
        event_hooks={"request": [lambda request: seen.append(request.url.path)]},
    )
    loopback.respond(json=VOICE)
    with Demo(api_key=SECRET, base_url=loopback.url, httpx_client=caller) as client:
        client.get_voice("v1")
    assert seen == ["/v1/voices/v1"]
    assert not caller.is_closed
    sent = loopback.requests[0]
    assert (sent.header("x-caller"), sent.header("xi-api-key")) == ("yes", SECRET)
    caller.close()


def test_later_changes_to_a_callers_client_headers_are_sent(loopback: LoopbackServer) -> None:
    caller = httpx.Client()
    loopback.respond(json=VOICE)
    loopback.respond(json=VOICE)
    client = Demo(base_url=loopback.url, httpx_client=caller)
    client.get_voice("v1")
    caller.headers["x-added"] = "later"
    client.get_voice("v1")
    assert [sent.header("x-added") for sent in loopback.requests] == [None, "later"]
    caller.close()


def test_async_client_sends_secret_from_env_and_closes(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "async-env-key")
    loopback.respond(json=VOICE)

    async def scenario() -> tuple[Voice, Any]:
        async with AsyncDemo(base_url=loopback.url) as client:
            assert repr(client) == f"AsyncDemo(base_url={loopback.url!r})"
            voice = await client.get_voice("v1")
        return voice, client

    voice, client = asyncio.run(scenario())
    assert voice == Voice(**VOICE)
    assert loopback.requests[0].header("xi-api-key") == "async-env-key"
    assert client._http._client.is_closed


def test_async_callers_httpx_client_is_used_and_left_open(loopback: LoopbackServer) -> None:
    loopback.respond(json=VOICE)

    async def scenario() -> httpx.AsyncClient:
        caller = httpx.AsyncClient(headers={"x-caller": "async"})
        async with AsyncDemo(base_url=loopback.url, httpx_client=caller) as client:
            await client.get_voice("v1")
        assert not caller.is_closed
        await caller.aclose()
        return caller

    asyncio.run(scenario())
    assert loopback.requests[0].header("x-caller") == "async"

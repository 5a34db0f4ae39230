"""What a client costs before its first request: no httpx, pydantic or asyncio imported, no
httpx client created; the first request creates one, which is reused and closed by close()."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.runtime import ApiTimeoutError, AsyncHttp, Request, SyncHttp
from tests.runtime.schema import GET_VOICE
from tests.support.loopback import LoopbackServer

RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"
VOICE = {"voice_id": "v1", "name": "Ann"}
HEAVY = ("httpx", "pydantic", "pydantic_core", "asyncio", "ssl")


def _copy_runtime(tmp_path: Path) -> Path:
    package = tmp_path / "some_client" / "_runtime"
    package.mkdir(parents=True)
    (tmp_path / "some_client" / "__init__.py").write_text("")
    for source in RUNTIME.glob("*.py"):
        (package / source.name).write_text(source.read_text())
    return tmp_path


def _loaded_after(script: str, cwd: Path) -> list[str]:
    """The modules of HEAVY that `script`, run in a fresh interpreter, leaves imported."""
    check = f"{script}\nimport sys; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


class Recording:
    """Stands in for httpx.Client / httpx.AsyncClient, keeping every instance made."""

    def __init__(self, real: type[Any]) -> None:
        self.real = real
        self.made: list[Any] = []
        self.lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        client = self.real(*args, **kwargs)
        with self.lock:
            self.made.append(client)
        return client


@pytest.fixture
def sync_clients(monkeypatch: pytest.MonkeyPatch) -> Recording:
    recording = Recording(httpx.Client)
    monkeypatch.setattr(httpx, "Client", recording)
    return recording


@pytest.fixture
def async_clients(monkeypatch: pytest.MonkeyPatch) -> Recording:
    recording = Recording(httpx.AsyncClient)
    monkeypatch.setattr(httpx, "AsyncClient", recording)
    return recording


def test_creating_clients_from_the_runtime_imports_neither_httpx_nor_pydantic(
    tmp_path: Path,
) -> None:
    script = (
        "from some_client._runtime import AsyncClientBase, AsyncHttp, RawResponse, "
        "RequestOptions, SyncClientBase, SyncHttp, secret_header, ApiError, "
        "ResponseValidationError, ApiConnectionError\n"
        "SyncClientBase(base_url='https://x.test', secret_headers=secret_header('k', 'v'))\n"
        "AsyncClientBase(base_url='https://x.test')\n"
    )
    assert _loaded_after(script, _copy_runtime(tmp_path)) == []


def test_creating_clients_with_every_security_scheme_imports_nothing_heavy(
    tmp_path: Path,
) -> None:
    script = (
        "from some_client._runtime import (ApiKeyAuth, AsyncClientBase, HttpAuth, "
        "HttpBasicAuth, OAuth2Auth, SyncClientBase, secret)\n"
        "auth = [\n"
        "    ApiKeyAuth('k', parameter='X-Api-Key', location='query', key=secret(None, 'api_key', "
        "env_var='HOME')),\n"
        "    HttpBasicAuth('b', username='u', password='p'),\n"
        "    HttpAuth('t', token='t'),\n"
        "    OAuth2Auth('o', token_url='https://x.test/t', client_id='i', client_secret='s'),\n"
        "]\n"
        "SyncClientBase(base_url='https://x.test', auth=auth)\n"
        "AsyncClientBase(base_url='https://x.test', auth=auth)\n"
    )
    assert _loaded_after(script, _copy_runtime(tmp_path)) == []


def test_the_first_request_imports_what_it_needs(tmp_path: Path) -> None:
    script = (
        "import httpx\n"
        "from some_client._runtime import Endpoint, NoneResult, Request, SyncHttp\n"
        "client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))\n"
        "http = SyncHttp(base_url='https://x.test', httpx_client=client)\n"
        "http.call(Endpoint(method='GET', path='/x', result=NoneResult()), Request())\n"
    )
    assert set(_loaded_after(script, _copy_runtime(tmp_path))) >= {"httpx", "pydantic"}


def test_no_httpx_client_is_created_before_the_first_request(sync_clients: Recording) -> None:
    SyncHttp(base_url="https://x.test")
    assert sync_clients.made == []


def test_the_first_request_creates_the_httpx_client_and_later_ones_reuse_it(
    loopback: LoopbackServer, sync_clients: Recording
) -> None:
    loopback.respond(json=VOICE)
    loopback.respond(json=VOICE)
    http = SyncHttp(base_url=loopback.url)
    http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
    http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
    [client] = sync_clients.made
    assert http._client is client
    assert len(loopback.requests) == 2
    http.close()


def test_concurrent_first_requests_create_one_httpx_client(
    loopback: LoopbackServer, sync_clients: Recording
) -> None:
    threads = 8
    for _ in range(threads):
        loopback.respond(json=VOICE)
    http = SyncHttp(base_url=loopback.url)
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def first_call() -> None:
        start.wait()
        try:
            http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=first_call) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(sync_clients.made) == 1
    http.close()


def test_close_closes_the_httpx_client_the_first_request_created(
    loopback: LoopbackServer, sync_clients: Recording
) -> None:
    loopback.respond(json=VOICE)
    http = SyncHttp(base_url=loopback.url)
    http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
    http.close()
    [client] = sync_clients.made
    assert client.is_closed


def test_a_request_after_close_fails_as_on_a_closed_httpx_client(
    loopback: LoopbackServer,
) -> None:
    http = SyncHttp(base_url=loopback.url)
    http.close()
    with pytest.raises(RuntimeError, match="client has been closed"):
        http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
    assert loopback.requests == []


def test_a_callers_httpx_client_is_used_from_the_first_request(
    loopback: LoopbackServer, sync_clients: Recording
) -> None:
    caller = httpx.Client()
    loopback.respond(json=VOICE)
    http = SyncHttp(base_url=loopback.url, httpx_client=caller)
    http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
    http.close()
    assert http._client is caller
    assert not caller.is_closed
    caller.close()


def test_async_the_first_request_creates_the_httpx_client_and_aclose_closes_it(
    loopback: LoopbackServer, async_clients: Recording
) -> None:
    loopback.respond(json=VOICE)
    loopback.respond(json=VOICE)

    async def scenario() -> AsyncHttp:
        http = AsyncHttp(base_url=loopback.url)
        assert async_clients.made == []
        await http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
        await http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
        await http.aclose()
        return http

    http = asyncio.run(scenario())
    [client] = async_clients.made
    assert http._client is client
    assert client.is_closed


def test_async_retries_sleep_with_asyncio_by_default(loopback: LoopbackServer) -> None:
    loopback.respond(503, headers=[("retry-after-ms", "1")])
    loopback.respond(json=VOICE)

    async def scenario() -> None:
        http = AsyncHttp(base_url=loopback.url)
        await http.call(GET_VOICE, Request(path_params={"voice_id": "v1"}))
        await http.aclose()

    asyncio.run(scenario())
    assert len(loopback.requests) == 2


def test_api_timeout_error_is_still_an_httpx_timeout() -> None:
    assert issubclass(ApiTimeoutError, httpx.TimeoutException)

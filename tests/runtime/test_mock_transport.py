"""The runtime over httpx.MockTransport: no network, the request inspected in-process."""

from __future__ import annotations

import json

import httpx
import pytest

from generator.runtime import Request, SyncHttp
from tests.runtime.schema import CREATE_VOICE, GET_VOICE, UnprocessableEntityError, Voice


def test_request_reaches_the_transport_as_built() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"voice_id": "v1", "name": "Ann"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    http = SyncHttp(
        base_url="https://api.example.test/base",
        secret_headers={"xi-api-key": "k"},
        httpx_client=client,
    )
    voice = http.call(
        CREATE_VOICE,
        Request(query=(("enable_logging", False),), json={"name": "Ann"}),
        {"timeout_in_seconds": 5},
    )
    [request] = seen
    assert voice == Voice(voice_id="v1", name="Ann")
    assert str(request.url) == "https://api.example.test/base/v1/voices/add?enable_logging=false"
    assert request.headers["xi-api-key"] == "k"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"name": "Ann"}
    assert request.extensions["timeout"] == httpx.Timeout(5).as_dict()


def test_client_timeout_is_applied_to_a_callers_client() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"voice_id": "v", "name": "n"})

    client = httpx.Client(transport=httpx.MockTransport(handler), timeout=1.0)
    SyncHttp(base_url="https://x.test", timeout=12.0, httpx_client=client).call(
        GET_VOICE, Request(path_params={"voice_id": "v"})
    )
    assert seen[0].extensions["timeout"] == httpx.Timeout(12.0).as_dict()


def test_documented_error_from_the_transport_is_raised() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": [{"loc": ["body"], "msg": "m", "type": "t"}]})

    http = SyncHttp(
        base_url="https://x.test", httpx_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with pytest.raises(UnprocessableEntityError) as caught:
        http.call(GET_VOICE, Request(path_params={"voice_id": "v"}))
    assert caught.value.body.detail[0].msg == "m"

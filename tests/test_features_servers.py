"""Servers from a small inline spec, end to end: server variables are client arguments (enum in
the type, the default as default), and operations with servers of their own (on the operation
or its path item, relative or on another host) are sent there, following `base_url` on the
API's own host; the requests land on a loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.api import build_api
from tests.support.generation import config_for, minimal_spec
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response

OK = json_response({"type": "object"})


def _get(operation_id: str, **more: Any) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "responses": {"200": OK}, **more}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Servers", "version": "1"},
    "servers": [
        {
            "url": "https://{region}.api.example.test/{version}",
            "variables": {
                "region": {"default": "us", "enum": ["us", "eu"], "description": "Where."},
                "version": {"default": "v1"},
            },
        },
        {"url": "https://sandbox.example.test/v1"},
    ],
    "paths": {
        "/plain": _get("plain"),
        "/files/a.txt": _get(
            "getFile",
            servers=[{"url": "https://{region}.api.example.test/{version}/storage"}],
        ),
        "/ping": _get("ping", servers=[{"url": "/v2"}]),
        "/uploads/x": {
            "servers": [
                {
                    "url": "http://{upload-host}/up",
                    "variables": {"upload-host": {"default": "uploads.example.test"}},
                }
            ],
            **_get("upload"),
            "put": {
                "operationId": "putUpload",
                "servers": [{"url": "http://{upload-host}/override"}],
                "responses": {"200": OK},
            },
        },
    },
}

USAGE = """
from feat_servers import Tiny

client = Tiny(region="eu", version="v2", upload_host="127.0.0.1:1")
client.plain()
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    folder = tmp_path_factory.mktemp("servers")
    return generate_package(request, folder, SPEC, "feat_servers", auth=None)


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    host = loopback.url.split("://", 1)[1].rstrip("/")
    with generated.module.Tiny(base_url=loopback.url, upload_host=host) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_an_unknown_enum_value_is_a_type_error(generated: Generated) -> None:
    assert "Literal" in generated.mypy('from feat_servers import Tiny\nTiny(region="mars")\n')


def test_variables_are_constructor_arguments_with_their_defaults(generated: Generated) -> None:
    source = generated.file("_client.py")
    assert 'region: Literal["us", "eu"] = "us",' in source
    assert 'version: str = "v1",' in source
    assert 'upload_host: str = "uploads.example.test",' in source
    assert '"upload-host": upload_host' in source
    module = generated.module
    assert repr(module.Tiny()) == "Tiny(base_url='https://us.api.example.test/v1')"
    assert repr(module.Tiny(region="eu", version="v2")) == (
        "Tiny(base_url='https://eu.api.example.test/v2')"
    )
    assert module.TinyEnvironment.US_API_EXAMPLE_TEST.value == (
        "https://{region}.api.example.test/{version}"
    )


def test_operation_servers_are_on_the_endpoint(generated: Generated) -> None:
    source = generated.file("_operations/get_file.py")
    assert 'servers=("https://{region}.api.example.test/{version}/storage",),' in source
    assert "servers=" not in generated.file("_operations/plain.py")


def test_a_server_under_the_default_one_follows_base_url(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    client.plain()
    client.get_file()
    assert [r.target for r in loopback.requests] == ["/plain", "/storage/files/a.txt"]


def test_a_relative_server_is_on_the_api_host(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.ping()
    assert loopback.requests[0].target == "/v2/ping"


def test_a_server_on_another_host_takes_its_variables_from_the_client(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    client.upload()
    client.put_upload()
    assert [(r.method, r.target) for r in loopback.requests] == [
        ("GET", "/up/uploads/x"),
        ("PUT", "/override/uploads/x"),
    ]


def test_without_base_url_the_operation_goes_to_its_own_server(
    generated: Generated,
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = generated.module.Tiny(region="eu", httpx_client=http)
    client.get_file()
    client.upload()
    client.ping()
    assert seen == [
        "https://eu.api.example.test/v1/storage/files/a.txt",
        "http://uploads.example.test/up/uploads/x",
        "https://eu.api.example.test/v2/ping",
    ]


def test_operation_servers_are_neither_warnings_nor_strict_errors() -> None:
    spec = minimal_spec(
        paths={"/x": {"servers": [{"url": "https://o.example"}], **_get("x")}},
    )
    config = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))
    for strict in (False, True):
        built = build_api(spec, config.with_overrides(strict=strict))
        assert built.problems == ()
        assert not [m for _, m in built.warnings if "server" in m]
        assert built.api.operations[0].servers == ("https://o.example",)

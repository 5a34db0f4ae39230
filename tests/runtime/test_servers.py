"""Servers: variables substituted into the client's base URL and operations' servers, and
where an operation with servers of its own goes (see the rules in `_servers`)."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import httpx
import pytest

from generator.runtime import BaseUrl, Endpoint, JsonResult, Request, SyncHttp
from generator.runtime._encoding import encode_query
from generator.runtime._servers import expand_server, operation_base_url
from tests.runtime.conftest import MakeHttp
from tests.support.loopback import LoopbackServer

T = TypeVar("T")

if "servers" in {field.name for field in dataclasses.fields(Endpoint)}:
    Served = Endpoint
else:  # until Endpoint declares the field the runtime reads

    @dataclasses.dataclass(frozen=True, slots=True)
    class Served(Endpoint[T]):  # type: ignore[no-redef]
        servers: tuple[str, ...] = ()


def served(*servers: str, path: str = "/files") -> Endpoint[Any]:
    endpoint: Endpoint[Any] = Served(  # type: ignore[call-arg]
        method="GET", path=path, result=JsonResult(Any), servers=servers
    )
    return endpoint


PLAIN: Endpoint[Any] = Endpoint(method="GET", path="/files", result=JsonResult(Any))


@pytest.fixture
def other() -> Any:
    """A second loopback server: another origin (its own port)."""
    server = LoopbackServer().start()
    yield server
    server.stop()


def _port(server: LoopbackServer) -> str:
    return server.url.rsplit(":", 1)[1]


# Substitution.


def test_expand_server_substitutes_each_variable() -> None:
    template = "https://{region}.api.example.com:{port}/{version}"
    expanded = expand_server(template, {"region": "eu", "port": "8443", "version": "v2"})
    assert expanded == "https://eu.api.example.com:8443/v2"


def test_expand_server_without_a_variables_value_raises_value_error() -> None:
    with pytest.raises(ValueError, match="'region'"):
        expand_server("https://{region}.example.com", {})


def test_expand_server_with_an_unclosed_brace_raises_value_error() -> None:
    with pytest.raises(ValueError, match="unclosed"):
        expand_server("https://{region.example.com", {"region": "eu"})


def test_base_url_is_the_substituted_url_and_keeps_the_variables() -> None:
    url = BaseUrl(
        "https://{region}.example.com",
        variables={"region": "eu"},
        default_server="https://{region}.api.example.com",
    )
    assert (url, url.variables, url.default_server) == (
        "https://eu.example.com",
        {"region": "eu"},
        "https://eu.api.example.com",
    )


# Where an operation with servers goes.

DEFAULT = "https://api.example.com/v1"


@pytest.mark.parametrize(
    ("server", "base_url", "expected"),
    [
        (
            "https://uploads.example.com/v1",
            "http://localhost:4010",
            "https://uploads.example.com/v1",
        ),
        ("https://api.example.com/v1/uploads", DEFAULT, "https://api.example.com/v1/uploads"),
        (
            "https://api.example.com/v1/uploads",
            "http://localhost:4010",
            "http://localhost:4010/uploads",
        ),
        ("https://api.example.com/v2", "https://proxy.test/api/v1", "https://proxy.test/api/v2"),
        ("https://api.example.com/v2", "http://localhost:4010", "http://localhost:4010/v2"),
        ("/v1/uploads", "http://localhost:4010", "http://localhost:4010/uploads"),
        ("/v2", DEFAULT, "https://api.example.com/v2"),
        ("HTTPS://API.example.com/v1/up/", "http://localhost:4010/", "http://localhost:4010/up"),
    ],
    ids=[
        "another-host-as-it-is",
        "base-url-is-the-default",
        "under-the-default-follows-the-base-url",
        "same-origin-under-the-base-urls-mount-point",
        "same-origin-under-a-base-url-without-the-default-path",
        "relative-is-on-the-default-origin",
        "relative-with-the-default-base-url",
        "origin-case-and-trailing-slashes-ignored",
    ],
)
def test_operation_base_url_follows_the_documented_rules(
    server: str, base_url: str, expected: str
) -> None:
    assert operation_base_url(server, base_url, DEFAULT) == expected


def test_without_a_default_server_a_relative_server_is_on_the_base_urls_origin() -> None:
    assert operation_base_url("/v2", "https://proxy.test/api", None) == "https://proxy.test/v2"


def test_without_a_default_server_an_absolute_server_is_used_as_it_is() -> None:
    assert (
        operation_base_url("https://up.test/v1/", "https://proxy.test", None)
        == "https://up.test/v1"
    )


# On the wire.


def test_an_operation_with_servers_goes_to_the_first_one(
    make_http: MakeHttp, loopback: LoopbackServer, other: LoopbackServer
) -> None:
    other.respond(json={})
    make_http().call(served(f"{other.url}/up", "http://never.invalid"))
    assert [sent.target for sent in other.requests] == ["/up/files"]
    assert loopback.requests == []


def test_server_variables_are_substituted_into_an_operations_server(
    make_http: MakeHttp, loopback: LoopbackServer, other: LoopbackServer
) -> None:
    other.respond(json={})
    base_url = BaseUrl(loopback.url, variables={"port": _port(other), "version": "v2"})
    make_http(base_url=base_url).call(served("http://127.0.0.1:{port}/{version}"))
    assert [sent.target for sent in other.requests] == ["/v2/files"]


def test_server_variables_are_substituted_into_the_clients_base_url(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    base_url = BaseUrl(
        "http://127.0.0.1:{port}/{version}", variables={"port": _port(loopback), "version": "v3"}
    )
    make_http(base_url=base_url).call(PLAIN)
    assert [sent.target for sent in loopback.requests] == ["/v3/files"]


def test_an_operation_server_on_the_default_servers_host_follows_the_base_url(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    base_url = BaseUrl(f"{loopback.url}/proxy/v1", default_server=DEFAULT)
    make_http(base_url=base_url).call(served("https://api.example.com/v1/uploads"))
    assert [sent.target for sent in loopback.requests] == ["/proxy/v1/uploads/files"]


def test_an_operation_server_on_another_host_is_used_whatever_the_base_url(
    make_http: MakeHttp, loopback: LoopbackServer, other: LoopbackServer
) -> None:
    other.respond(json={})
    base_url = BaseUrl(f"{loopback.url}/mock", default_server=loopback.url)
    make_http(base_url=base_url).call(served(other.url))
    assert ([sent.target for sent in other.requests], loopback.requests) == (["/files"], [])


def test_an_endpoint_without_servers_keeps_the_base_url_beside_one_with_servers(
    make_http: MakeHttp, loopback: LoopbackServer, other: LoopbackServer
) -> None:
    loopback.respond(json={})
    other.respond(json={})
    http = make_http()
    http.call(served(other.url))
    http.call(PLAIN)
    assert (
        [sent.target for sent in other.requests],
        [sent.target for sent in loopback.requests],
    ) == (
        ["/files"],
        ["/files"],
    )


def test_an_operation_server_without_a_variables_value_raises_value_error_before_sending(
    make_http: MakeHttp, loopback: LoopbackServer
) -> None:
    with pytest.raises(ValueError, match="'region'"):
        make_http().call(served("https://{region}.uploads.example.com"))
    assert loopback.requests == []


@pytest.mark.parametrize("path", ["/files", "/files/{file_id}"])
def test_a_served_endpoint_gets_the_url_httpx_parses(path: str) -> None:
    seen: list[httpx.Request] = []

    def handler(sent: httpx.Request) -> httpx.Response:
        seen.append(sent)
        return httpx.Response(200, json={})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    http = SyncHttp(base_url="https://api.example.test", httpx_client=client)
    query = (("q", "a b&c"), ("ids", [1, 2]))
    request = Request(path_params={"file_id": "x/y"}, query=query)
    endpoint = served("https://uploads.example.test/a%20b/", path=path)
    http.call(endpoint, request)
    http.call(endpoint, request)
    rendered = path.replace("{file_id}", "x%2Fy")
    expected = httpx.URL(f"https://uploads.example.test/a%20b{rendered}?{encode_query(query)}")
    assert [str(sent.url) for sent in seen] == [str(expected)] * 2

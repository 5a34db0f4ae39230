"""The URL a request goes to is the one httpx parses from base_url + path + "?" + query,
although an endpoint's URL is parsed once and only its query is added on each call."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from generator.runtime import Endpoint, NoneResult, Request, RequestOptions, SyncHttp, _exchange
from generator.runtime._encoding import encode_query, render_path

STATIC: Endpoint[None] = Endpoint(method="GET", path="/v1/items", result=NoneResult())
TEMPLATED: Endpoint[None] = Endpoint(method="GET", path="/v1/items/{item_id}", result=NoneResult())

QUERIES: list[tuple[tuple[str, object], ...]] = [
    (),
    (("agent_id", "agent_123"), ("include", None), ("flag", True)),
    (("q", "a&b=c d/é?#%"), ("ids", [1, 2, 3]), ("empty", "")),
    (("long", "x" * 9000),),
    (("ünïcode key", "ünïcode value"), ("plus", "1+1"), ("pct", "%41")),
]
BASES = [
    "https://api.example.test",
    "https://api.example.test/prefix/",
    "http://user:pass@127.0.0.1:8080/a%20b",
    "http://[::1]:8080",
]


def _sent(
    base_url: str,
    endpoint: Endpoint[None],
    request: Request,
    options: RequestOptions | None = None,
    **client_args: Any,
) -> httpx.URL:
    seen: list[httpx.Request] = []

    def handler(sent: httpx.Request) -> httpx.Response:
        seen.append(sent)
        return httpx.Response(204)

    client = httpx.Client(transport=httpx.MockTransport(handler), **client_args)
    http = SyncHttp(base_url=base_url, httpx_client=client)
    http.call(endpoint, request, options)
    http.call(endpoint, request, options)  # the second call reuses what the first parsed
    assert len(seen) == 2 and seen[0].url == seen[1].url
    return seen[1].url


def _parsed(base_url: str, path: str, query: str) -> httpx.URL:
    text = base_url.rstrip("/") + path
    return httpx.URL(f"{text}?{query}" if query else text)


def _same(sent: httpx.URL, expected: httpx.URL) -> None:
    assert (str(sent), sent.raw_path, sent.host, sent.port, sent.params) == (
        str(expected),
        expected.raw_path,
        expected.host,
        expected.port,
        expected.params,
    )


@pytest.mark.parametrize("base_url", BASES)
@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_an_endpoint_without_path_parameters_gets_the_url_httpx_parses(
    base_url: str, query: tuple[tuple[str, object], ...]
) -> None:
    sent = _sent(base_url, STATIC, Request(query=query))
    _same(sent, _parsed(base_url, STATIC.path, encode_query(query)))


@pytest.mark.parametrize("item_id", ["plain", "a/b c", "..", ".", "é?#", 7])
@pytest.mark.parametrize("query", QUERIES[:3], ids=range(3))
def test_an_endpoint_with_path_parameters_gets_the_url_httpx_parses(
    item_id: object, query: tuple[tuple[str, object], ...]
) -> None:
    base_url = "https://api.example.test/prefix"
    params = {"item_id": item_id}
    sent = _sent(base_url, TEMPLATED, Request(path_params=params, query=query))
    _same(sent, _parsed(base_url, render_path(TEMPLATED.path, params), encode_query(query)))


def test_additional_query_parameters_follow_the_operations_own() -> None:
    base_url = "https://api.example.test"
    query = (("a", "1"),)
    sent = _sent(
        base_url,
        STATIC,
        Request(query=query),
        {"additional_query_parameters": {"b": "x y", "c": [1, 2]}},
    )
    expected = encode_query([*query, ("b", "x y"), ("c", [1, 2])])
    _same(sent, _parsed(base_url, STATIC.path, expected))


def test_a_callers_client_params_are_merged_into_the_url() -> None:
    base_url = "https://api.example.test"
    sent = _sent(base_url, STATIC, Request(query=(("a", "1"),)), params={"client": "yes"})
    _same(sent, _parsed(base_url, STATIC.path, "a=1&client=yes"))


def test_a_path_without_a_leading_slash_is_joined_with_one() -> None:
    endpoint: Endpoint[None] = Endpoint(method="GET", path="v1/items", result=NoneResult())
    sent = _sent("https://api.example.test/base", endpoint, Request(query=(("a", "1"),)))
    _same(sent, httpx.URL("https://api.example.test/base/v1/items?a=1"))


def test_with_the_pinned_httpx_only_the_query_is_added_per_call() -> None:
    # The shortcut relies on a private attribute of httpx.URL; without it every URL is parsed
    # whole (correct, but slower), so a change of httpx that breaks it must be noticed.
    assert _exchange._URL_SHORTCUT

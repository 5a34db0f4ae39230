"""Styled query strings keep the URL shortcut exact: the URL sent (query added to the parsed
URL of the endpoint) is the one httpx parses from the whole text, whatever the delimiters,
brackets, reserved characters (allowReserved) and escapes in it."""

from __future__ import annotations

import httpx
import pytest

from generator.runtime import Encoded, Endpoint, NoneResult, Request, Styled, SyncHttp
from generator.runtime._encoding import encode_query, render_path

STATIC: Endpoint[None] = Endpoint(method="GET", path="/v1/items", result=NoneResult())
MATRIX: Endpoint[None] = Endpoint(method="GET", path="/v1/items/{id}", result=NoneResult())

QUERIES: list[tuple[tuple[str, object], ...]] = [
    (("ids", Styled([1, 2, 3], "form", explode=False)),),
    (("ids", Styled(["a b", "c|d"], "spaceDelimited")), ("p", Styled(["x", "y"], "pipeDelimited"))),
    (("f", Styled({"a": {"b": [1, {"c": "d e"}]}}, "deepObject")),),
    (("q", Styled("a/b:c?d=e&f,g[h]@!$'()*+;%41 x#y%é", "form", allow_reserved=True)),),
    (("where", Encoded({"a": [1, "x y"], "b": None}, "application/json")),),
    (("o", Styled({"R": 100, "G": "a,b"}, "form", explode=False)),),
]


def _sent_url(endpoint: Endpoint[None], request: Request) -> httpx.URL:
    seen: list[httpx.URL] = []

    def handler(sent: httpx.Request) -> httpx.Response:
        seen.append(sent.url)
        return httpx.Response(204)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    http = SyncHttp(base_url="https://api.example.test/prefix", httpx_client=client)
    http.call(endpoint, request)
    http.call(endpoint, request)  # the second call adds the query to the cached parse
    assert seen[0] == seen[1]
    return seen[1]


def _parsed(path: str, query: str) -> httpx.URL:
    return httpx.URL(f"https://api.example.test/prefix{path}?{query}")


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_a_styled_query_gives_the_url_httpx_parses(query: tuple[tuple[str, object], ...]) -> None:
    sent = _sent_url(STATIC, Request(query=query))
    expected = _parsed(STATIC.path, encode_query(query))
    assert (str(sent), sent.raw_path, sent.params) == (
        str(expected),
        expected.raw_path,
        expected.params,
    )


@pytest.mark.parametrize("style", ["matrix", "label"])
def test_a_styled_path_gives_the_url_httpx_parses(style: str) -> None:
    params = {"id": Styled({"a": "x;y", "b": "1,2"}, style, explode=True)}  # type: ignore[arg-type]
    sent = _sent_url(MATRIX, Request(path_params=params, query=(("n", 1),)))
    expected = _parsed(render_path(MATRIX.path, params), "n=1")
    assert (str(sent), sent.raw_path) == (str(expected), expected.raw_path)

"""Parameter styles on the wire: every row of OpenAPI 3.1's Style Examples table (label
without explode as RFC 6570 and OpenAPI 3.1.1 give it, with commas), for path, query,
header and cookie parameters, and what a bare value means in each place."""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime import Endpoint, JsonResult, Request, Styled
from generator.runtime._encoding import render_path
from tests.runtime.conftest import Driver
from tests.support.loopback import LoopbackServer, RecordedRequest

PATH: Endpoint[Any] = Endpoint(method="GET", path="/p/{color}", result=JsonResult(Any))
QUERY: Endpoint[Any] = Endpoint(method="GET", path="/q", result=JsonResult(Any))

VALUES: dict[str, object] = {
    "empty": "",
    "string": "blue",
    "array": ["blue", "black", "brown"],
    "object": {"R": 100, "G": 200, "B": 150},
}

# (style, explode, {kind: expansion}); kinds the table marks n/a are left out, and label's
# empty "." too: a segment "." is a dot-segment, removed from any URL (RFC 3986 5.2.4).
PATH_TABLE: list[tuple[str, bool, dict[str, str]]] = [
    (
        "simple",
        False,
        {"string": "blue", "array": "blue,black,brown", "object": "R,100,G,200,B,150"},
    ),
    (
        "simple",
        True,
        {"string": "blue", "array": "blue,black,brown", "object": "R=100,G=200,B=150"},
    ),
    (
        "label",
        False,
        {
            "string": ".blue",
            "array": ".blue,black,brown",
            "object": ".R,100,G,200,B,150",
        },
    ),
    (
        "label",
        True,
        {
            "string": ".blue",
            "array": ".blue.black.brown",
            "object": ".R=100.G=200.B=150",
        },
    ),
    (
        "matrix",
        False,
        {
            "empty": ";color",
            "string": ";color=blue",
            "array": ";color=blue,black,brown",
            "object": ";color=R,100,G,200,B,150",
        },
    ),
    (
        "matrix",
        True,
        {
            "empty": ";color",
            "string": ";color=blue",
            "array": ";color=blue;color=black;color=brown",
            "object": ";R=100;G=200;B=150",
        },
    ),
]
QUERY_TABLE: list[tuple[str, bool, dict[str, str]]] = [
    (
        "form",
        False,
        {
            "empty": "color=",
            "string": "color=blue",
            "array": "color=blue,black,brown",
            "object": "color=R,100,G,200,B,150",
        },
    ),
    (
        "form",
        True,
        {
            "empty": "color=",
            "string": "color=blue",
            "array": "color=blue&color=black&color=brown",
            "object": "R=100&G=200&B=150",
        },
    ),
    (
        "spaceDelimited",
        False,
        {"array": "color=blue%20black%20brown", "object": "color=R%20100%20G%20200%20B%20150"},
    ),
    (
        "pipeDelimited",
        False,
        {"array": "color=blue%7Cblack%7Cbrown", "object": "color=R%7C100%7CG%7C200%7CB%7C150"},
    ),
    ("deepObject", True, {"object": "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"}),
]
HEADER_TABLE: list[tuple[bool, dict[str, str]]] = [
    (False, {"string": "blue", "array": "blue,black,brown", "object": "R,100,G,200,B,150"}),
    (True, {"string": "blue", "array": "blue,black,brown", "object": "R=100,G=200,B=150"}),
]
COOKIE_TABLE: list[tuple[bool, dict[str, str]]] = [
    (
        False,
        {
            "empty": "color=",
            "string": "color=blue",
            "array": "color=blue,black,brown",
            "object": "color=R,100,G,200,B,150",
        },
    ),
    (
        True,
        {
            "empty": "color=",
            "string": "color=blue",
            "array": "color=blue; color=black; color=brown",
            "object": "R=100; G=200; B=150",
        },
    ),
]


def _cases(table: list[tuple[str, bool, dict[str, str]]]) -> list[Any]:
    return [
        pytest.param(style, explode, VALUES[kind], wire, id=f"{style}-explode-{explode}-{kind}")
        for style, explode, row in table
        for kind, wire in row.items()
    ]


def _send(
    http: Driver, loopback: LoopbackServer, endpoint: Endpoint[Any], request: Request
) -> RecordedRequest:
    loopback.respond(json={})
    http.call(endpoint, request)
    return loopback.requests[-1]


@pytest.mark.parametrize(("style", "explode", "value", "wire"), _cases(PATH_TABLE))
def test_path_parameter_styles_expand_as_the_style_examples_table(
    http: Driver, loopback: LoopbackServer, style: Any, explode: bool, value: object, wire: str
) -> None:
    request = Request(path_params={"color": Styled(value, style, explode=explode)})
    assert _send(http, loopback, PATH, request).target == f"/p/{wire}"


@pytest.mark.parametrize(("style", "explode", "value", "wire"), _cases(QUERY_TABLE))
def test_query_parameter_styles_expand_as_the_style_examples_table(
    http: Driver, loopback: LoopbackServer, style: Any, explode: bool, value: object, wire: str
) -> None:
    request = Request(query=(("color", Styled(value, style, explode=explode)),))
    assert _send(http, loopback, QUERY, request).target == f"/q?{wire}"


@pytest.mark.parametrize(
    ("explode", "value", "wire"),
    [
        pytest.param(explode, VALUES[kind], wire, id=f"explode-{explode}-{kind}")
        for explode, row in HEADER_TABLE
        for kind, wire in row.items()
    ],
)
def test_header_parameters_are_simple_style_as_the_style_examples_table(
    http: Driver, loopback: LoopbackServer, explode: bool, value: object, wire: str
) -> None:
    request = Request(headers=(("X-Color", Styled(value, "simple", explode=explode)),))
    assert _send(http, loopback, QUERY, request).header("x-color") == wire


@pytest.mark.parametrize(
    ("explode", "value", "wire"),
    [
        pytest.param(explode, VALUES[kind], wire, id=f"explode-{explode}-{kind}")
        for explode, row in COOKIE_TABLE
        for kind, wire in row.items()
    ],
)
def test_cookie_parameters_are_form_style_pairs_joined_as_a_cookie_header(
    http: Driver, loopback: LoopbackServer, explode: bool, value: object, wire: str
) -> None:
    request = Request(cookies=(("color", Styled(value, "form", explode=explode)),))
    assert _send(http, loopback, QUERY, request).header("cookie") == wire


@pytest.mark.parametrize(
    ("style", "wire"),
    [("spaceDelimited", "color=blue&color=black"), ("pipeDelimited", "color=blue&color=black")],
)
def test_delimited_styles_with_explode_repeat_the_name_like_form(
    http: Driver, loopback: LoopbackServer, style: Any, wire: str
) -> None:
    request = Request(query=(("color", Styled(["blue", "black"], style, explode=True)),))
    assert _send(http, loopback, QUERY, request).target == f"/q?{wire}"


@pytest.mark.parametrize("kind", ["empty", "string", "array", "object"])
def test_a_bare_query_value_is_form_with_explode(
    http: Driver, loopback: LoopbackServer, kind: str
) -> None:
    sent = _send(http, loopback, QUERY, Request(query=(("color", VALUES[kind]),)))
    assert sent.target == f"/q?{QUERY_TABLE[1][2][kind]}"


@pytest.mark.parametrize("kind", ["string", "array", "object"])
def test_a_bare_path_value_is_simple_without_explode(
    http: Driver, loopback: LoopbackServer, kind: str
) -> None:
    sent = _send(http, loopback, PATH, Request(path_params={"color": VALUES[kind]}))
    assert sent.target == f"/p/{PATH_TABLE[0][2][kind]}"


@pytest.mark.parametrize("kind", ["string", "array", "object"])
def test_a_bare_header_value_is_simple_without_explode(
    http: Driver, loopback: LoopbackServer, kind: str
) -> None:
    sent = _send(http, loopback, QUERY, Request(headers=(("X-Color", VALUES[kind]),)))
    assert sent.header("x-color") == HEADER_TABLE[0][1][kind]


@pytest.mark.parametrize("kind", ["empty", "string", "array", "object"])
def test_a_bare_cookie_value_is_form_with_explode(
    http: Driver, loopback: LoopbackServer, kind: str
) -> None:
    sent = _send(http, loopback, QUERY, Request(cookies=(("color", VALUES[kind]),)))
    assert sent.header("cookie") == COOKIE_TABLE[1][1][kind]


def test_form_style_explodes_when_explode_is_not_given(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(query=(("color", Styled(["a", "b"], "form")),))
    assert _send(http, loopback, QUERY, request).target == "/q?color=a&color=b"


@pytest.mark.parametrize(("style", "wire"), [("matrix", ";color=a,b"), ("label", ".a,b")])
def test_path_styles_do_not_explode_when_explode_is_not_given(
    http: Driver, loopback: LoopbackServer, style: Any, wire: str
) -> None:
    request = Request(path_params={"color": Styled(["a", "b"], style)})
    assert _send(http, loopback, PATH, request).target == f"/p/{wire}"


@pytest.mark.parametrize("explode", [False, True])
def test_an_empty_label_value_is_a_lone_dot(explode: bool) -> None:
    path = render_path("/p/{color}", {"color": Styled("", "label", explode=explode)})
    assert path == "/p/."

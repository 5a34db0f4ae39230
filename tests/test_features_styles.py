"""Parameter styles from a small inline spec, end to end (generate, import, mypy, call a loopback
server): path simple/label/matrix, query form (explode true and false), spaceDelimited,
pipeDelimited, deepObject and allowReserved, header simple with explode, cookie form without,
`content`-typed parameters; the exact bytes on the wire, and the plain cases left bare."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from generator.config import Config
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response

OK = json_response({"type": "object"})
LIST = {"type": "array", "items": {"type": "string"}}
OBJECT = {"type": "object", "properties": {"role": {"type": "string"}, "n": {"type": "integer"}}}


def _param(name: str, where: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema, **more}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Styles", "version": "1"},
    "paths": {
        "/label/{id}/matrix/{color}/simple/{ids}": {
            "get": {
                "operationId": "paths",
                "parameters": [
                    _param("id", "path", LIST, required=True, style="label", explode=True),
                    _param("color", "path", LIST, required=True, style="matrix", explode=True),
                    _param("ids", "path", LIST, required=True),
                ],
                "responses": {"200": OK},
            }
        },
        "/label-one/{id}/{point}": {
            "get": {
                "operationId": "labelOne",
                "parameters": [
                    _param("id", "path", {"type": "integer"}, required=True, style="label"),
                    _param("point", "path", OBJECT, required=True, style="matrix"),
                ],
                "responses": {"200": OK},
            }
        },
        "/query": {
            "get": {
                "operationId": "query",
                "parameters": [
                    _param("plain", "query", LIST),
                    _param("fields", "query", LIST, style="form", explode=False),
                    _param("spaced", "query", LIST, style="spaceDelimited", explode=False),
                    _param("piped", "query", LIST, style="pipeDelimited", explode=False),
                    _param("filter", "query", OBJECT, style="deepObject", explode=True),
                    _param("path", "query", {"type": "string"}, allowReserved=True),
                    _param("scalar", "query", {"type": "string"}, explode=False),
                    {
                        "name": "where",
                        "in": "query",
                        "content": {"application/json": {"schema": OBJECT}},
                    },
                ],
                "responses": {"200": OK},
            }
        },
        "/headers": {
            "get": {
                "operationId": "headers",
                "parameters": [
                    _param("X-Point", "header", OBJECT, explode=True),
                    _param("X-Tags", "header", LIST),
                    _param("ids", "cookie", LIST, explode=False),
                    _param("session", "cookie", {"type": "string"}),
                    {
                        "name": "X-Meta",
                        "in": "header",
                        "content": {"application/json": {"schema": OBJECT}},
                    },
                ],
                "responses": {"200": OK},
            }
        },
    },
}

USAGE = """
from feat_styles import Tiny

client = Tiny(base_url="http://127.0.0.1:9")
client.paths(["a"], ["b"], ["c"])
client.query(fields=["a", "b"], filter={"role": "x"}, where={"n": 1})
client.headers(x_point={"n": 1}, ids=["1"], x_meta={"role": "r"})
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(
        request, tmp_path_factory.mktemp("styles"), SPEC, "feat_styles", auth=None
    )


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_path_label_matrix_and_simple(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    client.paths(["a", "b"], ["blue", "black"], ["x", "y"])
    client.label_one(5, {"role": "r", "n": 2})
    assert loopback.requests[0].target == "/label/.a.b/matrix/;color=blue;color=black/simple/x,y"
    assert loopback.requests[1].target == "/label-one/.5/;point=role,r,n,2"


def test_query_styles(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.query(
        plain=["p1", "p2"],
        fields=["name", "email"],
        spaced=["a", "b"],
        piped=["c", "d"],
        filter={"role": "admin", "n": 3},
        path="/a/b?c",
        scalar="s",
        where={"n": 1},
    )
    assert loopback.requests[0].target == (
        "/query?plain=p1&plain=p2&fields=name,email&spaced=a%20b&piped=c%7Cd"
        "&filter%5Brole%5D=admin&filter%5Bn%5D=3&path=/a/b?c&scalar=s"
        "&where=%7B%22n%22%3A1%7D"
    )


def test_styled_arguments_not_given_are_not_sent(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    client.query()
    client.headers()
    assert loopback.requests[0].target == "/query"
    sent = loopback.requests[1]
    assert [sent.header(h) for h in ("x-point", "x-meta", "cookie")] == [None, None, None]


def test_header_and_cookie_styles(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.headers(
        x_point={"role": "r", "n": 1},
        x_tags=["a", "b"],
        ids=["1", "2"],
        session="s",
        x_meta={"n": 2},
    )
    sent = loopback.requests[0]
    assert sent.header("x-point") == "role=r,n=1"
    assert sent.header("x-tags") == "a,b"
    assert sent.header("x-meta") == '{"n":2}'
    assert sent.header("cookie") == "ids=1,2; session=s"


def test_plain_cases_stay_bare_and_styled_ones_are_wrapped(generated: Generated) -> None:
    query = generated.file("_operations/query.py")
    assert '("plain", plain),' in query
    assert '("scalar", scalar),' in query
    assert '("fields", Styled(fields, "form", explode=False)),' in query
    assert '("filter", Styled(filter, "deepObject")),' in query
    assert '("path", Styled(path, "form", allow_reserved=True)),' in query
    assert '("where", Encoded(where, "application/json")),' in query
    paths = generated.file("_operations/paths.py")
    assert '"id": Styled(id, "label", explode=True),' in paths
    assert '"ids": ids,' in paths


def test_no_warnings_for_valid_styles(generated: Generated) -> None:
    assert not [n for n in generated.notes if "style" in n], generated.notes


BAD: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Bad", "version": "1"},
    "paths": {
        "/x": {
            "get": {
                "parameters": [
                    _param("a", "query", LIST, style="tabDelimited"),
                    _param("b", "header", OBJECT, style="deepObject"),
                ],
                "responses": {"200": OK},
            }
        }
    },
}


@pytest.mark.parametrize("strict", [False, True])
def test_an_undefined_style_is_a_defect_sent_in_the_default_style(
    strict: bool, tmp_path: Path
) -> None:
    config = Config(spec=tmp_path / "s.json", out=tmp_path / "out", package="bad", strict=strict)
    built = build_api(BAD, config)
    messages = [
        "parameter 'a' in query uses style 'tabDelimited' with explode false; the client sends"
        " query parameters with style 'form', explode true only",
        "parameter 'b' in header uses style 'deepObject' with explode false; the client sends"
        " header parameters with style 'simple', explode false only",
    ]
    found = built.problems if strict else built.warnings
    assert [m for _, m in found if "style" in m] == messages
    if not strict:
        params = built.api.operations[0].parameters
        assert [(p.style, p.explode) for p in params] == [(None, None), (None, None)]

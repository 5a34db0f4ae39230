"""What building the IR works around by default (a located warning) and --strict refuses with
the message it always gave: method-name clashes, form bodies
that are not objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.api import Prim, UnionOf, build_api
from tests.support.generation import config_for, minimal_spec

CONFIG = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))
STRICT = CONFIG.with_overrides(strict=True)
OK = {"200": {"description": "OK"}}


def _servers_spec() -> dict[str, Any]:
    return minimal_spec(
        paths={
            "/x": {
                "servers": [{"url": "https://other.example"}],
                "get": {"operationId": "x", "responses": OK, "servers": [{"url": "https://o"}]},
            }
        }
    )


def test_servers_on_a_path_or_operation_are_the_operation_s_servers_without_a_warning() -> None:
    """The operation's own servers win over its path item's; neither is a problem any more."""
    for config in (CONFIG, STRICT):
        built = build_api(_servers_spec(), config)
        assert built.problems == () and len(built.api.operations) == 1
        assert not [p for p, m in built.warnings if "servers" in m]
        assert built.api.operations[0].servers == ("https://o",)


def test_a_method_name_clash_renames_the_later_operation_with_a_warning() -> None:
    spec = minimal_spec(
        paths={
            "/a": {"get": {"operationId": "a", "tags": ["t"], "x-fern-sdk-method-name": "same",
                           "responses": OK}},
            "/b": {"post": {"operationId": "b", "tags": ["t"], "x-fern-sdk-method-name": "same",
                            "responses": OK}},
            "/c": {"get": {"operationId": "close", "responses": OK}},
        }
    )  # fmt: skip
    built = build_api(spec, CONFIG)
    assert built.problems == ()
    assert [o.method_name for o in built.api.operations] == ["same", "same_post", "close_get"]
    group = next(g for g in built.api.groups if g.path == ("t",))
    assert [o.method_name for o in group.operations] == ["same", "same_post"]
    assert ("/paths/~1b/post", "method name 'same' in group t is also used by /paths/~1a/get;"
            " set x-fern-sdk-method-name to tell them apart; this one is named 'same_post'"
            ) in built.warnings  # fmt: skip


def test_a_form_body_that_is_not_an_object_is_sent_whole_with_a_warning() -> None:
    body = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "string"}}}}
    spec = minimal_spec(paths={"/f": {"post": {"operationId": "f", "requestBody": body,
                                               "responses": OK}}})  # fmt: skip
    built = build_api(spec, CONFIG)
    assert built.problems == ()
    op_body = built.api.operations[0].body
    assert op_body is not None and op_body.kind == "bytes"
    assert op_body.whole == UnionOf((Prim("str"), Prim("bytes")))
    assert build_api(spec, STRICT).problems[0][0] == "/paths/~1f/post/requestBody"


def test_a_path_keys_fragment_is_not_part_of_the_operations_path() -> None:
    spec = minimal_spec(
        paths={
            "/chat": {"post": {"operationId": "chat", "responses": OK}},
            "/chat#stream": {"post": {"operationId": "chat_stream", "responses": OK}},
        }
    )
    paths = {op.operation_id: op.path for op in build_api(spec, CONFIG).api.operations}
    assert paths == {"chat": "/chat", "chat_stream": "/chat"}

"""Building the IR: names, groups, parameters, bodies, responses and servers from small specs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.api import build_api
from generator.api.ir import DictOf, ListOf, ModelRef, Prim, UnionOf
from tests.support.generation import config_for, minimal_spec

CONFIG = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))


def _op(**operation: Any) -> dict[str, Any]:
    operation.setdefault("responses", {"200": {"description": "OK"}})
    return minimal_spec(paths={"/x": {"get": operation}})


def test_documentation_export_tag_gives_nested_groups() -> None:
    spec = _op(
        operationId="get-signed-url",
        tags=["subpackage_conversationalAi.subpackage_conversationalAi/conversations"],
    )
    op = build_api(spec, CONFIG).api.operations[0]
    assert op.groups == ("conversational_ai", "conversations")
    assert op.method_name == "get_signed_url"


def test_fern_extensions_take_precedence_over_tags() -> None:
    spec = _op(
        operationId="x",
        tags=["ignored"],
        **{"x-fern-sdk-group-name": ["voices", "settings"], "x-fern-sdk-method-name": "getDefault"},
    )
    op = build_api(spec, CONFIG).api.operations[0]
    assert (op.groups, op.method_name) == (("voices", "settings"), "get_default")


def test_first_plain_tag_is_the_group() -> None:
    op = build_api(
        _op(operationId="listAll", tags=["Text To Speech", "other"]), CONFIG
    ).api.operations[0]
    assert op.groups == ("text_to_speech",)


def test_untagged_operations_sit_on_the_client() -> None:
    built = build_api(_op(operationId="ping"), CONFIG)
    assert built.api.operations[0].groups == ()
    root = built.api.groups[0]
    assert root.path == () and [o.method_name for o in root.operations] == ["ping"]


def test_operation_without_id_gets_a_stable_name_from_method_and_path() -> None:
    op = build_api(_op(), CONFIG).api.operations[0]
    assert op.method_name == "get_x" and op.module_name == "get_x"


def test_group_tree_lists_every_intermediate_node() -> None:
    spec = _op(operationId="a", **{"x-fern-sdk-group-name": ["one", "two", "three"]})
    groups = build_api(spec, CONFIG).api.groups
    assert [g.path for g in groups] == [(), ("one",), ("one", "two"), ("one", "two", "three")]
    assert groups[1].children == ("two",)


def test_parameters_are_typed_and_named_in_snake_case() -> None:
    spec = _op(
        operationId="q",
        parameters=[
            {"name": "pageSize", "in": "query", "schema": {"type": "integer"}},
            {
                "name": "tags",
                "in": "query",
                "schema": {"type": "array", "items": {"type": "string"}},
            },
            {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
            {
                "name": "maybe",
                "in": "query",
                "schema": {"anyOf": [{"type": "number"}, {"type": "null"}]},
            },
            {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
        ],
    )
    params = build_api(spec, CONFIG).api.operations[0].parameters
    assert [(p.python_name, p.location, p.type) for p in params] == [
        ("page_size", "query", Prim("int")),
        ("tags", "query", ListOf(Prim("str"))),
        ("mode", "query", ModelRef("QMode")),  # the inline enum, hoisted as a model alias
        ("maybe", "query", UnionOf((Prim("float"), Prim("None")))),
        ("x_trace", "header", Prim("str")),
        ("session", "cookie", Prim("str")),
    ]


def test_required_parameters_come_before_optional_ones() -> None:
    spec = _op(
        operationId="q",
        parameters=[
            {"name": "opt", "in": "query", "schema": {"type": "string"}},
            {"name": "req", "in": "query", "required": True, "schema": {"type": "string"}},
        ],
    )
    params = build_api(spec, CONFIG).api.operations[0].parameters
    assert [(p.name, p.required) for p in params] == [("req", True), ("opt", False)]


def test_path_level_parameters_apply_and_operation_level_ones_override() -> None:
    spec = minimal_spec(
        paths={
            "/x/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "operationId": "g",
                    "responses": {"200": {"description": "OK"}},
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                },
            }
        }
    )
    params = build_api(spec, CONFIG).api.operations[0].parameters
    assert [(p.name, p.type) for p in params] == [("id", Prim("int"))]


def test_auth_header_is_lifted_to_the_client() -> None:
    spec = _op(
        operationId="q",
        parameters=[
            {"name": "X-API-Key", "in": "header", "schema": {"type": "string"}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
        ],
    )
    params = build_api(spec, CONFIG).api.operations[0].parameters
    assert [p.name for p in params] == ["q"]


def test_component_names_become_class_names() -> None:
    spec = minimal_spec()
    spec["components"]["schemas"] = {
        "Foo-Input": {"type": "object"},
        "Body_make_post": {"type": "object"},
        "class": {"type": "object"},
        "BaseModel": {"type": "object"},
    }
    classes = dict(build_api(spec, CONFIG).api.schema_classes)
    assert classes == {
        "Foo-Input": "FooInput",
        "Body_make_post": "BodyMakePost",
        "class": "Class",
        "BaseModel": "BaseModelModel",
    }


def test_two_schemas_that_map_to_one_class_name_get_distinct_stable_names() -> None:
    spec = minimal_spec()
    spec["components"]["schemas"] = {"foo_bar": {"type": "object"}, "FooBar": {"type": "object"}}
    classes = dict(build_api(spec, CONFIG).api.schema_classes)
    # The name that already is a class name keeps it, whatever the order of the schemas.
    assert classes == {"foo_bar": "FooBar2", "FooBar": "FooBar"}
    spec["components"]["schemas"] = {"FooBar": {"type": "object"}, "foo_bar": {"type": "object"}}
    assert dict(build_api(spec, CONFIG).api.schema_classes) == classes


def test_success_response_and_documented_errors() -> None:
    spec = _op(
        operationId="q",
        responses={
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            },
            "404": {"description": "Missing"},
            "422": {
                "description": "Invalid",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        },
    )
    op = build_api(spec, CONFIG).api.operations[0]
    assert (op.success.kind, op.success.type) == ("json", ModelRef("Thing"))
    assert [(e.status, e.error_class, e.body_type) for e in op.errors] == [
        (404, "NotFoundError", None),
        (422, "UnprocessableEntityError", DictOf(Prim("Any"))),
    ]


def test_binary_and_event_stream_and_empty_responses() -> None:
    def kind(content: dict[str, Any] | None, **extra: Any) -> str:
        response: dict[str, Any] = {"description": "OK"}
        if content is not None:
            response["content"] = content
        return (
            build_api(_op(operationId="q", responses={"200": response}, **extra), CONFIG)
            .api.operations[0]
            .success.kind
        )

    assert kind({"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}}) == "bytes"
    assert kind({"audio/mpeg": {}}, **{"x-fern-streaming": True}) == "stream"
    assert kind({"text/event-stream": {"schema": {"type": "string"}}}) == "sse"
    assert kind(None) == "none"


def test_inline_object_response_is_hoisted_into_a_model() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    built = build_api(
        _op(
            operationId="getStats",
            responses={
                "200": {"description": "OK", "content": {"application/json": {"schema": schema}}}
            },
        ),
        CONFIG,
    )
    assert built.api.operations[0].success.type == ModelRef("GetStatsResponse")
    assert built.hoisted == (("GetStatsResponse", schema),)


def test_json_object_body_is_flattened_into_keyword_arguments() -> None:
    spec = minimal_spec(
        paths={
            "/x": {
                "post": {
                    "operationId": "make",
                    "responses": {"200": {"description": "OK"}},
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["name"],
                                    "properties": {
                                        "name": {"type": "string"},
                                        "size": {"type": "integer"},
                                    },
                                }
                            }
                        },
                    },
                }
            }
        }
    )
    body = build_api(spec, CONFIG).api.operations[0].body
    assert body is not None and body.kind == "json"
    assert [(f.python_name, f.required, f.type) for f in body.fields] == [
        ("name", True, Prim("str")),
        ("size", False, Prim("int")),
    ]


def test_multipart_binary_fields_are_files() -> None:
    spec = minimal_spec(
        paths={
            "/x": {
                "post": {
                    "operationId": "upload",
                    "responses": {"200": {"description": "OK"}},
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "file": {"type": "string", "format": "binary"},
                                        "files": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                        },
                                        "name": {"type": "string"},
                                    },
                                }
                            }
                        }
                    },
                }
            }
        }
    )
    body = build_api(spec, CONFIG).api.operations[0].body
    assert body is not None and body.kind == "multipart"
    assert [(f.name, f.is_file) for f in body.fields] == [
        ("file", True),
        ("files", True),
        ("name", False),
    ]


def test_servers_become_environment_members_named_from_config_or_host() -> None:
    spec = minimal_spec(
        servers=[
            {"url": "https://api.example.com"},
            {"url": "https://eu.example.com/v2"},
            {"url": "https://x.example.com", "x-fern-server-name": "Staging"},
        ]
    )
    config = CONFIG.with_overrides(environments=(("https://api.example.com", "Production"),))
    servers = build_api(spec, config).api.servers
    assert [(s.member, s.url) for s in servers] == [
        ("PRODUCTION", "https://api.example.com"),
        ("EU_EXAMPLE_COM", "https://eu.example.com/v2"),
        ("STAGING", "https://x.example.com"),
    ]


def test_two_operations_with_one_method_name_in_a_group_is_a_located_problem_when_strict() -> None:
    spec = minimal_spec(
        paths={
            "/a": {
                "get": {
                    "operationId": "a",
                    "tags": ["t"],
                    "x-fern-sdk-method-name": "same",
                    "responses": {"200": {"description": "OK"}},
                }
            },
            "/b": {
                "get": {
                    "operationId": "b",
                    "tags": ["t"],
                    "x-fern-sdk-method-name": "same",
                    "responses": {"200": {"description": "OK"}},
                }
            },
        }
    )
    problems = build_api(spec, CONFIG.with_overrides(strict=True)).problems
    assert problems == (
        (
            "/paths/~1b/get",
            "method name 'same' in group t is also used by /paths/~1a/get;"
            " set x-fern-sdk-method-name to tell them apart",
        ),
    )


def test_x_fern_ignore_skips_the_operation() -> None:
    built = build_api(_op(operationId="hidden", **{"x-fern-ignore": True}), CONFIG)
    assert built.api.operations == () and built.api.skipped == ("GET /x",)

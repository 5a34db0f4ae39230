"""Repairs (spec/repair.py, spec/paths.py): each defect fixed as documented, with one finding."""

from __future__ import annotations

import copy
from typing import Any

from generator.spec.repair import Finding, repair


def _doc(openapi: str = "3.1.0", **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"openapi": openapi, "info": {"title": "t", "version": "1"}}
    document.update(extra)
    return document


def _schemas(openapi: str = "3.1.0", **schemas: Any) -> dict[str, Any]:
    return _doc(openapi, paths={}, components={"schemas": schemas})


def _only(findings: tuple[Finding, ...]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


def test_string_default_on_an_integer_is_dropped() -> None:
    result = repair(_schemas(N={"type": "integer", "default": "20 - incident_summary"}))
    assert result.document["components"]["schemas"]["N"] == {"type": "integer"}
    finding = _only(result.findings)
    assert (finding.pointer, finding.kind) == ("/components/schemas/N/default", "default-mismatch")


def test_null_default_on_an_object_is_dropped() -> None:
    result = repair(_schemas(O={"type": "object", "default": None}))
    assert "default" not in result.document["components"]["schemas"]["O"]


def test_list_default_on_a_string_is_dropped() -> None:
    result = repair(_schemas(S={"type": "string", "default": ["a"]}))
    assert "default" not in result.document["components"]["schemas"]["S"]


def test_null_default_on_a_nullable_3_0_object_is_kept() -> None:
    result = repair(_schemas("3.0.3", O={"type": "object", "nullable": True, "default": None}))
    assert result.findings == ()


def test_default_outside_the_enum_is_dropped() -> None:
    result = repair(_schemas(E={"type": "string", "enum": ["a"], "default": "b"}))
    assert "default" not in result.document["components"]["schemas"]["E"]


def test_default_of_a_parameter_schema_is_checked() -> None:
    document = _doc(
        paths={},
        components={
            "parameters": {
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "default": "x"},
                }
            }
        },
    )
    finding = _only(repair(document).findings)
    assert finding.pointer == "/components/parameters/limit/schema/default"


def test_boolean_exclusive_minimum_in_3_1_is_read_as_3_0_meant_it() -> None:
    result = repair(_schemas(N={"type": "number", "minimum": 0, "exclusiveMinimum": True}))
    assert result.document["components"]["schemas"]["N"] == {
        "type": "number",
        "exclusiveMinimum": 0,
    }
    assert _only(result.findings).kind == "exclusive-bound-3.0"


def test_false_exclusive_maximum_in_3_1_is_dropped() -> None:
    result = repair(_schemas(N={"type": "number", "maximum": 9, "exclusiveMaximum": False}))
    assert result.document["components"]["schemas"]["N"] == {"type": "number", "maximum": 9}


def test_boolean_exclusive_minimum_in_3_0_is_left_alone() -> None:
    document = _schemas("3.0.3", N={"type": "number", "minimum": 0, "exclusiveMinimum": True})
    assert repair(document).findings == ()


def test_duplicate_required_entries_are_deduplicated() -> None:
    schema = {"type": "object", "properties": {"a": {}}, "required": ["a", "b", "a"]}
    result = repair(_schemas(O=schema))
    assert result.document["components"]["schemas"]["O"]["required"] == ["a", "b"]
    assert _only(result.findings).kind == "required-duplicates"


def test_recursive_anchor_and_ref_are_dropped() -> None:
    schema = {"$recursiveAnchor": True, "properties": {"child": {"$recursiveRef": "#"}}}
    result = repair(_schemas(T=schema))
    assert result.document["components"]["schemas"]["T"] == {"properties": {"child": {}}}
    assert [f.kind for f in result.findings] == ["recursive-ref", "recursive-ref"]


def test_number_written_as_a_string_is_read_as_a_number() -> None:
    result = repair(_schemas(N={"type": "number", "minimum": "1e-08", "default": 0.0001}))
    assert result.document["components"]["schemas"]["N"]["minimum"] == 1e-08
    assert _only(result.findings).kind == "number-as-string"


def test_unknown_type_makes_the_value_untyped() -> None:
    result = repair(_schemas(S={"type": "strin"}))
    assert result.document["components"]["schemas"]["S"] == {}


def test_non_string_server_variable_enum_and_default_are_stringified() -> None:
    servers = [
        {
            "url": "https://{region}.example.com/v{v}",
            "variables": {"v": {"default": 2, "enum": [1, 2]}},
        }
    ]
    result = repair(_doc(paths={}, servers=servers))
    assert result.document["servers"][0]["variables"]["v"] == {"default": "2", "enum": ["1", "2"]}
    assert {f.kind for f in result.findings} == {"server-variable-not-string"}


def _with_parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    operation = {"parameters": [parameter], "responses": {"200": {"description": "OK"}}}
    return _doc(paths={"/a": {"get": operation}})


def test_required_optional_on_a_parameter_is_read_as_not_required() -> None:
    document = _with_parameter({"name": "x", "in": "query", "required": "optional"})
    result = repair(document)
    assert result.document["paths"]["/a"]["get"]["parameters"][0]["required"] is False
    finding = _only(result.findings)
    assert finding.message == (
        "parameter 'x' has required: 'optional', not a boolean; treated as not required"
    )


def test_required_true_as_a_string_on_a_parameter_is_read_as_required() -> None:
    result = repair(_with_parameter({"name": "x", "in": "query", "required": "true"}))
    assert result.document["paths"]["/a"]["get"]["parameters"][0]["required"] is True


def test_parameter_in_an_unknown_location_is_left_out() -> None:
    result = repair(_with_parameter({"name": "x", "in": "body"}))
    assert result.document["paths"]["/a"]["get"]["parameters"] == []


def test_ref_siblings_are_ignored_in_3_0() -> None:
    schema = {"$ref": "#/components/schemas/B", "title": "T", "description": "D"}
    result = repair(_schemas("3.0.3", A=schema, B={"type": "string"}))
    assert result.document["components"]["schemas"]["A"] == {"$ref": "#/components/schemas/B"}
    assert _only(result.findings).strict == "accept"


def test_ref_siblings_are_kept_in_3_1() -> None:
    schema = {"$ref": "#/components/schemas/B", "title": "T"}
    assert repair(_schemas(A=schema, B={"type": "string"})).findings == ()


def test_stray_key_in_a_request_body_content_map_is_left_out() -> None:
    body = {"content": {"application/json": {"schema": {}}, "examples": {"a": {}}}}
    operation = {"requestBody": body, "responses": {"200": {"description": "OK"}}}
    result = repair(_doc(paths={"/a": {"post": operation}}))
    assert list(result.document["paths"]["/a"]["post"]["requestBody"]["content"]) == [
        "application/json"
    ]


def test_empty_path_item_is_left_out() -> None:
    result = repair(_doc(paths={"/a": {}, "/b": {"get": {"responses": {}}}}))
    assert list(result.document["paths"]) == ["/b"]


def test_path_fragment_is_dropped_when_the_methods_do_not_clash() -> None:
    ok = {"responses": {"200": {"description": "OK"}}}
    result = repair(_doc(paths={"/a": {"get": ok}, "/a#other": {"post": ok}}))
    assert result.document["paths"] == {"/a": {"get": ok, "post": ok}}
    assert _only(result.findings).kind == "path-fragment"


def test_express_segment_becomes_a_declared_path_parameter() -> None:
    ok = {"responses": {"200": {"description": "OK"}}}
    result = repair(_doc(paths={"/users/:id": {"get": ok}}))
    item = result.document["paths"]["/users/{id}"]
    assert item["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert _only(result.findings).kind == "express-path"


def test_refs_and_values_inside_x_extensions_are_data() -> None:
    document = _schemas(S={"type": "integer", "x-doc": {"type": "strin", "default": "x"}})
    assert repair(document).findings == ()


def test_the_input_document_is_not_modified() -> None:
    document = _schemas(N={"type": "integer", "default": "x"})
    before = copy.deepcopy(document)
    repair(document)
    assert document == before

"""Normalization: upstream's `type_:` component names become valid names, refs follow."""

from __future__ import annotations

from generator.spec.normalize import normalize


def _doc() -> dict:
    return {
        "openapi": "3.1.0",
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/type_:Foo"}
                                }
                            }
                        }
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "type_:Foo": {
                    "type": "object",
                    "properties": {"bar": {"$ref": "#/components/schemas/type_:Bar"}},
                },
                "type_:Bar": {"type": "string"},
                "Plain": {"type": "integer"},
            }
        },
    }


def test_namespace_prefix_is_dropped_from_component_names() -> None:
    result = normalize(_doc())
    assert list(result.document["components"]["schemas"]) == ["Foo", "Bar", "Plain"]


def test_refs_to_renamed_components_are_rewritten() -> None:
    result = normalize(_doc())
    document = result.document
    response = document["paths"]["/a"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Foo"}
    assert document["components"]["schemas"]["Foo"]["properties"]["bar"] == {
        "$ref": "#/components/schemas/Bar"
    }
    assert result.refs_rewritten == 2


def test_input_document_is_not_modified() -> None:
    original = _doc()
    normalize(original)
    assert "type_:Foo" in original["components"]["schemas"]


def test_each_kind_of_rewrite_is_reported_in_one_line() -> None:
    lines = normalize(_doc()).summary_lines()
    assert lines == [
        "normalize: dropped the namespace prefix 'type_:': renamed 2 component name(s)"
        " (e.g. 'type_:Foo' -> 'Foo') and the $refs to them",
        "normalize: rewrote 2 $ref(s) in all",
    ]


def test_other_invalid_characters_become_underscores() -> None:
    doc = {"components": {"schemas": {"a b": {}, "c": {"$ref": "#/components/schemas/a b"}}}}
    result = normalize(doc)
    assert list(result.document["components"]["schemas"]) == ["a_b", "c"]
    assert result.document["components"]["schemas"]["c"] == {"$ref": "#/components/schemas/a_b"}
    assert result.rewrites[0].kind == "replaced characters outside [a-zA-Z0-9._-] with '_'"


def test_a_rename_onto_an_existing_name_is_a_conflict_not_an_overwrite() -> None:
    doc = {"components": {"schemas": {"type_:Foo": {"type": "string"}, "Foo": {"type": "integer"}}}}
    result = normalize(doc)
    assert result.conflicts == (
        (
            "/components/schemas/type_:Foo",
            "component 'type_:Foo' would be renamed to 'Foo', which already exists",
        ),
    )
    assert result.document["components"]["schemas"]["Foo"] == {"type": "integer"}


def test_valid_documents_pass_through_unchanged() -> None:
    doc = {"components": {"schemas": {"Foo": {"type": "string"}}}}
    result = normalize(doc)
    assert result.document is doc
    assert result.summary_lines() == []

"""Models the type checker accepts where the spec's schemas would give clashing fields:

- an allOf whose members declare one property with different schemas (PagerDuty's
  `AcknowledgeLogEntry.type`, Asana's `PlaceholderRateCompact.assignee`) is merged into one class;
  a base without a conflict stays a base, and an allOf without one keeps its inheritance;
- an inline allOf member whose anyOf options only add `required` (Lob's "name or company")
  merges the whole allOf, so the options apply to one class each;
- `propertyNames` (Mistral's metadata) leaves the keys `str`, not a `constr(...)` call; one that
  names a schema (an enum) keeps it as the key type.
"""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from tests.test_features_common import Generated, generate_package, json_response, ref


def _get(name: str, schema: str) -> dict[str, Any]:
    return {"get": {"operationId": name, "responses": {"200": json_response(ref(schema))}}}


def _spec() -> dict[str, Any]:
    string = {"type": "string"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Clashes", "version": "1"},
        "paths": {
            "/ack": _get("getAck", "Ack"),
            "/kept": _get("getKept", "Kept"),
            "/address": _get("getAddress", "Address"),
            "/labels": _get("getLabels", "Labels"),
        },
        "components": {
            "schemas": {
                "Tag": {"allOf": [{"type": "object", "properties": {"id": string}}]},
                "Other": {"type": "object", "properties": {"note": string}},
                "Entry": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Tag/allOf/0"},
                        {
                            "type": "object",
                            "properties": {"type": {"type": "string", "enum": ["ack", "note"]}},
                        },
                    ]
                },
                "Ack": {
                    "description": "An acknowledgement.",
                    "allOf": [
                        ref("Entry"),
                        ref("Other"),
                        {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"type": "string", "enum": ["acknowledgement"]},
                                "timeout": {"type": "integer"},
                            },
                        },
                    ],
                },
                "Kept": {
                    "allOf": [
                        ref("Entry"),
                        {
                            "type": "object",
                            "properties": {
                                "type": {
                                    "type": "string",
                                    "enum": ["ack", "note"],
                                    "description": "The same schema, described again.",
                                },
                                "extra": string,
                            },
                        },
                    ]
                },
                "Base": {
                    "type": "object",
                    "required": ["object"],
                    "properties": {"object": string, "created": string},
                },
                "Address": {
                    "allOf": [
                        ref("Base"),
                        {
                            "type": "object",
                            "required": ["line"],
                            "anyOf": [{"required": ["name"]}, {"required": ["company"]}],
                            "properties": {
                                "object": {"type": "string", "enum": ["address"]},
                                "line": string,
                                "name": {"type": "string", "nullable": True},
                                "company": {"type": "string", "nullable": True},
                            },
                        },
                    ]
                },
                "Labels": {
                    "type": "object",
                    "properties": {
                        "metadata": {
                            "type": "object",
                            "propertyNames": {"minLength": 1, "maxLength": 32},
                            "additionalProperties": string,
                        },
                        "by_kind": {
                            "type": "object",
                            "propertyNames": ref("Kind"),
                            "additionalProperties": string,
                        },
                    },
                },
                "Kind": {"type": "string", "enum": ["a", "b"]},
            }
        },
    }


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(
        request, tmp_path_factory.mktemp("clashes"), _spec(), "field_conflicts", auth=None
    )


def test_the_models_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy() == ""


def test_a_conflicting_base_is_merged_and_the_later_definition_wins(generated: Generated) -> None:
    models = generated.load("models")
    ack = models.Ack.model_validate({"id": "a1", "type": "acknowledgement", "note": "n"})
    assert (ack.id, ack.type, ack.note) == ("a1", "acknowledgement", "n")
    assert issubclass(models.Ack, models.Other), "the base without a conflict stays a base"
    assert not issubclass(models.Ack, models.Entry)
    with pytest.raises(pydantic.ValidationError):
        models.Ack.model_validate({"type": "ack"})
    warned = [n for n in generated.notes if "allOf members declare a property" in n]
    assert len(warned) == 2 and "(at /components/schemas/Ack)" in warned[0]
    assert "(at /components/schemas/Address)" in warned[1]


def test_an_allof_without_a_conflict_keeps_its_inheritance(generated: Generated) -> None:
    models = generated.load("models")
    assert issubclass(models.Kept, models.Entry)


def test_required_only_options_give_one_class_each(generated: Generated) -> None:
    models = generated.load("models")
    adapter = pydantic.TypeAdapter(models.Address)
    named = adapter.validate_python({"object": "address", "line": "1 Main St", "name": "Ann"})
    assert (named.object, named.name, named.company) == ("address", "Ann", None)
    # Neither option fits (no line): the union is open, so the value is kept as received.
    unfit = adapter.validate_python({"object": "address", "name": "Ann"})
    assert type(unfit).__name__.startswith("Unknown") and unfit.raw == {
        "object": "address",
        "name": "Ann",
    }


def test_property_names_leave_the_keys_str(generated: Generated) -> None:
    source = generated.file("models/labels.py")
    assert "constr" not in source and "metadata: dict[str, str]" in source
    # A named schema stays the key type (open to values added since, as every enum).
    assert "by_kind: dict[Kind | UnknownStr, str]" in source
    labels = generated.load("models").Labels.model_validate({"metadata": {"k": "v"}})
    assert labels.metadata == {"k": "v"}

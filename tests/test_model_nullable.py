"""OpenAPI 3.0's `nullable` is honoured on required properties and array items too (Lob's
`Postcard.front_template_id` is required and nullable: Prism's example has null there)."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from tests.test_features_common import Generated, generate_package, json_response, ref


def _spec() -> dict[str, Any]:
    nullable = {"type": "string", "nullable": True, "pattern": "^tmpl_"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Nulls", "version": "1"},
        "paths": {
            "/card": {
                "get": {"operationId": "getCard", "responses": {"200": json_response(ref("Card"))}}
            }
        },
        "components": {
            "schemas": {
                "Card": {
                    "type": "object",
                    "required": ["template_id", "tags"],
                    "properties": {
                        "template_id": nullable,
                        "tags": {"type": "array", "items": {"type": "integer", "nullable": True}},
                        "note": {"type": "string", "nullable": True},
                    },
                }
            }
        },
    }


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("nulls"), _spec(), "nullable_models")


def test_required_nullable_properties_and_items_take_null(generated: Generated) -> None:
    card = generated.load("models").Card
    value = card.model_validate({"template_id": None, "tags": [1, None]})
    assert (value.template_id, value.tags, value.note) == (None, [1, None], None)
    with pytest.raises(pydantic.ValidationError):
        card.model_validate({"tags": []})  # still required
    with pytest.raises(pydantic.ValidationError):
        card.model_validate({"template_id": "nope", "tags": []})  # the pattern still applies
    assert generated.mypy() == ""


def test_object_keywords_beside_a_union_apply_to_its_object_option(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Lob's return_envelope: `false`, or an object with these properties.
    spec = _spec()
    spec["components"]["schemas"]["Card"]["properties"]["envelope"] = {
        "oneOf": [{"type": "boolean"}, {"type": "object"}],
        "properties": {"id": {"type": "string"}},
    }
    generated = generate_package(request, tmp_path_factory.mktemp("union"), spec, "union_models")
    card = generated.load("models").Card
    assert (
        card.model_validate({"template_id": None, "tags": [], "envelope": False}).envelope is False
    )
    envelope = card.model_validate({"template_id": None, "tags": [], "envelope": {"id": "e"}})
    assert envelope.envelope.id == "e"
    assert generated.mypy() == ""

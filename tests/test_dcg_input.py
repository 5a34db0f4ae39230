"""What datamodel-code-generator reads: nothing in the spec steers it, and what it says is placed
in the spec as a warning of ours."""

from __future__ import annotations

import copy
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from generator.models import ModelSet, dcg_input, descriptions, said
from generator.models import step as models_step
from generator.models.document import DCG_KEYS
from generator.pipeline import generate
from generator.spec import load_spec, normalize
from tests.support.generation import config_for, minimal_spec, write_spec

SIZE = "/components/schemas/Thing/properties/size"


def _spec_with(key: str, value: Any, where: str = "size") -> dict[str, Any]:
    spec = minimal_spec()
    spec["components"]["schemas"]["Thing"]["properties"][where][key] = value
    return spec


def _models(tmp_path: Path, spec: dict[str, Any]) -> tuple[ModelSet, Any]:
    """The models step as the pipeline runs it, and the loaded spec (to place warnings)."""
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)
    source = load_spec(config.spec, display=config.spec.name, max_bytes=config.max_spec_bytes)
    document = normalize(source.data).document
    built = build_api(document, config)
    classes = dict(built.api.schema_classes)
    expected = [*classes.values(), *(n for n, _ in built.hoisted)]
    _, model_set, missing, _ = models_step.run(
        None,
        dcg_input(document, classes, built.hoisted),
        expected,
        descriptions(document, classes, built.hoisted),
    )
    assert not missing
    return model_set, source


def _thing(model_set: ModelSet) -> str:
    return next(m.source for m in model_set.modules if "Thing" in m.names)


INSTRUCTIONS = [
    ("default_factory", "os.getcwd"),
    ("default_factory", "list"),
    ("customTypePath", "os.system"),
    ("customBasePath", "os.PathLike"),
    ("is_boolean_schema_false", True),
    ("__python_field_overrides", {"size": "os.system"}),
    ("#-datamodel-code-generator-#-extras-#-special-#", {"default_factory": "dict"}),
    ("x-python-type", "os.PathLike"),
    ("x-python-import", {"module": "os", "name": "system"}),
    ("x-is-base-class", True),
    ("x-datamodel-code-generator-read-as-const", True),
]


@pytest.mark.parametrize(("key", "value"), INSTRUCTIONS)
def test_a_key_datamodel_code_generator_obeys_is_dropped_with_a_located_warning(
    tmp_path: Path, key: str, value: Any
) -> None:
    model_set, source = _models(tmp_path, _spec_with(key, value))

    assert "size: int | None = None" in _thing(model_set)
    assert "os" not in _thing(model_set).replace("Thing model", "")
    pointer = SIZE + "/" + key.replace("~", "~0").replace("/", "~1")
    assert [p for p, _ in model_set.warnings] == [pointer]
    placed = source.diagnostic(pointer, model_set.warnings[0][1])
    assert placed.line is not None
    assert placed.line > 1
    assert "ignored" in placed.render()


@pytest.mark.parametrize(("key", "value"), [("customBasePath", "os.PathLike"), *INSTRUCTIONS])
def test_a_key_datamodel_code_generator_obeys_on_a_model_schema_is_dropped(
    tmp_path: Path, key: str, value: Any
) -> None:
    spec = minimal_spec()
    spec["components"]["schemas"]["Thing"][key] = value

    model_set, _ = _models(tmp_path, spec)

    assert "class Thing(OpenModel):" in _thing(model_set)  # no base class of the spec's
    assert [p for p, _ in model_set.warnings] == [
        "/components/schemas/Thing/" + key.replace("~", "~0").replace("/", "~1")
    ]


def test_a_default_factory_in_a_nested_schema_is_located_there(tmp_path: Path) -> None:
    spec = minimal_spec()
    spec["components"]["schemas"]["Thing"]["properties"]["tags"] = {
        "type": "array",
        "items": {"type": "string", "default_factory": "list"},
    }

    model_set, _ = _models(tmp_path, spec)

    pointer = "/components/schemas/Thing/properties/tags/items/default_factory"
    assert [p for p, _ in model_set.warnings] == [pointer]


def test_a_default_factory_in_an_inline_response_schema_is_located_there(tmp_path: Path) -> None:
    spec = minimal_spec()
    content = spec["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["content"]
    content["application/json"]["schema"] = {
        "type": "object",
        "properties": {"n": {"type": "integer", "default_factory": "dict"}},
    }

    model_set, _ = _models(tmp_path, spec)

    where = "/paths/~1things~1{thing_id}/get/responses/200/content/application~1json/schema"
    assert [p for p, _ in model_set.warnings] == [f"{where}/properties/n/default_factory"]


def test_a_property_named_like_an_instruction_is_a_property(tmp_path: Path) -> None:
    spec = minimal_spec()
    spec["components"]["schemas"]["Thing"]["properties"]["default_factory"] = {"type": "string"}

    model_set, _ = _models(tmp_path, spec)

    assert "default_factory: str | None = None" in _thing(model_set)
    assert model_set.warnings == ()


def test_a_spec_with_a_default_factory_generates(tmp_path: Path) -> None:
    spec = _spec_with("default_factory", "not one of dict, list, set")
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)

    result = generate(config, full=True)

    assert "size: int | None = None" in result.files["tiny_client/models/thing.py"]


def test_every_key_datamodel_code_generator_reads_that_is_not_json_schema_is_dropped() -> None:
    """Fails when an upgrade of datamodel-code-generator reads a new key of its own."""
    from datamodel_code_generator.parser._schema_object import (
        DEFAULT_FIELD_KEYS,
        JsonSchemaObject,
    )

    read = {f.alias or name for name, f in JsonSchemaObject.model_fields.items()}
    read |= DEFAULT_FIELD_KEYS
    standard = set(_JSON_SCHEMA_AND_OPENAPI.split())
    own = {key for key in read - standard if not key.startswith(("x-", "#-datamodel"))}

    assert own <= DCG_KEYS


_JSON_SCHEMA_AND_OPENAPI = """
items additionalItems prefixItems uniqueItems type format pattern minLength maxLength minimum
maximum minItems maxItems minProperties maxProperties multipleOf exclusiveMaximum
exclusiveMinimum additionalProperties unevaluatedProperties unevaluatedItems patternProperties
propertyNames oneOf anyOf allOf enum writeOnly readOnly properties required $ref $recursiveRef
$recursiveAnchor $dynamicRef $dynamicAnchor nullable description title example examples default
$id $anchor discriminator const deprecated contentEncoding contentMediaType contentSchema
externalDocs xml
"""


def test_an_unknown_format_is_a_warning_at_the_schema_not_a_raw_user_warning(
    tmp_path: Path,
) -> None:
    spec = _spec_with("format", "uriref")
    spec["components"]["schemas"]["Thing"]["properties"]["size"]["type"] = "string"

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model_set, source = _models(tmp_path, spec)

    assert [p for p, _ in model_set.warnings] == [SIZE]
    assert "'uriref'" in model_set.warnings[0][1]
    rendered = source.diagnostic(*model_set.warnings[0]).render()
    assert "site-packages" not in rendered
    assert rendered.startswith("openapi.yaml:")


def test_an_unknown_format_is_located_at_every_schema_using_it(tmp_path: Path) -> None:
    spec = minimal_spec()
    properties = spec["components"]["schemas"]["Thing"]["properties"]
    properties["a"] = {"type": "string", "format": "uriref"}
    properties["b"] = {"type": "array", "items": {"type": "string", "format": "uriref"}}

    model_set, _ = _models(tmp_path, spec)

    thing = "/components/schemas/Thing/properties"
    assert [p for p, _ in model_set.warnings] == [f"{thing}/a", f"{thing}/b/items"]


def test_what_datamodel_code_generator_said_survives_its_cache(tmp_path: Path) -> None:
    spec = _spec_with("format", "uriref")
    spec["components"]["schemas"]["Thing"]["properties"]["size"]["type"] = "string"
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)
    source = load_spec(config.spec, display="openapi.yaml", max_bytes=config.max_spec_bytes)
    built = build_api(source.data, config)
    classes = dict(built.api.schema_classes)
    model_document = dcg_input(source.data, classes, built.hoisted)
    code, first, _, _ = models_step.run(None, copy.deepcopy(model_document), ["Thing"], {})

    _, again, _, _ = models_step.run(code, model_document, ["Thing"], {})

    assert again.warnings == first.warnings
    assert again.warnings
    assert again.modules == first.modules


def test_a_warning_naming_a_place_in_the_model_document_is_placed_in_the_spec() -> None:
    model_document = {"x-origins": {"Thing": "/paths/~1things/get/responses/200/schema"}}
    message = "<dict>#/components/schemas/Thing/properties/m: one dict type cannot express this"

    placed = said.place([message], model_document)

    assert placed == [
        (
            "/paths/~1things/get/responses/200/schema/properties/m",
            f"the model generator warns: {message}",
        )
    ]


def test_a_warning_naming_no_place_is_kept_without_one() -> None:
    message = "allOf combines $ref with 1 constraint(s) that will be ignored"

    assert said.place([message], {}) == [(None, f"the model generator warns: {message}")]


def test_a_warning_that_is_not_a_user_warning_is_passed_on() -> None:
    def deprecated() -> int:
        warnings.warn("old", DeprecationWarning, stacklevel=1)
        warnings.warn("said", UserWarning, stacklevel=1)
        return 1

    with pytest.warns(DeprecationWarning, match="old"):
        result, messages = said.capture(deprecated)

    assert (result, messages) == (1, ["said"])


def test_a_warning_raised_before_in_this_process_is_caught_again() -> None:
    def say() -> None:
        warnings.warn("again", UserWarning, stacklevel=1)

    first = said.capture(say)

    assert said.capture(say) == first == (None, ["again"])


def test_the_model_warnings_are_printed_located_by_generate(tmp_path: Path) -> None:
    spec = _spec_with("default_factory", "list")
    spec["components"]["schemas"]["Thing"]["properties"]["link"] = {
        "type": "string",
        "format": "uriref",
    }
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)
    lines: list[str] = []

    generate(config, lines.append, full=True)

    warned = [line for line in lines if ": warning: " in line]
    assert len(warned) == 2
    assert all(line.startswith("openapi.yaml:") for line in warned)
    assert any(f"(at {SIZE}/default_factory)" in line for line in warned)
    assert any("(at /components/schemas/Thing/properties/link)" in line for line in warned)


def test_deprecated_stays_on_a_property_and_leaves_an_alias(tmp_path: Path) -> None:
    """pydantic honours `deprecated` on a model field only; elsewhere it warns at import."""
    spec = _spec_with("deprecated", True)
    spec["components"]["schemas"]["Tier"] = {"type": "string", "deprecated": True}
    spec["components"]["schemas"]["Thing"]["properties"]["tier"] = {
        "$ref": "#/components/schemas/Tier"
    }
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)

    files = generate(config, full=True).files

    assert "deprecated=True" in files["tiny_client/models/thing.py"]
    assert "deprecated" not in files["tiny_client/models/tier.py"]


def test_a_model_using_a_deprecated_alias_imports_without_a_pydantic_warning(
    tmp_path: Path,
) -> None:
    spec = minimal_spec()
    spec["components"]["schemas"]["Tier"] = {"type": "string", "deprecated": True}
    spec["components"]["schemas"]["Thing"]["properties"]["tier"] = {
        "$ref": "#/components/schemas/Tier"
    }
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)
    generate(config)
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import tiny_client.models.thing"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr

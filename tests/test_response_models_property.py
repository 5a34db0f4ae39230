"""Every response model of the full ElevenLabs spec takes what the API may add (issue 15): a
valid payload, with unknown fields and unknown enum values added at every level, decodes as a
client decodes a response body and round-trips through `model_dump()`.

Payloads are built from each model's own `model_json_schema()` by `PayloadBuilder`, a small
deterministic example builder: required properties only, the first option of a union, the
first value of an enum; an open enum (`Literal[...] | UnknownStr`, `anyOf` an enum and a plain
string) gets a value the spec does not list, and every object of a model gets a field it does
not list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.generation import REPO
from tests.support.schema_values import _from_pattern

pytestmark = pytest.mark.slow

PACKAGE = "elevenlabs_forward"
UNKNOWN_VALUE = "zz-value-added-later"
UNKNOWN_INT = 987654
UNKNOWN_FIELD = "zz_field_added_later"
UNKNOWN_FIELD_VALUE = {"nested": [1, "two", None], "flag": True}
FORMATS = {
    "date-time": "2020-01-02T03:04:05Z",
    "date": "2020-01-02",
    "time": "03:04:05",
    "uuid": "12345678-1234-5678-1234-567812345678",
    "uri": "https://example.test/x",
    "email": "a@example.test",
    "binary": "AAEC",
    "byte": "AAEC",
}
MIN_VALUES = 200
"""Unknown enum values put in across all payloads (261 when this was written; only required fields are built)."""
MIN_CHECKED = 940
"""Of the 947 model classes the spec's responses use, all were checked when this was written;
a few may be skipped (a pattern or recursion the builder cannot satisfy) but no more."""


class CannotBuild(Exception):
    """The builder has no value for this schema (a pattern, a recursion without end)."""


class PayloadBuilder:
    """JSON values for one model's JSON Schema (pydantic's, with `$defs`), grown as a newer
    API would send them; `values` and `fields` count the unknown enum values and fields
    put in."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.root = schema
        self.values = 0
        self.fields = 0

    def value(self, schema: Any, depth: int = 0) -> Any:
        if depth > 30:
            raise CannotBuild("recursion without end")
        if not isinstance(schema, dict) or not schema:
            return {"any": 1}
        if "$ref" in schema:
            return self.value(self.defs[schema["$ref"].rsplit("/", 1)[1]], depth + 1)
        if "const" in schema:
            return schema["const"]
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            return self._option(options, depth, schema.get("discriminator"))
        if "allOf" in schema:
            return self.value(schema["allOf"][0], depth + 1)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or "properties" in schema:
            return self._object(schema, depth)
        if kind == "array" and "prefixItems" in schema:
            return [self.value(item, depth + 1) for item in schema["prefixItems"]]
        if kind == "array":
            count = max(schema.get("minItems", 1), 1)
            items = [self.value(schema.get("items", {}), depth + 1) for _ in range(count)]
            return items if not schema.get("uniqueItems") else items[:1]
        if kind == "string":
            if "pattern" in schema:
                built = _from_pattern(schema["pattern"], schema.get("minLength", 0))
                if built is None:
                    raise CannotBuild(f"pattern {schema['pattern']!r}")
                return built
            text = FORMATS.get(schema.get("format", ""), "text")
            low, high = schema.get("minLength", 0), schema.get("maxLength")
            text = text.ljust(low, "x")
            return text if high is None else text[:high]
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
            number = max(low + (1 if "exclusiveMinimum" in schema else 0), 1)
            if "maximum" in schema:
                number = min(number, schema["maximum"])
            return int(number) if kind == "integer" else float(number)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return {"any": 1}

    def _option(
        self, options: list[Any], depth: int, discriminator: dict[str, Any] | None = None
    ) -> Any:
        plain = [o for o in options if o.get("type") in ("string", "integer") and len(o) <= 2]
        closed = [o for o in options if "enum" in o or "const" in o or "$ref" in o]
        if plain and closed and self._is_enum(closed[0]):
            self.values += 1
            return UNKNOWN_VALUE if plain[0]["type"] == "string" else UNKNOWN_INT
        problems = []
        for tag, target in (discriminator or {}).get("mapping", {}).items():
            try:
                member = self.value({"$ref": target}, depth + 1)
            except CannotBuild as problem:
                problems.append(str(problem))
            else:
                return {**member, discriminator["propertyName"]: tag}
        for option in options:
            if option.get("type") == "null":
                continue
            try:
                return self.value(option, depth + 1)
            except CannotBuild as problem:
                problems.append(str(problem))
        raise CannotBuild("; ".join(problems) or "only null")

    def _is_enum(self, schema: dict[str, Any]) -> bool:
        if "$ref" in schema:
            schema = self.defs[schema["$ref"].rsplit("/", 1)[1]]
        return "enum" in schema or "const" in schema

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties", {})
        data = {
            name: self.value(properties[name], depth + 1)
            for name in schema.get("required", [])
            if name in properties
        }
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            for index in range(schema.get("minProperties", 0)):
                data[f"key{index}"] = self.value(values, depth + 1)
        if properties and values in (None, True):
            self.fields += 1
            data[UNKNOWN_FIELD] = UNKNOWN_FIELD_VALUE
        return data


@pytest.fixture(scope="module")
def elevenlabs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    out = tmp_path_factory.mktemp("elevenlabs") / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--spec",
            "examples/specs/elevenlabs-openapi.json",
            "--overlay",
            "examples/elevenlabs.overlay.yaml",
            "--out",
            str(out),
            "--package",
            PACKAGE,
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(out))
    try:
        import importlib

        yield importlib.import_module(f"{PACKAGE}.models"), out
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _response_models(out: Path) -> list[str]:
    models = json.loads((out / "surface.json").read_text(encoding="utf-8"))["models"]
    return sorted(
        name
        for name, model in models.items()
        if "response" in model.get("used_in", ()) and model.get("fields") is not None
    )


def test_every_response_model_decodes_what_the_api_added_and_round_trips(
    elevenlabs: tuple[ModuleType, Path],
) -> None:
    models, out = elevenlabs
    names = _response_models(out)
    checked, values, fields = 0, 0, 0
    skipped: dict[str, str] = {}
    failed: dict[str, str] = {}
    for name in names:
        model = getattr(models, name)
        builder = PayloadBuilder(model.model_json_schema())
        try:
            payload = builder.value(builder.root)
        except CannotBuild as problem:
            skipped[name] = str(problem)
            continue
        text = json.dumps(payload)
        try:
            decoded = model.model_validate_json(text)  # as the client decodes a body
            dumped = decoded.model_dump(mode="json", by_alias=True, exclude_unset=True)
            again = model.model_validate_json(json.dumps(dumped))
        except Exception as error:  # collected, reported together
            failed[name] = f"{type(error).__name__}: {error}"[:400]
            continue
        if dumped != payload or again != decoded:
            failed[name] = f"round trip differs: {json.dumps(dumped)[:300]} != {text[:300]}"
            continue
        checked += 1
        values += builder.values
        fields += builder.fields
    assert not failed, "\n".join(f"{n}: {p}" for n, p in sorted(failed.items())[:20])
    assert checked >= MIN_CHECKED, (checked, len(names), skipped)
    assert fields >= checked  # every model got at least its own unknown field
    assert values >= MIN_VALUES, values

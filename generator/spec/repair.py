"""Repair: defects of real-world specs that later steps would choke on, fixed with a finding each.

Pure: the input is not modified. Each `Finding` names its kind (a short stable code, for
grouping), says what was done instead, and tells --strict how to treat it (see `Finding.strict`).
Values under `x-` keys, `example(s)`, `default`, `const` and `enum` are data and never looked into.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..diagnostics import join_pointer
from .finding import Finding, Strictness
from .paths import repair_paths

__all__ = ["Finding", "Repaired", "repair"]

_SCHEMA_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})
_NUMERIC_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
)
# Keys whose value is one schema, a list of schemas, or a map of names to schemas.
_ONE_SCHEMA = ("items", "not", "additionalProperties", "contains", "propertyNames", "if", "then")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LOCATIONS = frozenset({"query", "header", "path", "cookie"})
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Repaired:
    document: dict[str, Any]
    findings: tuple[Finding, ...]


def repair(document: dict[str, Any]) -> Repaired:
    """The document with every known defect repaired, and one finding per repair."""
    copy: dict[str, Any] = json.loads(json.dumps(document))
    v30 = str(copy.get("openapi", "")).startswith("3.0.")
    findings = list(repair_paths(copy))
    findings += _Schemas(v30).walk_document(copy)
    findings += _parameters(copy)
    findings += _servers(copy)
    findings += _request_bodies(copy)
    if not findings:
        return Repaired(document, ())
    return Repaired(copy, tuple(findings))


class _Schemas:
    """Walks every schema of the document, repairing each in place."""

    def __init__(self, v30: bool) -> None:
        self.v30 = v30
        self.findings: list[Finding] = []

    def walk_document(self, document: dict[str, Any]) -> list[Finding]:
        self._walk(document, "", in_schema=False)
        return self.findings

    def _walk(self, node: Any, at: str, *, in_schema: bool) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._walk(item, f"{at}/{index}", in_schema=False)
            return
        if not isinstance(node, dict):
            return
        if in_schema:
            self._schema(node, at)
            return
        for key, value in node.items():
            if key.startswith("x-") or key in ("example", "examples", "default", "enum", "const"):
                continue
            here = at + join_pointer(key)
            if key == "schema":
                self._walk(value, here, in_schema=True)
            elif key == "schemas" and at == "/components" and isinstance(value, dict):
                for name, schema in value.items():
                    self._walk(schema, here + join_pointer(name), in_schema=True)
            else:
                self._walk(value, here, in_schema=False)

    def note(self, at: str, kind: str, message: str, strict: Strictness) -> None:
        self.findings.append(Finding(at, kind, message, strict))

    def _schema(self, schema: dict[str, Any], at: str) -> None:
        self._ref_siblings(schema, at)
        self._recursive(schema, at)
        self._numeric_keywords(schema, at)
        self._exclusive_bounds(schema, at)
        self._unknown_type(schema, at)
        self._required(schema, at)
        self._default(schema, at)
        for key in _ONE_SCHEMA:
            if isinstance(schema.get(key), dict):
                self._schema(schema[key], at + join_pointer(key))
        for key in _SCHEMA_LISTS:
            options = schema.get(key)
            if isinstance(options, list):
                for index, option in enumerate(options):
                    if isinstance(option, dict):
                        self._schema(option, at + join_pointer(key, index))
        for key in _SCHEMA_MAPS:
            members = schema.get(key)
            if isinstance(members, dict):
                for name, member in members.items():
                    if isinstance(member, dict):
                        self._schema(member, at + join_pointer(key, name))

    def _ref_siblings(self, schema: dict[str, Any], at: str) -> None:
        if not (self.v30 and isinstance(schema.get("$ref"), str)):
            return
        ignored = sorted(k for k in schema if k != "$ref" and not k.startswith("x-"))
        if ignored:
            for key in ignored:
                del schema[key]
            self.note(
                at,
                "ref-siblings-3.0",
                f"{', '.join(ignored)} beside $ref ignored, as OpenAPI 3.0 says",
                "accept",
            )

    def _recursive(self, schema: dict[str, Any], at: str) -> None:
        if "$recursiveAnchor" in schema:
            del schema["$recursiveAnchor"]
            self.note(
                at + "/$recursiveAnchor",
                "recursive-ref",
                "$recursiveAnchor (JSON Schema 2019-09, not OpenAPI 3.1's dialect) ignored",
                "error",
            )
        if "$recursiveRef" in schema:
            del schema["$recursiveRef"]
            self.note(
                at + "/$recursiveRef",
                "recursive-ref",
                "$recursiveRef (JSON Schema 2019-09, not OpenAPI 3.1's dialect) ignored;"
                " the value is untyped",
                "error",
            )

    def _numeric_keywords(self, schema: dict[str, Any], at: str) -> None:
        for key in _NUMERIC_KEYWORDS:
            value = schema.get(key)
            if isinstance(value, str) and _NUMBER.match(value.strip()):
                number = float(value)
                schema[key] = int(number) if number.is_integer() and "." not in value else number
                self.note(
                    at + join_pointer(key),
                    "number-as-string",
                    f"{key} is the string {value!r}, not a number (YAML 1.1 reads 1e-08 without a"
                    f" '.' as a string); read as {schema[key]!r}",
                    "error",
                )

    def _exclusive_bounds(self, schema: dict[str, Any], at: str) -> None:
        for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = schema.get(exclusive)
            if self.v30 or not isinstance(value, bool):
                continue
            where = at + join_pointer(exclusive)
            if value and isinstance(schema.get(bound), int | float):
                schema[exclusive] = schema.pop(bound)
                done = f"read as OpenAPI 3.0 meant it: {exclusive}: {schema[exclusive]!r}"
            else:
                del schema[exclusive]
                done = "read as OpenAPI 3.0 meant it (no exclusive bound)"
            self.note(
                where,
                "exclusive-bound-3.0",
                f"{exclusive} is a boolean (OpenAPI 3.0), not a number (3.1); {done}",
                "validator",
            )

    def _unknown_type(self, schema: dict[str, Any], at: str) -> None:
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "type" in schema and not all(isinstance(k, str) and k in _SCHEMA_TYPES for k in kinds):
            del schema["type"]
            self.note(
                at + "/type",
                "unknown-type",
                f"type {kind!r} is not a JSON Schema type; the value is untyped",
                "validator",
            )

    def _required(self, schema: dict[str, Any], at: str) -> None:
        required = schema.get("required")
        if "required" not in schema or (
            isinstance(required, list) and len(set(map(str, required))) == len(required)
        ):
            return
        if not isinstance(required, list):
            del schema["required"]
            self.note(
                at + "/required",
                "schema-required-not-list",
                f"a schema's required is {required!r}, not a list of property names; ignored",
                "validator",
            )
            return
        unique = list(dict.fromkeys(r for r in required if isinstance(r, str)))
        schema["required"] = unique
        self.note(
            at + "/required",
            "required-duplicates",
            "required lists a property more than once (or a non-string); de-duplicated",
            "validator",
        )

    def _default(self, schema: dict[str, Any], at: str) -> None:
        if "default" not in schema or "$ref" in schema:
            return
        default = schema["default"]
        reason = _mismatch(schema, default, self.v30)
        if reason is not None:
            del schema["default"]
            self.note(
                at + "/default",
                "default-mismatch",
                f"default {_short(default)} {reason}; the default is ignored",
                "validator",
            )


def _mismatch(schema: dict[str, Any], value: Any, v30: bool) -> str | None:
    """Why `value` cannot be a value of `schema` (its type and enum only); None when it can be."""
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()
    if kinds and value is None and ((schema.get("nullable") is True and v30) or "null" in kinds):
        return None
    if kinds and not any(_is(value, k) for k in kinds):
        return f"is not of type {' or '.join(sorted(kinds))}"
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum and not (value is None and None in enum):
        return "is not one of the schema's enum values"
    return None


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(
        value,
        {"string": str, "boolean": bool, "array": list, "object": dict, "null": type(None)}.get(
            kind, object
        ),
    )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _path_items(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    paths = document.get("paths")
    if isinstance(paths, dict):
        for path, item in paths.items():
            if isinstance(item, dict):
                yield join_pointer("paths", path), item


def _parameter_lists(document: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    for base, item in _path_items(document):
        if isinstance(item.get("parameters"), list):
            yield base + "/parameters", item["parameters"]
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and isinstance(operation.get("parameters"), list):
                yield f"{base}/{method}/parameters", operation["parameters"]


def _parameters(document: dict[str, Any]) -> Iterator[Finding]:
    components = document.get("components")
    shared = components.get("parameters") if isinstance(components, dict) else None
    if isinstance(shared, dict):
        for name, parameter in shared.items():
            if isinstance(parameter, dict):
                yield from _parameter(parameter, join_pointer("components", "parameters", name))
    for at, parameters in _parameter_lists(document):
        kept = []
        for index, parameter in enumerate(parameters):
            where = f"{at}/{index}"
            if isinstance(parameter, dict) and "$ref" not in parameter:
                location = parameter.get("in")
                if location not in _LOCATIONS:
                    yield Finding(
                        where + "/in",
                        "parameter-location",
                        f"parameter {parameter.get('name')!r} is in {location!r}, which is not"
                        " query, header, path or cookie; the parameter is left out",
                        "validator",
                    )
                    continue
                yield from _parameter(parameter, where)
            kept.append(parameter)
        parameters[:] = kept


def _parameter(parameter: dict[str, Any], at: str) -> Iterator[Finding]:
    required = parameter.get("required")
    if "required" in parameter and not isinstance(required, bool):
        meant = isinstance(required, str) and required.strip().lower() == "true"
        parameter["required"] = meant
        yield Finding(
            at + "/required",
            "parameter-required-not-boolean",
            f"parameter {parameter.get('name')!r} has required: {required!r}, not a boolean;"
            f" treated as {'required' if meant else 'not required'}",
            "validator",
        )


def _servers(document: dict[str, Any]) -> Iterator[Finding]:
    lists: list[tuple[str, Any]] = [("/servers", document.get("servers"))]
    for base, item in _path_items(document):
        lists.append((base + "/servers", item.get("servers")))
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                lists.append((f"{base}/{method}/servers", operation.get("servers")))
    for at, servers in lists:
        if not isinstance(servers, list):
            continue
        for index, server in enumerate(servers):
            variables = server.get("variables") if isinstance(server, dict) else None
            if not isinstance(variables, dict):
                continue
            for name, variable in variables.items():
                if isinstance(variable, dict):
                    yield from _server_variable(
                        variable, at + join_pointer(index, "variables", name)
                    )


def _server_variable(variable: dict[str, Any], at: str) -> Iterator[Finding]:
    enum = variable.get("enum")
    if isinstance(enum, list) and not all(isinstance(v, str) for v in enum):
        variable["enum"] = [_text(v) for v in enum]
        yield Finding(
            at + "/enum",
            "server-variable-not-string",
            "a server variable's enum holds non-strings; read as strings",
            "validator",
        )
    if "default" in variable and not isinstance(variable["default"], str):
        variable["default"] = _text(variable["default"])
        yield Finding(
            at + "/default",
            "server-variable-not-string",
            f"a server variable's default is not a string; read as {variable['default']!r}",
            "validator",
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _request_bodies(document: dict[str, Any]) -> Iterator[Finding]:
    bodies: list[tuple[str, Any]] = []
    components = document.get("components")
    shared = components.get("requestBodies") if isinstance(components, dict) else None
    if isinstance(shared, dict):
        bodies += [(join_pointer("components", "requestBodies", n), b) for n, b in shared.items()]
    for base, item in _path_items(document):
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and "requestBody" in operation:
                bodies.append((f"{base}/{method}/requestBody", operation["requestBody"]))
    for at, body in bodies:
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or "$ref" in content:
            continue
        for key in [k for k in content if "/" not in k]:
            del content[key]
            yield Finding(
                at + join_pointer("content", key),
                "content-not-media-type",
                f"{key!r} in a content map is not a media type (type/subtype); left out",
                "error",
            )

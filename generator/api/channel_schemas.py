"""Channel schemas: the JSON Schemas of an AsyncAPI document's messages made ready for the model step.

AsyncAPI schemas are JSON Schema, but the documents at hand also write Fern's types: a
property `type: {x-fern-type: literal<"pong">}` has no JSON Schema type at all. Here such a
literal becomes a `const` (with itself as the default, so that a model of the message need not
be given its own tag), `list<integer>`-like types become arrays, `nullable: true` becomes
`anyOf [..., null]`, and `$ref`s to the document's component schemas are renamed to the class
names the channels' models get (component schemas of the OpenAPI spec are never meant).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..spec import MISSING
from .context import deref

__all__ = ["Literal_", "component_refs", "convert", "literal_of", "payload_literals"]

Literal_ = str | int | bool
_PREFIX = "#/components/schemas/"
_FERN_LITERAL = re.compile(r"^literal<(.*)>$", re.DOTALL)
_FERN_CONTAINER = re.compile(r"^(list|set|optional)<(.*)>$", re.DOTALL)
_FERN_SCALARS: Mapping[str, Mapping[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "long": {"type": "integer"},
    "uint": {"type": "integer"},
    "uint64": {"type": "integer"},
    "double": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "uuid": {"type": "string", "format": "uuid"},
    "base64": {"type": "string"},
    "unknown": {},
}
_MAX_DEPTH = 64


def _fern_literal(value: Any) -> Any:
    """The value of `literal<"x">` / `literal<true>` / `literal<3>`; MISSING for anything else."""
    match = _FERN_LITERAL.match(value) if isinstance(value, str) else None
    if match is None:
        return MISSING
    try:
        parsed = json.loads(match.group(1))
    except ValueError:
        return MISSING
    return parsed if _is_literal(parsed) else MISSING


def _is_literal(value: Any) -> bool:
    return isinstance(value, str | int | bool) and not isinstance(value, float)


def literal_of(schema: Any, *, default: bool = False) -> Any:
    """The one value a schema allows: `const`, a one-value `enum`, `x-fern-type: literal<..>`;
    with `default`, a string `default` as a last resort. MISSING when there is none."""
    if not isinstance(schema, Mapping):
        return MISSING
    if "const" in schema and _is_literal(schema["const"]):
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and _is_literal(enum[0]):
        return enum[0]
    fern = _fern_literal(schema.get("x-fern-type"))
    if fern is not MISSING:
        return fern
    if default and isinstance(schema.get("default"), str) and schema["default"]:
        return schema["default"]
    return MISSING


def payload_literals(document: Mapping[str, Any], payload: Any) -> dict[str, Literal_]:
    """Each property of the payload (an object schema, through `$ref`s and `allOf`) fixed to
    one value; the `type` property also by its default."""
    found: dict[str, Literal_] = {}
    stack = [deref(document, payload)]
    for _ in range(_MAX_DEPTH):
        if not stack:
            break
        schema = stack.pop()
        if not isinstance(schema, Mapping):
            continue
        properties = schema.get("properties")
        for name, prop in properties.items() if isinstance(properties, Mapping) else ():
            value = literal_of(deref(document, prop), default=name == "type")
            if value is not MISSING and name not in found:
                found[str(name)] = value
        parts = schema.get("allOf")
        stack.extend(deref(document, p) for p in (parts if isinstance(parts, list) else ()))
    return found


def component_refs(node: Any) -> Iterable[str]:
    """The component schema names `$ref`s in `node` name (not inside x- extensions)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                yield _unescape(ref[len(_PREFIX) :])
            stack.extend(v for k, v in current.items() if not str(k).startswith("x-"))
        elif isinstance(current, list):
            stack.extend(current)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def convert(node: Any, names: Mapping[str, str], depth: int = 0) -> Any:
    """A copy of a schema for the model step: Fern types as JSON Schema, `nullable` as a null
    option, component `$ref`s renamed by `names` (component name → class name; a name not in
    it is left untyped)."""
    if depth > _MAX_DEPTH:
        return {}
    if isinstance(node, list):
        return [convert(item, names, depth + 1) for item in node]
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            target = (
                names.get(_unescape(value[len(_PREFIX) :])) if value.startswith(_PREFIX) else None
            )
            if target is not None:
                out[key] = _PREFIX + target
            continue
        if key in ("properties", "patternProperties", "$defs", "definitions") and isinstance(
            value, Mapping
        ):
            out[key] = {k: convert(v, names, depth + 1) for k, v in value.items()}
        elif key in ("nullable", "x-fern-type"):
            continue
        else:
            out[key] = convert(value, names, depth + 1)
    _fern_type(node.get("x-fern-type"), out)
    if isinstance(out.get("properties"), Mapping):
        _literal_defaults(out)
    if node.get("nullable") is True:
        keep = {k: out.pop(k) for k in ("description", "title", "default") if k in out}
        return {"anyOf": [out, {"type": "null"}], **keep}
    return out


def _fern_type(fern: Any, out: dict[str, Any]) -> None:
    """`x-fern-type` written as JSON Schema into `out`, where `out` says no type of its own."""
    if not isinstance(fern, str) or any(k in out for k in ("type", "$ref", "const", "enum")):
        return
    literal = _fern_literal(fern)
    if literal is not MISSING:
        out["const"] = literal
        out["type"] = (
            "boolean"
            if isinstance(literal, bool)
            else "integer"
            if isinstance(literal, int)
            else "string"
        )
        return
    out.update(_fern_schema(fern.strip(), 0))


def _fern_schema(fern: str, depth: int) -> dict[str, Any]:
    if depth > 8:
        return {}
    if fern in _FERN_SCALARS:
        return dict(_FERN_SCALARS[fern])
    match = _FERN_CONTAINER.match(fern)
    if match is not None:
        inner = _fern_schema(match.group(2).strip(), depth + 1)
        if match.group(1) == "optional":
            return inner
        return {"type": "array", "items": inner}
    if fern.startswith("map<") and fern.endswith(">") and "," in fern:
        value = fern[4:-1].split(",", 1)[1].strip()
        return {"type": "object", "additionalProperties": _fern_schema(value, depth + 1)}
    return {}


def _literal_defaults(schema: dict[str, Any]) -> None:
    """A property fixed to one value defaults to it and is not required: a message's model is
    built without naming its own tag, and still sends it."""
    fixed = []
    for name, prop in schema["properties"].items():
        value = literal_of(prop)
        if value is not MISSING and isinstance(prop, dict) and "default" not in prop:
            prop["default"] = value
            fixed.append(name)
        elif value is not MISSING and isinstance(prop, dict):
            fixed.append(name)
    required = schema.get("required")
    if isinstance(required, list) and fixed:
        schema["required"] = [r for r in required if r not in fixed]
        if not schema["required"]:
            del schema["required"]

"""Types: JSON Schema → IR type references, and IR types → Python annotation strings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .ir import DictOf, ListOf, LiteralOf, ModelRef, Prim, TypeRef, UnionOf

__all__ = [
    "FORMATS",
    "NameEnum",
    "TypeResolver",
    "contains_file",
    "model_names",
    "render_type",
    "union",
]

ANY = Prim("Any")
NONE = Prim("None")
_SCALARS: Mapping[str, TypeRef] = {
    "string": Prim("str"),
    "integer": Prim("int"),
    "number": Prim("float"),
    "boolean": Prim("bool"),
    "null": NONE,
}
_MAX_DEPTH = 32
# Names an inline enum schema (hoists it as a model alias): the type that stands for it.
NameEnum = Callable[[Mapping[str, Any]], TypeRef]

# A string's format → its type, in signatures as in models: what datamodel-code-generator gives a
# model field with the project's options (models.DCG_OPTIONS), as type checkers see it (pydantic's
# AwareDatetime and UUID4 are datetime and UUID to them), for every format the runtime sends as
# the API expects (isoformat(), str(); bytes as they are). Other formats stay str: a model's
# AnyUrl or SecretStr would make callers wrap plain strings, its timedelta is sent as str() gives.
FORMATS: Mapping[str, TypeRef] = {
    "date-time": Prim("datetime"),
    "date-time-local": Prim("datetime"),
    "date": Prim("date"),
    "time": Prim("time"),
    "time-local": Prim("time"),
    "uuid": Prim("uuid"),
    "uuid1": Prim("uuid"),
    "uuid2": Prim("uuid"),
    "uuid3": Prim("uuid"),
    "uuid4": Prim("uuid"),
    "uuid5": Prim("uuid"),
    "binary": Prim("bytes"),
}
# How a Prim is written in an annotation, where it is not its name.
_SPELLED: Mapping[str, str] = {
    "file": "FileInput",
    "datetime": "datetime.datetime",
    "date": "datetime.date",
    "time": "datetime.time",
    "uuid": "uuid.UUID",
}


def union(options: list[TypeRef]) -> TypeRef:
    """Flatten nested unions, drop duplicates, keep order; Any absorbs everything."""
    flat: list[TypeRef] = []
    for option in options:
        for item in option.options if isinstance(option, UnionOf) else (option,):
            if item not in flat:
                flat.append(item)
    if ANY in flat:
        return ANY
    literals = [o for o in flat if isinstance(o, LiteralOf)]
    if len(literals) > 1:
        merged = LiteralOf(tuple(dict.fromkeys(v for lit in literals for v in lit.values)))
        flat = [merged if o is literals[0] else o for o in flat if o not in literals[1:]]
    if not flat:
        return ANY
    return flat[0] if len(flat) == 1 else UnionOf(tuple(flat))


class TypeResolver:
    """Maps schemas to TypeRefs; component schemas become ModelRefs via `classes`."""

    def __init__(self, document: Mapping[str, Any], classes: Mapping[str, str]) -> None:
        self._document = document
        self._classes = classes
        self._schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {}) or {}

    def type_of(
        self, schema: Any, *, files: bool = False, depth: int = 0, name_enum: NameEnum | None = None
    ) -> TypeRef:
        """The type of `schema`; `name_enum`, when given, names each inline enum the type is
        made of (not one inside a model): its result stands for the enum."""
        if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
            return ANY
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref_type(ref, files=files, depth=depth)
        nested = depth + 1
        if "const" in schema and _is_literal(schema["const"]):
            return LiteralOf((schema["const"],))
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = schema["enum"]
            literal = LiteralOf(tuple(dict.fromkeys(v for v in values if _is_literal(v))))
            if literal.values and name_enum is not None:
                return name_enum(schema)
            base: TypeRef = literal if literal.values else self._typed(schema, files, nested)
            return union([base, NONE]) if None in values else base
        for key in ("anyOf", "oneOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                result = union(
                    [
                        self.type_of(o, files=files, depth=nested, name_enum=name_enum)
                        for o in options
                    ]
                )
                return union([result, NONE]) if schema.get("nullable") is True else result
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            return self.type_of(all_of[0], files=files, depth=nested, name_enum=name_enum)
        result = self._typed(schema, files, nested, name_enum)
        return union([result, NONE]) if schema.get("nullable") is True else result

    def is_simple_component(self, schema: Any) -> bool:
        """A scalar or array without enum: inlined rather than wrapped in a RootModel class."""
        if not isinstance(schema, Mapping) or "enum" in schema or "const" in schema:
            return False
        kind = schema.get("type")
        return kind in ("string", "integer", "number", "boolean") and not any(
            k in schema for k in ("anyOf", "oneOf", "allOf", "properties")
        )

    def _ref_type(self, ref: str, *, files: bool, depth: int) -> TypeRef:
        prefix = "#/components/schemas/"
        if ref.startswith(prefix):
            name = ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
            target = self._schemas.get(name)
            if self.is_simple_component(target):
                return self.type_of(target, files=files, depth=depth + 1)
            if name in self._classes:
                return ModelRef(self._classes[name])
        return ANY

    def _typed(
        self,
        schema: Mapping[str, Any],
        files: bool,
        depth: int,
        name_enum: NameEnum | None = None,
    ) -> TypeRef:
        kind = schema.get("type")
        if isinstance(kind, list):
            return (
                union([self._typed({**schema, "type": k}, files, depth, name_enum) for k in kind])
                if kind
                else ANY
            )
        if kind == "string" and files and schema.get("format") == "binary":
            return Prim("file")
        if kind == "string" and schema.get("format") in FORMATS:
            return FORMATS[schema["format"]]
        if kind == "array":
            items = schema.get("items")
            return ListOf(self.type_of(items, files=files, depth=depth, name_enum=name_enum))
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, Mapping) and extra and not schema.get("properties"):
                return DictOf(self.type_of(extra, depth=depth))
            return DictOf(ANY)
        if isinstance(kind, str) and kind in _SCALARS:
            return _SCALARS[kind]
        return ANY


def _is_literal(value: Any) -> bool:
    return isinstance(value, str | bool) or (isinstance(value, int) and not isinstance(value, bool))


def render_type(t: TypeRef) -> str:
    """A Python annotation for t; literal values are repr()'d, so spec text never becomes code."""
    if isinstance(t, Prim):
        return _SPELLED.get(t.name, t.name)
    if isinstance(t, ModelRef):
        return t.name
    if isinstance(t, ListOf):
        return f"list[{render_type(t.item)}]"
    if isinstance(t, DictOf):
        return f"dict[str, {render_type(t.value)}]"
    if isinstance(t, LiteralOf):
        return "Literal[" + ", ".join(repr(v) for v in t.values) + "]"
    return " | ".join(render_type(o) for o in t.options)


def model_names(t: TypeRef, visit: Callable[[str], None]) -> None:
    """Call visit for every model class t mentions."""
    if isinstance(t, ModelRef):
        visit(t.name)
    elif isinstance(t, ListOf):
        model_names(t.item, visit)
    elif isinstance(t, DictOf):
        model_names(t.value, visit)
    elif isinstance(t, UnionOf):
        for option in t.options:
            model_names(option, visit)


def contains_file(t: TypeRef) -> bool:
    """Whether t is, or holds, an upload (multipart file part)."""
    if isinstance(t, Prim):
        return t.name == "file"
    if isinstance(t, ListOf):
        return contains_file(t.item)
    if isinstance(t, UnionOf):
        return any(contains_file(o) for o in t.options)
    return False

"""Model document: what datamodel-code-generator reads, the schemas with nothing in them it would obey."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..api import snake_case, unique_names
from ..diagnostics import escape_pointer
from ..spec import resolve_pointer
from .allof import MERGED, flattened

__all__ = [
    "ALIASES_KEY",
    "ORIGINS_KEY",
    "OURS",
    "WARNINGS_KEY",
    "dcg_input",
    "descriptions",
    "document_warnings",
    "field_aliases",
    "origin_of",
]

# JSON Schema keywords whose value is a schema, a list of schemas, or a map of schemas.
SCHEMA_KEYS = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
    }
)
SCHEMA_LIST_KEYS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAP_KEYS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_REF_PREFIX = "#/components/schemas/"

# Keys of a schema that datamodel-code-generator reads as instructions to itself, not as JSON
# Schema: code to call (default_factory), classes to import (customTypePath, customBasePath), a
# schema to treat as `false`, its internal slots. Dropped, with a warning where they were. (Every
# x-* key is dropped too: the ones it obeys are x-python-*, x-datamodel-code-generator-* and those
# below, warned about; the rest are other tools' extensions, dropped quietly.)
DCG_KEYS = frozenset(
    {
        "default_factory",
        "customTypePath",
        "customBasePath",
        "is_boolean_schema_false",
        "__python_field_overrides",
    }
)
# Its internal keys all start with this (the schema object's extras slot is one of them).
DCG_MARKER = "#-datamodel-code-generator-#"
DCG_EXTENSIONS = (
    "x-python-",
    "x-datamodel-code-generator-",
    "x-is-base-class",
    "x-is-classvar",
    "x-enum-field-as-literal",
)

# Keys of the model document that are ours, not the OpenAPI document's: run_dcg takes them out.
ALIASES_KEY = "x-field-aliases"
ORIGINS_KEY = "x-origins"
WARNINGS_KEY = "x-warnings"
OURS = (ALIASES_KEY, ORIGINS_KEY, WARNINGS_KEY)


def dcg_input(
    document: Mapping[str, Any], classes: Mapping[str, str], hoisted: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    """The document datamodel-code-generator sees: schemas only, keyed by class name, no x-* keys.

    Also (as keys of ours, part of the cache key, taken out before datamodel-code-generator
    reads it): the field aliases, where each class's schema is in `document` (a JSON pointer),
    and a warning for every key dropped because datamodel-code-generator would obey it.
    """
    ref_map = {
        f"{_REF_PREFIX}{_escape(name)}": f"{_REF_PREFIX}{cls}" for name, cls in classes.items()
    }
    schemas = (document.get("components") or {}).get("schemas") or {}

    def usable(discriminated: Mapping[str, Any]) -> bool:
        return _discriminator_usable(discriminated, schemas)

    def resolve(ref: str) -> Any:
        """The schema a local `$ref` names, following further `$ref`s; None if there is none."""
        target: Any = {"$ref": ref}
        for _ in range(16):
            pointer = target.get("$ref") if isinstance(target, Mapping) else None
            if not isinstance(pointer, str) or not pointer.startswith("#"):
                break
            target = resolve_pointer(document, pointer[1:])
        return target if isinstance(target, Mapping) and "$ref" not in target else None

    def flat(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return flattened(schema, resolve)

    origins: dict[str, str | None] = {
        cls: f"/components/schemas/{escape_pointer(name)}" for name, cls in classes.items()
    }
    origins.update(_hoisted_origins(document, hoisted))
    warnings: list[tuple[str | None, str]] = []
    out = {}
    for name, cls in classes.items():
        out[cls] = _clean(schemas[name], ref_map, (usable, flat), origins[cls], warnings)
    for name, schema in hoisted:
        out[name] = _clean(schema, ref_map, (usable, flat), origins[name], warnings)
    skipped = [pointer for pointer, message in warnings if message == _SKIPPED]
    if skipped:
        warnings = [w for w in warnings if w[1] != _SKIPPED]
        warnings.append((skipped[0], _skipped(len(skipped))))
    return {
        "openapi": document.get("openapi", "3.1.0"),
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": out},
        ALIASES_KEY: field_aliases(out),
        ORIGINS_KEY: origins,
        WARNINGS_KEY: [list(warning) for warning in warnings],
    }


def document_warnings(model_document: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """The warnings dcg_input recorded: (JSON pointer into the spec, message)."""
    return [(pointer, message) for pointer, message in model_document.get(WARNINGS_KEY, ())]


def origin_of(model_document: Mapping[str, Any], pointer: str) -> str | None:
    """Where a place in the model document (`/components/schemas/<class>/...`) is in the spec."""
    prefix = "/components/schemas/"
    if not pointer.startswith(prefix):
        return None
    cls, slash, rest = pointer[len(prefix) :].partition("/")
    origin = (model_document.get(ORIGINS_KEY) or {}).get(cls.replace("~1", "/").replace("~0", "~"))
    return None if origin is None else origin + slash + rest


def _hoisted_origins(
    document: Mapping[str, Any], hoisted: tuple[tuple[str, Any], ...]
) -> dict[str, str | None]:
    """Where each hoisted inline schema is in `document`: a place holding that object.

    The named schemas are not searched (an inline schema of an operation is not in them); the
    search ends when every one is found.
    """
    wanted = {id(schema): name for name, schema in hoisted}
    found: dict[str, str | None] = {name: None for name, _ in hoisted}
    stack: list[tuple[Any, _Place]] = [(document, "")]
    while stack and wanted:
        node, at = stack.pop()
        name = wanted.pop(id(node), None)
        if name is not None:
            found[name] = _pointer(at)
        items: Iterable[tuple[Any, Any]]
        if isinstance(node, Mapping):
            items = node.items() if at != ("", "components") else _but_schemas(node)
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        stack.extend((v, (at, k)) for k, v in items if isinstance(v, Mapping | list))
    return found


def _but_schemas(components: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    return ((k, v) for k, v in components.items() if k != "schemas")


def field_aliases(schemas: Mapping[str, Any]) -> dict[str, str]:
    """Property name → field name, for every property name with a non-ASCII character or a
    prefix pydantic protects (`model_dump...`); datamodel-code-generator names the others.

    Python NFKC-normalizes identifiers, so a field spelled U+210C would be the field `H` (and two
    such properties one field): every non-ASCII name gets an ASCII one, the spec's name staying
    the alias. Names are made distinct from each other and from the document's ASCII names.
    """
    names: set[str] = set()
    _property_names(schemas, names)
    odd = sorted(n for n in names if not n.isascii() or n.startswith(_PROTECTED))
    plain = names - set(odd)
    taken = plain | {snake_case(n) for n in plain}
    wanted = [_safe_field(snake_case(n, fallback="field")) for n in odd]
    return dict(zip(odd, unique_names(wanted, taken=taken), strict=True))


# Field names pydantic warns about at class creation (its protected namespaces).
_PROTECTED = ("model_validate", "model_dump")


def _safe_field(name: str) -> str:
    """A field name pydantic accepts quietly: no BaseModel attribute, no protected prefix."""
    from pydantic import BaseModel

    if name.startswith(_PROTECTED):
        return "field_" + name
    return name + "_" if hasattr(BaseModel, name) else name


def _property_names(node: Any, into: set[str]) -> None:
    """Every key of every `properties` map in a schema tree."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            properties = item.get("properties")
            if isinstance(properties, Mapping):
                into.update(k for k in properties if isinstance(k, str))
            stack.extend(item.values())


def descriptions(
    document: Mapping[str, Any], classes: Mapping[str, str], hoisted: tuple[tuple[str, Any], ...]
) -> dict[str, str]:
    """Class name → the description of its schema, where it has one."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    pairs = [(cls, schemas.get(name)) for name, cls in classes.items()] + list(hoisted)
    return {
        cls: s["description"]
        for cls, s in pairs
        if isinstance(s, Mapping) and isinstance(s.get("description"), str)
    }


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _discriminator_usable(schema: Mapping[str, Any], schemas: Mapping[str, Any]) -> bool:
    """A tagged union works only when every member is an object schema (not itself a union)."""
    members = schema.get("oneOf") or schema.get("anyOf") or []
    for member in members:
        target = member
        ref = member.get("$ref") if isinstance(member, Mapping) else None
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            target = schemas.get(ref[len(_REF_PREFIX) :].replace("~1", "/").replace("~0", "~"))
        if not isinstance(target, Mapping) or any(k in target for k in ("oneOf", "anyOf")):
            return False
    return True


# Where a schema is: the pointer of the schema it is from (None: unknown), or (parent, token),
# built into a pointer only for a warning (most schemas have none to give).
_Place = tuple[Any, str | int] | str | None
# Whether a discriminator is usable; an allOf merged (None: left as it is).
_Rules = tuple[
    Callable[[Mapping[str, Any]], bool], Callable[[Mapping[str, Any]], Mapping[str, Any] | None]
]


def _pointer(at: _Place) -> str | None:
    tokens: list[str] = []
    while isinstance(at, tuple):
        at, token = at
        tokens.append(escape_pointer(token))
    return None if at is None else at + "".join(f"/{t}" for t in reversed(tokens))


def _clean(
    schema: Any,
    ref_map: Mapping[str, str],
    rules: _Rules,
    at: _Place,
    warnings: list[tuple[str | None, str]],
) -> Any:
    """Copy a schema dropping every x-* extension (never emitted as code) and renaming $refs.

    A discriminator that pydantic could not honour is dropped: the union is then matched by shape.
    An allOf whose members would give clashing classes is merged (allof.py), with a warning.
    `nullable` with a `type` becomes the type list JSON Schema says. `propertyNames` other
    than a `$ref` is dropped (datamodel-code-generator would make the dict's key type a
    `constr(...)` call, which is no type): the keys are `str`. A key datamodel-code-generator
    would obey is dropped with a warning where it is (`at` is where `schema` is in the spec).
    """
    if isinstance(schema, list):
        return [_clean(item, ref_map, rules, (at, i), warnings) for i, item in enumerate(schema)]
    if not isinstance(schema, Mapping):
        return schema
    usable, flat = rules
    merged = flat(schema) if isinstance(schema.get("allOf"), list) else None
    if merged is not None:
        warnings.append((_pointer(at), MERGED))
        schema = merged
    schema = _object_keywords_in_options(schema)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "propertyNames" and not (isinstance(value, Mapping) and set(value) == {"$ref"}):
            continue  # a named schema (an enum) stays: its class is a valid key type
        if key.startswith("x-"):
            if key.startswith(DCG_EXTENSIONS):
                warnings.append((_pointer((at, key)), _ignored(key)))
            continue
        if key in DCG_KEYS or key.startswith(DCG_MARKER):
            warnings.append((_pointer((at, key)), _ignored(key)))
        elif key == "$ref" and isinstance(value, str):
            out[key] = ref_map.get(value, value)
        elif key in SCHEMA_KEYS:
            out[key] = _clean(value, ref_map, rules, (at, key), warnings)
        elif key in SCHEMA_LIST_KEYS and isinstance(value, list):
            out[key] = [
                _clean(item, ref_map, rules, ((at, key), i), warnings)
                for i, item in enumerate(value)
            ]
        elif key in SCHEMA_MAP_KEYS and isinstance(value, Mapping):
            out[key] = {}
            for k, v in value.items():
                if key == "properties" and _fern_ignored(v):
                    warnings.append((_pointer(((at, key), k)), _SKIPPED))
                else:
                    out[key][k] = _clean(v, ref_map, rules, ((at, key), k), warnings)
        elif key == "discriminator" and isinstance(value, Mapping) and not usable(schema):
            continue
        elif key == "discriminator" and isinstance(value, Mapping):
            mapping = value.get("mapping")
            out[key] = {k: v for k, v in value.items() if not k.startswith("x-") and k != "mapping"}
            if isinstance(mapping, Mapping):
                out[key]["mapping"] = {k: ref_map.get(v, v) for k, v in mapping.items()}
        else:
            out[key] = value
    if "deprecated" in out and not _is_property(at):
        # pydantic honours `deprecated` on a model field only: on an alias, an item or a union
        # member it warns at import (UnsupportedFieldAttributeWarning) and does nothing else.
        del out["deprecated"]
    if out.get("nullable") is True and isinstance(out.get("type"), str):
        # OpenAPI 3.0's nullable as JSON Schema's type list: datamodel-code-generator ignores
        # nullable on a required property (it would type Lob's `front_template_id` `str`).
        del out["nullable"]
        out["type"] = [out["type"], "null"]
    properties = schema.get("properties")
    if isinstance(out.get("required"), list) and isinstance(properties, Mapping):
        # readOnly properties are absent from requests, writeOnly ones from responses: one model
        # serves both, so neither may be required.
        kept = [
            r
            for r in out["required"]
            if not _one_way(properties.get(r)) and not _fern_ignored(properties.get(r))
        ]
        if kept:
            out["required"] = kept
        else:
            del out["required"]
    return out


def _is_property(at: _Place) -> bool:
    """Whether the schema at `at` is the value of a `properties` entry (a model's field)."""
    return isinstance(at, tuple) and isinstance(at[0], tuple) and at[0][1] == "properties"


_OBJECT_KEYWORDS = ("properties", "required", "additionalProperties")


def _object_keywords_in_options(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """`{oneOf: [{type: boolean}, {type: object}], properties: ...}` (Lob's return_envelope) as
    `{oneOf: [{type: boolean}, {type: object, properties: ...}]}`: object keywords beside a
    union of typed inline options apply to its object options only (datamodel-code-generator
    would make the whole value that object, refusing `false`). Other schemas are left as they are.
    """
    key = "oneOf" if "oneOf" in schema else "anyOf"
    options = schema.get(key)
    moved = {k: schema[k] for k in _OBJECT_KEYWORDS if k in schema}
    if not moved or "type" in schema or not isinstance(options, list) or not options:
        return schema
    if not all(isinstance(o, Mapping) and isinstance(o.get("type"), str) for o in options):
        return schema
    if not any(o["type"] != "object" for o in options):
        return schema
    spread = [{**moved, **o} if o["type"] == "object" else o for o in options]
    return {**{k: v for k, v in schema.items() if k not in moved}, key: spread}


def _ignored(key: str) -> str:
    return (
        f"{key!r} ignored: not JSON Schema but an instruction to datamodel-code-generator, "
        "which the spec does not get to give"
    )


# Recorded for each property left out (x-fern-ignore), then counted in one warning.
_SKIPPED = "x-fern-ignore"


def _skipped(count: int) -> str:
    return (
        f"skipped {count} propert{'y' if count == 1 else 'ies'} marked x-fern-ignore"
        " (left out of the models and of request bodies); the first is here"
    )


def _fern_ignored(schema: Any) -> bool:
    """A property marked `x-fern-ignore: true`: left out of the models, as operations are."""
    return isinstance(schema, Mapping) and schema.get("x-fern-ignore") is True


def _one_way(schema: Any) -> bool:
    return isinstance(schema, Mapping) and (
        schema.get("readOnly") is True or schema.get("writeOnly") is True
    )

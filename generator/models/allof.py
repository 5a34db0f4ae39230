"""allOf flattening: an allOf whose members would give datamodel-code-generator clashing classes.

datamodel-code-generator makes `allOf: [$ref Base, {...}]` a subclass of Base. When a member
declares a property that another member (or the schema itself) also declares with another
schema, the subclass redeclares a base's field with another type (PagerDuty's
`AcknowledgeLogEntry.type`, Asana's `PlaceholderRateCompact.assignee`), which mypy rejects. When
an inline member has `anyOf`/`oneOf` options that only add `required` (Lob's "name or company"),
datamodel-code-generator spreads them over classes that inherit one field with two types.

Such an allOf is merged: the conflicting bases and the inline members become one object schema
(properties merged, the later definition winning; `required` united), the other bases stay bases.
With such `anyOf`/`oneOf` options, the whole allOf is merged, so that the options apply to one
class. An allOf without a conflict is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["MERGED", "flattened"]

# The warning for each allOf merged (one message: they are counted as one group).
MERGED = (
    "allOf members declare a property with different schemas (or an inline member's"
    " anyOf/oneOf only adds required properties): merged into one class, the later"
    " definition of a property winning, instead of a subclass whose fields would clash"
)

# Keys that say nothing about a property's type: redeclared with only these changed is no conflict.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "default", "deprecated"}
)
# A property schema with these gives a class of its own: any difference is a conflict.
_STRUCTURED = frozenset({"properties", "allOf", "anyOf", "oneOf", "items", "additionalProperties"})
# Keys of a member that describe the member, not the merged schema.
_OWN = frozenset({"allOf", "$ref", "description", "title", "example", "examples", "externalDocs"})

Resolve = Callable[[str], Any]


def flattened(schema: Mapping[str, Any], resolve: Resolve) -> Mapping[str, Any] | None:
    """`schema` (which has an allOf) with its conflicting members merged; None: no conflict.

    `resolve` gives the schema a `$ref` names (following further `$ref`s), or None."""
    members = [m for m in schema.get("allOf") or () if isinstance(m, Mapping)]
    if len(members) != len(schema.get("allOf") or ()):
        return None
    if any(_requires_only(m) for m in members if "$ref" not in m):
        merged = [*range(len(members))]
    else:
        clashing = _clashing(members, schema.get("properties"), resolve)
        if not clashing:
            return None
        merged = [i for i, m in enumerate(members) if i in clashing or "$ref" not in m]
    if any(_union(_target(members[i], resolve)) for i in merged if "$ref" in members[i]):
        return None  # a base that is a union is no set of properties to merge
    kept = [m for i, m in enumerate(members) if i not in merged]
    one: dict[str, Any] = {}
    for i in merged:
        _merge_into(one, members[i], resolve, set())
    own = {k: v for k, v in schema.items() if k in ("properties", "required")}
    _merge_into(one, own, resolve, set())
    described = {k: v for k, v in schema.items() if k in ("description", "title")}
    one.update((k, v) for k, v in schema.items() if k not in _OWN and k not in own)
    return {**described, **one} if not kept else {**described, "allOf": [*kept, one]}


def _union(schema: Any) -> bool:
    return isinstance(schema, Mapping) and any(k in schema for k in ("anyOf", "oneOf"))


def _requires_only(member: Mapping[str, Any]) -> bool:
    """An inline member with anyOf/oneOf options that only list required properties."""
    for key in ("anyOf", "oneOf"):
        options = member.get(key)
        if isinstance(options, list) and options:
            plain = ("required", "title", "description")
            if all(isinstance(o, Mapping) and set(o) <= set(plain) for o in options):
                return True
    return False


def _clashing(members: list[Mapping[str, Any]], own: Any, resolve: Resolve) -> set[int]:
    """The indexes of the members that declare a property another declares differently (the
    schema's own `properties` are member len(members))."""
    declared = [_declared(m, resolve, set()) for m in members]
    declared.append(dict(own) if isinstance(own, Mapping) else {})
    first: dict[str, tuple[int, Any]] = {}
    clashing: set[int] = set()
    for index, properties in enumerate(declared):
        for name, property_schema in properties.items():
            if name in first and _differs(first[name][1], property_schema):
                clashing |= {first[name][0], index}
            first[name] = (index, property_schema)
    return clashing


def _declared(member: Any, resolve: Resolve, seen: set[int]) -> dict[str, Any]:
    """Every property a member declares, its bases' too (a later declaration wins)."""
    member = _target(member, resolve)
    if not isinstance(member, Mapping) or id(member) in seen:
        return {}
    seen.add(id(member))
    out: dict[str, Any] = {}
    for sub in member.get("allOf") or ():
        out.update(_declared(sub, resolve, seen))
    properties = member.get("properties")
    if isinstance(properties, Mapping):
        out.update(properties)
    return out


def _differs(a: Any, b: Any) -> bool:
    if a == b:
        return False
    if not isinstance(a, Mapping) or not isinstance(b, Mapping):
        return True
    if any(k in s for s in (a, b) for k in _STRUCTURED):
        return True
    return _bare(a) != _bare(b)


def _bare(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}


def _target(member: Any, resolve: Resolve) -> Any:
    """The schema a member is: itself, or (for a `$ref`) the schema it names."""
    if isinstance(member, Mapping) and isinstance(member.get("$ref"), str):
        return resolve(member["$ref"])
    return member


def _merge_into(one: dict[str, Any], member: Any, resolve: Resolve, seen: set[int]) -> None:
    """Add a member (its bases first) to `one`: properties replaced, required united, any other
    key kept from where it is first given."""
    member = _target(member, resolve)
    if not isinstance(member, Mapping) or id(member) in seen:
        return
    seen.add(id(member))
    for sub in member.get("allOf") or ():
        _merge_into(one, sub, resolve, seen)
    for key, value in member.items():
        if key == "properties" and isinstance(value, Mapping):
            one["properties"] = {**one.get("properties", {}), **value}
        elif key == "required" and isinstance(value, list):
            required = one.setdefault("required", [])
            required += [name for name in value if name not in required]
        elif key not in _OWN:
            one.setdefault(key, value)
    if "properties" in one:
        one.setdefault("type", "object")

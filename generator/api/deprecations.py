"""Deprecations: the deprecated properties of the component schemas, by model class."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["deprecated_fields"]


def deprecated_fields(
    document: Mapping[str, Any], classes: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    """(class name, property name) of every property marked `deprecated: true` in a component
    schema (its own properties and its inline allOf members'), in document order. The models
    step gives each a field that warns on access (datamodel-code-generator's `deprecated=`)."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    found: list[tuple[str, str]] = []
    for name, schema in schemas.items():
        if name not in classes or not isinstance(schema, Mapping):
            continue
        members = [schema, *(m for m in schema.get("allOf") or [] if isinstance(m, Mapping))]
        for member in members:
            for prop, sub in (member.get("properties") or {}).items():
                entry = (classes[name], str(prop))
                deprecated = isinstance(sub, Mapping) and sub.get("deprecated") is True
                if deprecated and entry not in found:
                    found.append(entry)
    return tuple(found)

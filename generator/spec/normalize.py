"""Normalize: make upstream quirks valid OpenAPI (component names and the $refs to them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..diagnostics import escape_pointer, join_pointer

__all__ = ["Normalized", "Rewrite", "normalize"]

_VALID_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
# Documentation exports (Fern) namespace component names: `type_:Foo`.
_NAMESPACE_PREFIX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*:)(.+)$")
_INVALID_CHARS = re.compile(r"[^a-zA-Z0-9._-]")


@dataclass(frozen=True)
class Rewrite:
    """One renamed component: where it was and what it became."""

    section: str
    old: str
    new: str
    kind: str


@dataclass(frozen=True)
class Normalized:
    document: dict[str, Any]
    rewrites: tuple[Rewrite, ...]
    refs_rewritten: int
    # Names that would collide after rewriting: (pointer, message) pairs for diagnostics.
    conflicts: tuple[tuple[str, str], ...]

    def summary_lines(self) -> list[str]:
        """One line per kind of rewrite."""
        by_kind: dict[str, list[Rewrite]] = {}
        for rewrite in self.rewrites:
            by_kind.setdefault(rewrite.kind, []).append(rewrite)
        lines = []
        for kind, items in sorted(by_kind.items()):
            first = items[0]
            lines.append(
                f"normalize: {kind}: renamed {len(items)} component name(s)"
                f" (e.g. {first.old!r} -> {first.new!r}) and the $refs to them"
            )
        if self.rewrites:
            lines.append(f"normalize: rewrote {self.refs_rewritten} $ref(s) in all")
        return lines


def normalize(document: dict[str, Any]) -> Normalized:
    """Rename components whose names strict validation rejects; pure: the input is not modified."""
    components = document.get("components")
    if not isinstance(components, dict):
        return Normalized(document, (), 0, ())
    rewrites: list[Rewrite] = []
    conflicts: list[tuple[str, str]] = []
    new_components: dict[str, Any] = {}
    ref_map: dict[str, str] = {}
    for section, entries in components.items():
        if not isinstance(entries, dict) or section.startswith("x-"):
            new_components[section] = entries
            continue
        taken = {name for name in entries if _VALID_COMPONENT_NAME.match(name)}
        renamed: dict[str, Any] = {}
        for name, value in entries.items():
            new_name, kind = _valid_name(name)
            if kind is not None:
                if new_name in taken:
                    conflicts.append(
                        (
                            join_pointer("components", section, name),
                            f"component {name!r} would be renamed to {new_name!r}, which already exists",
                        )
                    )
                    new_name = name
                else:
                    taken.add(new_name)
                    rewrites.append(Rewrite(section, name, new_name, kind))
                    old_ref = f"#/components/{section}/{escape_pointer(name)}"
                    ref_map[old_ref] = f"#/components/{section}/{escape_pointer(new_name)}"
            renamed[new_name] = value
        new_components[section] = renamed
    if not rewrites:
        return Normalized(document, (), 0, tuple(conflicts))
    counter = [0]

    def rename_ref(ref: str) -> str:
        target = ref_map.get(ref)
        if target is None:
            # A ref into a renamed component: `#/components/schemas/type_:Foo/properties/x`.
            for old, new in ref_map.items():
                if ref.startswith(old + "/"):
                    target = new + ref[len(old) :]
                    break
        if target is None:
            return ref
        counter[0] += 1
        return target

    rebuilt = dict(document)
    rebuilt["components"] = new_components
    rebuilt = _map_refs(rebuilt, rename_ref)
    return Normalized(rebuilt, tuple(rewrites), counter[0], tuple(conflicts))


def _valid_name(name: str) -> tuple[str, str | None]:
    if _VALID_COMPONENT_NAME.match(name):
        return name, None
    match = _NAMESPACE_PREFIX.match(name)
    if match and _VALID_COMPONENT_NAME.match(match.group(2)):
        return match.group(2), f"dropped the namespace prefix {match.group(1)!r}"
    return _INVALID_CHARS.sub("_", name), "replaced characters outside [a-zA-Z0-9._-] with '_'"


def _map_refs(node: Any, rename: Callable[[str], str]) -> Any:
    """Rebuild the document with every $ref string passed through rename."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = rename(value)
            else:
                out[key] = _map_refs(value, rename)
        return out
    if isinstance(node, list):
        return [_map_refs(item, rename) for item in node]
    return node

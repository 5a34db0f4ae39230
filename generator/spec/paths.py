"""Path keys: empty path items, fragments (`/a#stream`) and Express-style segments (`/:id`) repaired.

Part of repair.py (same Finding values); rewrites the `paths` map of a document it may modify.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..diagnostics import join_pointer
from .finding import Finding

__all__ = ["repair_paths"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_EXPRESS_SEGMENT = re.compile(r"^:([A-Za-z_][A-Za-z0-9_]*)$")


def repair_paths(document: dict[str, Any]) -> Iterator[Finding]:
    """Rewrite document["paths"] in place, yielding one finding per repair."""
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return
    rebuilt: dict[str, Any] = {}
    moves: list[tuple[str, str, Any]] = []
    for key, item in paths.items():
        at = join_pointer("paths", key)
        if item == {}:
            yield Finding(at, "empty-path-item", "path item has no operations; left out", "accept")
            continue
        new_key = key
        if "#" in key:
            new_key = key.partition("#")[0]
        express = _express(new_key)
        if express != new_key and isinstance(item, dict):
            names = [m.group(1) for m in map(_EXPRESS_SEGMENT.match, new_key.split("/")) if m]
            _declare_path_parameters(item, names)
            yield Finding(
                at,
                "express-path",
                f"path {key!r} has Express-style segments (:name); read as {express!r}",
                "error",
            )
            new_key = express
        if new_key != key:
            moves.append((key, new_key, item))
        rebuilt[key] = item
    for key, new_key, item in moves:
        at = join_pointer("paths", key)
        fragment = key.partition("#")[2]
        existing = rebuilt.get(new_key)
        if existing is None or _can_merge(existing, item):
            if existing is None:
                rebuilt = {(new_key if k == key else k): v for k, v in rebuilt.items()}
            else:
                del rebuilt[key]
                rebuilt[new_key] = _merge(existing, item)
            if fragment:
                yield Finding(
                    at,
                    "path-fragment",
                    f"path {key!r} has a fragment ('#{fragment}'), which is never sent; its"
                    f" operations are read as {new_key!r}'s",
                    "error",
                )
        elif fragment:
            yield Finding(
                at,
                "path-fragment",
                f"path {key!r} has a fragment ('#{fragment}'), which is never sent, and"
                f" {new_key!r} has operations with the same methods; its requests go to"
                f" {new_key!r}",
                "error",
            )
    paths.clear()
    paths.update(rebuilt)


def _express(path: str) -> str:
    return "/".join(
        "{" + m.group(1) + "}" if (m := _EXPRESS_SEGMENT.match(segment)) else segment
        for segment in path.split("/")
    )


def _declare_path_parameters(item: dict[str, Any], names: list[str]) -> None:
    """Declare each path parameter on the path item that no operation or the item declares."""
    declared = {
        parameter.get("name")
        for holder in [item, *(item.get(m) for m in _HTTP_METHODS)]
        if isinstance(holder, dict) and isinstance(holder.get("parameters"), list)
        for parameter in holder["parameters"]
        if isinstance(parameter, dict) and parameter.get("in") == "path"
    }
    missing = [name for name in names if name not in declared]
    if missing:
        present = item.get("parameters")
        parameters: list[Any] = present if isinstance(present, list) else []
        item["parameters"] = [
            *parameters,
            *(
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in missing
            ),
        ]


def _can_merge(existing: Any, item: Any) -> bool:
    if not (isinstance(existing, dict) and isinstance(item, dict)):
        return False
    if "$ref" in existing or "$ref" in item:
        return False
    return not any(m in existing and m in item for m in _HTTP_METHODS) and (
        "parameters" not in item or item.get("parameters") == existing.get("parameters")
    )


def _merge(existing: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    merged = dict(existing)
    for key, value in item.items():
        merged.setdefault(key, value)
    return merged

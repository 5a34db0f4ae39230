"""Overlay: apply OpenAPI Overlay 1.0 documents (RFC 9535 JSONPath targets; update, remove) to a spec.

https://spec.openapis.org/overlay/v1.0.0 — each action's `target` selects objects or arrays in the
document as it stands after the previous actions. `update` merges into each selected object
(recursively: objects merge, arrays concatenate, anything else is replaced) or is appended to each
selected array; `remove: true` takes each selected node out of its parent (and wins over `update`).

Problems with an overlay are located in the overlay file and refused (exit 2): a file that is not an
Overlay 1.0 document, a target that is not RFC 9535 JSONPath, a target selecting a primitive, `remove`
on the root, an `update` that is not an object for an object target. An `update` whose target
selects nothing is a warning (the spec probably moved; nothing was changed); a `remove` that finds
nothing is fine, the node is already absent.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, GenerationFailed, join_pointer
from .load import DEFAULT_MAX_BYTES, Locator, parse_any, read_limited

if TYPE_CHECKING:
    import jsonpath_rfc9535 as jsonpath

__all__ = ["AppliedOverlay", "Overlaid", "apply_overlays", "merge"]

_VERSION = re.compile(r"^1\.0\.\d+$")
_ROOT_KEYS = frozenset({"overlay", "info", "extends", "actions"})
_ACTION_KEYS = frozenset({"target", "description", "update", "remove"})


@dataclass(frozen=True)
class AppliedOverlay:
    """One overlay file as it was applied: its name for messages and headers, and its digest."""

    display: str
    sha256: str
    actions: int


@dataclass(frozen=True)
class Overlaid:
    """The document after every overlay, what was applied, and the warnings found on the way."""

    document: dict[str, Any]
    applied: tuple[AppliedOverlay, ...]
    warnings: tuple[Diagnostic, ...]


def apply_overlays(
    document: Mapping[str, Any],
    overlays: Sequence[tuple[Path, str]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Overlaid:
    """Apply each (path, display name) overlay in order to a copy of `document`.

    Every problem of one overlay file is reported together; the next files are not read then.
    """
    if not overlays:
        return Overlaid(dict(document), (), ())
    # The document is plain JSON data (load.py sees to it): a JSON round trip copies it fastest.
    result: dict[str, Any] = json.loads(json.dumps(document))
    applied: list[AppliedOverlay] = []
    warnings: list[Diagnostic] = []
    for path, shown in overlays:
        raw = read_limited(path, shown, max_bytes, what="overlay")
        data, text = parse_any(raw, shown, is_json=path.suffix.lower() == ".json", what="overlay")
        at = _locating(shown, Locator(text))
        actions, problems = _check_overlay(data, at)
        if problems:
            raise GenerationFailed(problems)
        for index, action in actions:
            outcome = _apply_action(result, action, f"/actions/{index}", at)
            if isinstance(outcome, Diagnostic) and outcome.severity == "error":
                problems.append(outcome)
            elif isinstance(outcome, Diagnostic):
                warnings.append(outcome)
        if problems:
            raise GenerationFailed(problems)
        applied.append(AppliedOverlay(shown, hashlib.sha256(raw).hexdigest(), len(actions)))
    return Overlaid(result, tuple(applied), tuple(warnings))


Locate = Callable[..., Diagnostic]


def _locating(shown: str, locator: Locator) -> Locate:
    """at(pointer, message, severity="error"): a Diagnostic located in the overlay file."""

    def at(pointer: str, message: str, severity: str = "error") -> Diagnostic:
        line, column = locator.locate(pointer)
        return Diagnostic(shown, line, column, pointer, message, severity)

    return at


def _check_overlay(
    data: Mapping[str, Any], at: Locate
) -> tuple[list[tuple[int, Mapping[str, Any]]], list[Diagnostic]]:
    """The actions of a well-formed Overlay 1.0 document, or every problem with it."""
    problems: list[Diagnostic] = []
    version = data.get("overlay")
    if "overlay" not in data:
        if "openapi" in data or "swagger" in data:
            return [], [at("", "this is an OpenAPI document, not an overlay: pass it as the spec")]
        else:
            problems.append(at("", "not an Overlay document: the 'overlay' field is missing"))
    elif not isinstance(version, str) or not _VERSION.match(version):
        problems.append(
            at("/overlay", f"unsupported overlay version {version!r}: only 1.0.x is supported")
        )
    info = data.get("info")
    if not isinstance(info, Mapping):
        problems.append(
            at("/info" if "info" in data else "", "'info' (title, version) is required")
        )
    else:
        for key in ("title", "version"):
            if not isinstance(info.get(key), str):
                problems.append(at("/info", f"info.{key} is required and must be a string"))
    if "extends" in data and not isinstance(data["extends"], str):
        problems.append(at("/extends", "'extends' must be a string (a URL)"))
    for key in sorted(set(data) - _ROOT_KEYS):
        if not key.startswith("x-"):
            problems.append(at(join_pointer(key), f"unknown overlay field {key!r}"))
    raw_actions = data.get("actions")
    actions: list[tuple[int, Mapping[str, Any]]] = []
    if not isinstance(raw_actions, list) or not raw_actions:
        problems.append(
            at("/actions" if "actions" in data else "", "'actions' must be a non-empty list")
        )
        return actions, problems
    for index, action in enumerate(raw_actions):
        where = f"/actions/{index}"
        if not isinstance(action, Mapping):
            problems.append(at(where, "an action must be a mapping with a 'target'"))
            continue
        before = len(problems)
        target = action.get("target")
        if not isinstance(target, str):
            problems.append(at(where, "the action has no 'target' string (a JSONPath query)"))
        else:
            import jsonpath_rfc9535 as jsonpath  # only when there are overlays: 20 ms

            try:
                jsonpath.compile(target)
            except jsonpath.JSONPathError as exc:
                problems.append(
                    at(
                        f"{where}/target",
                        f"target {target!r} is not an RFC 9535 JSONPath query: {exc}",
                    )
                )
        if "remove" in action and not isinstance(action["remove"], bool):
            problems.append(at(f"{where}/remove", "'remove' must be true or false"))
        if "description" in action and not isinstance(action["description"], str):
            problems.append(at(f"{where}/description", "'description' must be a string"))
        if "update" not in action and action.get("remove") is not True:
            problems.append(at(where, "the action has neither 'update' nor 'remove: true'"))
        for key in sorted(set(action) - _ACTION_KEYS):
            if not key.startswith("x-"):
                problems.append(at(f"{where}/{key}", f"unknown action field {key!r}"))
        if len(problems) == before:
            actions.append((index, action))
    return actions, problems


def _apply_action(
    document: dict[str, Any], action: Mapping[str, Any], where: str, at: Locate
) -> Diagnostic | None:
    """Apply one checked action in place; an error or warning Diagnostic when it cannot."""
    import jsonpath_rfc9535 as jsonpath

    target: str = action["target"]
    nodes = list(jsonpath.find(target, document))
    for node in nodes:
        if not isinstance(node.value, dict | list):
            kind = "null" if node.value is None else type(node.value).__name__
            return at(
                f"{where}/target",
                f"target {target!r} selects {node.path()}, a {kind}; targets must select objects"
                " or arrays (select the object holding it and update that)",
            )
    if action.get("remove") is True:
        if any(node.parent is None for node in nodes):
            return at(f"{where}/target", "the root of the document cannot be removed")
        _remove(nodes)
        return None
    update = action["update"]
    if not nodes:
        return at(
            f"{where}/target",
            f"target {target!r} selects nothing: this update changed nothing"
            " (did the spec change?)",
            "warning",
        )
    distinct = {id(node.value): node for node in nodes}  # each selected node once
    for node in distinct.values():
        value = node.value
        if isinstance(value, list):
            value.append(copy.deepcopy(update))
        elif not isinstance(update, Mapping):
            return at(
                f"{where}/update",
                f"target {target!r} selects an object ({node.path()}): 'update' must be an object"
                " of the properties to merge into it",
            )
        else:
            assert isinstance(value, dict)
            merge(value, update)
    return None


def _remove(nodes: Sequence[jsonpath.JSONPathNode]) -> None:
    """Take each node out of its parent; array items go last index first, so indices hold."""
    unique: dict[tuple[int, int | str], tuple[Any, int | str]] = {}
    for node in nodes:  # a query may select one node twice: remove it once
        assert node.parent is not None
        unique[(id(node.parent.value), node.location[-1])] = (node.parent.value, node.location[-1])
    for container, key in sorted(
        unique.values(), key=lambda pair: pair[1] if isinstance(pair[1], int) else -1, reverse=True
    ):
        if isinstance(container, list) and isinstance(key, int) and key < len(container):
            del container[key]
        elif isinstance(container, dict) and isinstance(key, str):
            container.pop(key, None)


def merge(target: dict[str, Any], update: Mapping[str, Any]) -> None:
    """Merge `update` into `target` in place: objects recursively, arrays concatenated, any other
    value replaced. Values are copied, so later changes to one never show in another."""
    for key, value in update.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            merge(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            current.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)

"""Load: read a spec file (safe YAML or JSON) into plain data, with a lazy pointer → line index."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, GenerationFailed

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_NODES", "Locator", "SpecSource", "load_spec", "parse_document"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Counted with aliases expanded: a document that would unfold past this is an alias bomb.
DEFAULT_MAX_NODES = 5_000_000

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that keeps timestamps as strings: JSON Schema has no date type."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Locator:
    """Maps JSON pointers to 1-based (line, column); parses the text again only when asked."""

    text: str
    _root: Any = field(default=None, init=False, repr=False)
    _parsed: bool = field(default=False, init=False, repr=False)

    def locate(self, pointer: str | None) -> tuple[int | None, int | None]:
        if pointer is None:
            return None, None
        node = self._compose()
        if node is None:
            return None, None
        best = node
        for token in _pointer_tokens(pointer):
            child = _child(node, token)
            if child is None:
                break
            node = best = child
        return best.start_mark.line + 1, best.start_mark.column + 1

    def _compose(self) -> Any:
        if not self._parsed:
            self._parsed = True
            try:
                self._root = yaml.compose(self.text, Loader=_SpecLoader)
            except yaml.YAMLError:
                self._root = None
        return self._root


@dataclass
class SpecSource:
    """A loaded spec: its data, where it came from, and how to locate pointers in it."""

    path: Path
    display: str
    sha256: str
    data: dict[str, Any]
    locator: Locator

    def diagnostic(self, pointer: str | None, message: str) -> Diagnostic:
        line, column = self.locator.locate(pointer)
        return Diagnostic(self.display, line, column, pointer, message)


def load_spec(
    path: Path,
    *,
    display: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> SpecSource:
    shown = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise GenerationFailed([Diagnostic(shown, None, None, None, f"cannot read spec: {exc.strerror}")]) from None
    if size > max_bytes:
        raise GenerationFailed(
            [Diagnostic(shown, None, None, None, f"spec is {size} bytes, over the {max_bytes}-byte limit")]
        )
    raw = path.read_bytes()
    data, text = parse_document(raw, shown, is_json=path.suffix.lower() == ".json", max_nodes=max_nodes)
    return SpecSource(path, shown, hashlib.sha256(raw).hexdigest(), data, Locator(text))


def parse_document(raw: bytes, shown: str, *, is_json: bool, max_nodes: int = DEFAULT_MAX_NODES) -> tuple[dict[str, Any], str]:
    """Parse bytes as JSON or YAML into a mapping; every failure is a located diagnostic."""

    def fail(message: str, line: int | None = None, column: int | None = None) -> GenerationFailed:
        return GenerationFailed([Diagnostic(shown, line, column, None, message)])

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"spec is not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise fail("spec file is empty")
    data: Any
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except RecursionError:
            raise fail("invalid JSON: nested too deeply") from None
    else:
        try:
            data = yaml.load(text, Loader=_SpecLoader)  # noqa: S506 - a safe loader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "malformed YAML"
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
            raise fail(f"invalid YAML: {problem}", line, column) from None
        except yaml.YAMLError as exc:
            raise fail(f"invalid YAML: {exc}") from None
        except RecursionError:
            raise fail("invalid YAML: nested too deeply") from None
        _refuse_alias_bombs(data, max_nodes, fail)
    if not isinstance(data, dict):
        kind = "empty document" if data is None else f"a {type(data).__name__}"
        raise fail(f"spec must be a mapping (an OpenAPI document) at the top level, got {kind}")
    return (data if is_json else _plain(data, shown)), text


def _refuse_alias_bombs(data: Any, max_nodes: int, fail: Any) -> None:
    """Walk with aliases expanded, stopping at max_nodes: bounded time and memory whatever the input."""
    count = 0
    stack = [data]
    while stack:
        node = stack.pop()
        count += 1
        if count > max_nodes:
            raise fail(
                f"spec expands to more than {max_nodes} nodes (YAML aliases/anchors repeated too often); refused"
            )
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _plain(data: Any, shown: str) -> Any:
    """Copy into plain JSON-like data: string keys only, so later steps can rely on it."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(key, bool) or not isinstance(key, str | int | float):
                raise GenerationFailed(
                    [Diagnostic(shown, None, None, None, f"mapping key {key!r} is not a string; quote it")]
                )
            out[str(key)] = _plain(value, shown)
        return out
    if isinstance(data, list):
        return [_plain(item, shown) for item in data]
    if isinstance(data, float) and data != data:  # NaN never round-trips through JSON
        return None
    return data


def _pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def _child(node: Any, token: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and token.isdigit():
        index = int(token)
        return node.value[index] if index < len(node.value) else None
    return None

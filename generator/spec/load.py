"""Load: read a spec file (safe YAML or JSON) into plain data, with a lazy pointer → line index.

Hostile input is refused here with a located message: files over a size limit, text that is not
UTF-8 (or holds unpaired surrogates), YAML with python/* or other unknown tags, alias bombs and
recursive aliases, and documents nested deeper than the later steps can follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..cache import Cache, code_digest, content_key
from ..diagnostics import Diagnostic, GenerationFailed, join_pointer
from .jsonpos import JsonPositions

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_NODES",
    "Locator",
    "Origin",
    "SpecSource",
    "parse_document",
    "read_limited",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Counted with aliases expanded: a document that would unfold past this is an alias bomb.
DEFAULT_MAX_NODES = 5_000_000
# Nesting of mappings and lists; the OpenAPI validator itself gives up somewhere above 120.
DEFAULT_MAX_DEPTH = 100

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that keeps timestamps as strings: JSON Schema has no date type."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

Fail = Callable[..., GenerationFailed]


@dataclass
class Locator:
    """Maps JSON pointers to 1-based (line, column); parses the text again only when asked."""

    text: str
    # JSON text: positions are found along the pointer (jsonpos) where that gives YAML's answer.
    is_json: bool = False
    _json: JsonPositions | None = field(default=None, init=False, repr=False, compare=False)
    _root: Any = field(default=None, init=False, repr=False)
    _parsed: bool = field(default=False, init=False, repr=False)
    # Positions found are kept here by content (see use_cache): composing a large spec again
    # only to place a warning costs a second.
    _cache: Cache | None = field(default=None, init=False, repr=False, compare=False)
    _digest: str = field(default="", init=False, repr=False, compare=False)

    def use_cache(self, cache: Cache) -> None:
        self._cache = cache

    def locate(self, pointer: str | None) -> tuple[int | None, int | None]:
        if pointer is None:
            return None, None
        if self._cache is None:
            return self._locate(pointer)
        if not self._digest:
            self._digest = content_key(
                "locate",
                code_digest(__name__, "generator.spec.jsonpos"),
                yaml.__version__,
                self.text,
            )
        key = content_key(self._digest, pointer)
        hit = self._cache.get("locate", key)
        if hit is not None:
            line, _, column = hit.partition(",")
            return (int(line) if line else None), (int(column) if column else None)
        found = self._locate(pointer)
        self._cache.put("locate", key, ",".join("" if n is None else str(n) for n in found))
        return found

    def _locate(self, pointer: str) -> tuple[int | None, int | None]:
        if self.is_json:
            if self._json is None:
                self._json = JsonPositions(self.text)
            found = self._json.position(_pointer_tokens(pointer))
            if found is not None:
                return found[0] + 1, found[1] + 1
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
            for text in (self.text, _yaml_surrogates(self.text)):
                try:
                    self._root = yaml.compose(text, Loader=_SpecLoader)
                    break
                except (yaml.YAMLError, RecursionError):
                    self._root = None
        return self._root


# JSON writes characters outside the BMP as two \u escapes (a surrogate pair); YAML refuses those.
_SURROGATE_ESCAPES = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?"
    r"|(?<!\\)((?:\\\\)*)\\u([dD][c-fC-F][0-9a-fA-F]{2})"
)


def _yaml_surrogates(text: str) -> str:
    """JSON text that YAML can compose: pairs become one \\U escape, lone halves U+FFFD.

    Lines are unchanged (positions shift by two columns after a pair on the same line).
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is None:
            return (match.group(4) or "") + "\\ufffd"
        high, low = match.group(2), match.group(3)
        if low is None:
            return match.group(1) + "\\ufffd"
        code = 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)
        return match.group(1) + f"\\U{code:08x}"

    return _SURROGATE_ESCAPES.sub(replace, text)


@dataclass(frozen=True)
class Origin:
    """A part of the document copied in from another file by a `$ref` (see bundle.py)."""

    pointer: str  # where the part sits in the bundled document
    display: str  # the file it came from, as shown in messages
    source_pointer: str  # where it sits in that file
    locator: Locator
    sha256: str  # of that file's bytes, as read (recorded in the output's MANIFEST.json)


@dataclass
class SpecSource:
    """A loaded spec: its data, where it came from, and how to locate pointers in it."""

    path: Path
    display: str
    sha256: str
    data: dict[str, Any]
    locator: Locator
    # Parts bundled from other files, longest pointer first: diagnostics inside them name that file.
    origins: tuple[Origin, ...] = ()
    # What reading it found and worked around (references read as untyped values).
    warnings: tuple[Diagnostic, ...] = ()

    def use_cache(self, cache: Cache) -> None:
        """Keep the positions found in `cache`, by content (the text and the pointer)."""
        self.locator.use_cache(cache)
        for origin in self.origins:
            origin.locator.use_cache(cache)

    def diagnostic(self, pointer: str | None, message: str) -> Diagnostic:
        if pointer is not None:
            for origin in self.origins:
                if pointer == origin.pointer or pointer.startswith(origin.pointer + "/"):
                    inner = origin.source_pointer + pointer[len(origin.pointer) :]
                    line, column = origin.locator.locate(inner)
                    return Diagnostic(origin.display, line, column, inner, message)
        line, column = self.locator.locate(pointer)
        return Diagnostic(self.display, line, column, pointer, message)


def read_limited(path: Path, shown: str, max_bytes: int, what: str = "spec") -> bytes:
    """The bytes of a regular file, refused (located) when unreadable or over max_bytes."""

    def fail(message: str) -> GenerationFailed:
        return GenerationFailed.in_file(shown, message)

    try:
        if not path.is_file():
            problem = "is a folder" if path.is_dir() else "does not exist or is not a regular file"
            raise fail(f"cannot read {what}: {path.name or path} {problem}")
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise fail(f"{what} is over the {max_bytes}-byte limit (max_spec_bytes); refused")
    return raw


def parse_document(
    raw: bytes, shown: str, *, is_json: bool, max_nodes: int = DEFAULT_MAX_NODES
) -> tuple[dict[str, Any], str]:
    """Parse bytes as JSON or YAML into a mapping; every failure is a located diagnostic."""
    return parse_any(raw, shown, is_json=is_json, max_nodes=max_nodes, what="spec")


def parse_any(
    raw: bytes,
    shown: str,
    *,
    is_json: bool,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    what: str = "spec",
) -> tuple[dict[str, Any], str]:
    """parse_document for any file: `what` names it in messages ("spec", "referenced file")."""

    def fail(message: str, line: int | None = None, column: int | None = None) -> GenerationFailed:
        return GenerationFailed([Diagnostic(shown, line, column, None, message)])

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            f"{what} is not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            line,
            column,
        ) from None
    if not text.strip():
        raise fail(f"{what} file is empty")
    data: Any
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise fail(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except RecursionError:
            raise fail(f"invalid JSON: nested more than {max_depth} levels deep") from None
    else:
        data = _load_yaml(text, fail, max_nodes, max_depth)
    if not isinstance(data, dict):
        kind = "an empty document" if data is None else f"a {_kind(data)}"
        raise fail(
            f"{what} must be a mapping (an OpenAPI document) at the top level, got {kind}", 1, 1
        )
    if is_json and _already_plain(data, text, max_depth):
        return data, text
    locator = Locator(text, is_json=is_json)

    def fail_at(pointer: str, message: str) -> GenerationFailed:
        line, column = locator.locate(pointer)
        return GenerationFailed([Diagnostic(shown, line, column, pointer, message)])

    return _plain(data, "", 0, max_depth, fail_at), text


# A \u escape of a UTF-16 surrogate: the only way JSON text gives a string an unpaired one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _already_plain(data: Any, text: str, max_depth: int) -> bool:
    """True when _plain would only copy this JSON data (a quarter of a second for a large spec).

    json.loads gives string keys and no duplicates, and a NaN or an unpaired surrogate only from
    text that spells one out; what is left is the depth. Any doubt leaves the work to _plain.
    """
    if "NaN" in text or _SURROGATE_ESCAPE.search(text):
        return False
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= max_depth:
            return False
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return True


def _kind(value: Any) -> str:
    return {
        list: "list (JSON array)",
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
    }.get(type(value), type(value).__name__)


def _load_yaml(text: str, fail: Fail, max_nodes: int, max_depth: int) -> Any:
    """Compose the node graph, check it, and only then build Python objects from it."""
    loader = _SpecLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_node_graph(node, fail, max_nodes, max_depth)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
            start = exc.context_mark
            problem += f" ({exc.context} at line {start.line + 1}, column {start.column + 1})"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise fail(f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise fail(f"invalid YAML: nested more than {max_depth} levels deep") from None
    finally:
        loader.dispose()


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_node_graph(root: Any, fail: Fail, max_nodes: int, max_depth: int) -> None:
    """Refuse alias bombs, recursive aliases and deep nesting in time linear in the text.

    Aliases make the node graph a DAG (or worse, a cycle); sizes and heights are computed once
    per distinct node, so a billion laughs costs what its few lines cost.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    visiting: set[int] = set()
    # Each frame: (node, depth, index of the next child); children are revisited only when new.
    stack: list[tuple[Any, int, list[Any]]] = [(root, 0, _children(root))]
    visiting.add(id(root))

    def where(node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    while stack:
        node, depth, pending = stack[-1]
        if pending:
            child = pending.pop()
            key = id(child)
            if key in visiting:
                raise fail(
                    "invalid YAML: an alias refers to a node that contains it (a recursive alias);"
                    " refused",
                    *where(child),
                )
            if key in height:
                if depth + 1 + height[key] > max_depth:
                    raise fail(
                        f"document nests more than {max_depth} levels deep (through a YAML alias);"
                        " refused",
                        *where(child),
                    )
                continue
            if depth + 1 > max_depth:
                raise fail(
                    f"document nests more than {max_depth} levels deep; refused", *where(child)
                )
            visiting.add(key)
            stack.append((child, depth + 1, _children(child)))
            continue
        stack.pop()
        key = id(node)
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node, fail)
        visiting.discard(key)
        children = _children(node)
        size[key] = 1 + sum(size[id(c)] for c in children)
        height[key] = 1 + max((height[id(c)] for c in children), default=0)
        if size[key] > max_nodes:
            raise fail(
                f"YAML aliases expand this node to more than {max_nodes} nodes (an alias bomb); refused",
                *where(node),
            )


def _refuse_duplicate_keys(node: Any, fail: Fail) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                raise fail(
                    f"invalid YAML: duplicate key {key.value!r} in the same mapping",
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                )
            seen.add(key.value)


def _plain(
    data: Any,
    pointer: str,
    depth: int,
    max_depth: int,
    fail_at: Callable[[str, str], GenerationFailed],
) -> Any:
    """Copy into plain JSON-like data: string keys only, valid Unicode, bounded depth."""
    if isinstance(data, dict | list) and depth >= max_depth:
        raise fail_at(pointer, f"document nests more than {max_depth} levels deep; refused")
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(key, bool) or not isinstance(key, str | int | float):
                raise fail_at(pointer, f"mapping key {key!r} is not a string; quote it")
            name = str(key)
            at = pointer + join_pointer(name)
            if isinstance(key, str):
                _check_text(key, at, fail_at)
            if name in out:
                raise fail_at(at, f"duplicate key {name!r} in the same mapping")
            out[name] = _plain(value, at, depth + 1, max_depth, fail_at)
        return out
    if isinstance(data, list):
        return [
            _plain(item, f"{pointer}/{index}", depth + 1, max_depth, fail_at)
            for index, item in enumerate(data)
        ]
    if isinstance(data, str):
        _check_text(data, pointer, fail_at)
        return data
    if isinstance(data, float) and data != data:  # NaN never round-trips through JSON
        return None
    return data


def _check_text(text: str, pointer: str, fail_at: Callable[[str, str], GenerationFailed]) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise fail_at(
            pointer, f"string holds an unpaired surrogate \\u{code:04x}, which is not valid Unicode"
        ) from None


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

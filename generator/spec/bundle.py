"""Bundle: copy the files that relative `$ref`s name into the document; refuse every other reference.

Followed: `#/...` inside the document, and relative paths (with an optional `#/...` fragment) to
files inside the spec's folder, loaded with the same limits as the spec. Refused with a located
message: http(s) and other URLs (nothing is fetched), absolute paths, and paths that leave the
spec's folder (`..`, symbolic links). A schema from another file becomes a component schema of its
own (so recursive schemas across files work); any other object is copied in place. Values under
`x-` extensions are data: a `$ref` there is never followed.

Unless strict, a reference that is refused or broken is a located warning and the object holding
it an untyped value (nothing is read for it); the limits (size, files, depth) stay errors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from ..diagnostics import Diagnostic, GenerationFailed, escape_pointer, join_pointer
from .load import DEFAULT_MAX_DEPTH, Locator, Origin, SpecSource, parse_any, read_limited

__all__ = [
    "MAX_FILES",
    "MISSING",
    "bundle",
    "bundle_files",
    "iter_refs",
    "ref_holders",
    "ref_refusal",
    "resolve_pointer",
]

# Files one spec may pull in through $refs, besides itself (max_spec_files in [tool.generator]).
MAX_FILES = 10_000

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REMOTE = re.compile(r"^(https?|ftp|wss?):", re.IGNORECASE)
_INVALID_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]")
# Keys below which every object is a JSON Schema: a $ref there names a schema.
_SCHEMA_KEYS = frozenset({"schema", "schemas"})
# Maps from names to objects: an `x-` key in them is a name (a property `x-id`), not an extension.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "examples",
        "content",
        "encoding",
        "variables",
        "webhooks",
    }
)


def is_extension(key: str, parent_key: str | None) -> bool:
    """True when `key` of an object that is the value of `parent_key` is an `x-` extension."""
    return key.startswith("x-") and parent_key not in _NAME_MAPS


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def resolve_pointer(document: Any, pointer: str) -> Any:
    """Follow a JSON pointer ('' or '/a/b', percent-encoding allowed); MISSING when absent."""
    node = document
    if pointer in ("", "/"):
        return node
    if not pointer.startswith("/"):
        return MISSING
    for raw in pointer[1:].split("/"):
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node


def iter_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer of the object holding "$ref", its value) for every $ref, in document order."""
    for at, holder in ref_holders(node, pointer):
        yield at, holder["$ref"]


def ref_holders(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, object) for every object holding a "$ref", in document order; not in x- values."""
    # Only mappings and lists are visited, and given a pointer: most values are neither.
    stack: list[tuple[Any, str, str | None]] = (
        [(node, pointer, None)] if isinstance(node, dict | list) else []
    )
    while stack:
        current, at, parent_key = stack.pop()
        if isinstance(current, dict):
            if "$ref" in current:
                yield at, current
            for key in reversed(list(current)):
                value = current[key]
                if (
                    key != "$ref"
                    and isinstance(value, dict | list)
                    and not is_extension(key, parent_key)
                ):
                    stack.append((value, at + join_pointer(key), key))
        else:
            for index in reversed(range(len(current))):
                value = current[index]
                if isinstance(value, dict | list):
                    stack.append((value, f"{at}/{index}", None))


def ref_refusal(ref: str) -> str | None:
    """Why a $ref that is not `#/...` is never followed; None for a relative file reference."""
    if _REMOTE.match(ref) or ref.startswith("//"):
        return (
            f"remote $ref {ref!r} refused: nothing is fetched over the network; save the file in"
            " the spec's folder and refer to it by a relative path"
        )
    if _SCHEME.match(ref):
        return (
            f"$ref {ref!r} refused: only references inside the document (#/...) and relative"
            " paths to files in the spec's folder are followed"
        )
    if ref.startswith(("/", "\\")):
        return (
            f"absolute-path $ref {ref!r} refused: only relative paths to files inside the spec's"
            " folder are followed"
        )
    path = unquote(ref.partition("#")[0])
    if "\\" in path or "\x00" in path:
        return f"$ref {ref!r} refused: a file reference may not hold a backslash or NUL; use '/'"
    return None


@dataclass
class _File:
    path: Path
    display: str
    data: Any
    locator: Locator
    sha256: str


class _Bundler:
    def __init__(
        self, source: SpecSource, max_bytes: int, max_nodes: int, max_files: int, strict: bool
    ) -> None:
        self.main = _File(
            source.path.resolve(), source.display, source.data, source.locator, source.sha256
        )
        self.root = self.main.path.parent
        self.display_folder = PurePosixPath(source.display).parent
        self.files: dict[Path, _File | None] = {self.main.path: self.main}
        self.budget = max_bytes
        self.max_nodes = max_nodes
        self.max_files = max_files
        self.strict = strict
        self.problems: list[Diagnostic] = []
        # Unless strict: references not followed, each read as an untyped value.
        self.warnings: list[Diagnostic] = []
        self.origins: list[Origin] = []
        existing = (
            (source.data.get("components") or {})
            if isinstance(source.data.get("components"), dict)
            else {}
        ).get("schemas")
        self.taken: set[str] = set(existing) if isinstance(existing, dict) else set()
        self.named: dict[tuple[Path, str], str] = {}
        self.schemas: dict[str, Any] = {}

    def problem(self, file: _File, pointer: str, message: str) -> None:
        """A limit exceeded: an error in every mode."""
        line, column = file.locator.locate(pointer)
        self.problems.append(Diagnostic(file.display, line, column, pointer, message))

    def unfollowed(
        self, node: dict[str, Any], siblings: dict[str, Any], file: _File, where: str, message: str
    ) -> Any:
        """A reference not followed: an error when strict, else untyped (the siblings only)."""
        self.refuse(file, where, message)
        return node if self.strict else siblings

    def refuse(self, file: _File, where: str, message: str) -> None:
        """An error when strict, else a warning that the reference is read as an untyped value."""
        if self.strict:
            self.problem(file, where, message)
            return
        line, column = file.locator.locate(where)
        self.warnings.append(
            Diagnostic(
                file.display,
                line,
                column,
                where,
                f"{message}; read as an untyped value",
                "warning",
                "ref-untyped",
            )
        )

    def rebuild(
        self,
        node: Any,
        file: _File,
        at: str,
        out: str,
        in_schema: bool,
        inlining: frozenset[tuple[Path, str]],
        depth: int,
    ) -> Any:
        """A copy of node with every $ref made local; `at` is node's pointer in `file`, `out` in the result."""
        if depth > DEFAULT_MAX_DEPTH * 2:
            self.problem(
                file,
                at,
                f"document nests more than {DEFAULT_MAX_DEPTH * 2} levels deep once its"
                " referenced files are copied in; refused",
            )
            return node
        if isinstance(node, list):
            return [
                self.rebuild(item, file, f"{at}/{i}", f"{out}/{i}", in_schema, inlining, depth + 1)
                for i, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not (ref.startswith("#") and file is self.main):
            return self.follow(node, ref, file, at, out, in_schema, inlining, depth)
        result = {}
        parent_key = _last_token(at)
        for key, value in node.items():
            if is_extension(key, parent_key):
                result[key] = value  # data: a $ref in it is never followed
                continue
            result[key] = self.rebuild(
                value,
                file,
                at + join_pointer(key),
                out + join_pointer(key),
                in_schema or key in _SCHEMA_KEYS,
                inlining,
                depth + 1,
            )
        return result

    def follow(
        self,
        node: dict[str, Any],
        ref: str,
        file: _File,
        at: str,
        out: str,
        in_schema: bool,
        inlining: frozenset[tuple[Path, str]],
        depth: int,
    ) -> Any:
        where = at + "/$ref"
        siblings = {
            key: self.rebuild(
                value,
                file,
                at + join_pointer(key),
                out + join_pointer(key),
                in_schema,
                inlining,
                depth + 1,
            )
            for key, value in node.items()
            if key != "$ref"
        }
        target_path, fragment, refusal = self.target(ref, file)
        if target_path is None:
            return self.unfollowed(node, siblings, file, where, refusal)
        if fragment and not fragment.startswith("/"):
            return self.unfollowed(
                node,
                siblings,
                file,
                where,
                f"$ref {ref!r}: only JSON-pointer fragments (#/...) are supported",
            )
        if target_path == self.main.path:
            return {"$ref": "#" + fragment, **siblings}
        target = self.load(target_path, file, where, ref)
        if target is None:  # reported where the file was first named
            return node if self.strict else siblings
        value = resolve_pointer(target.data, fragment)
        if value is MISSING:
            return self.unfollowed(
                node,
                siblings,
                file,
                where,
                f"$ref {ref!r} does not resolve: {target.display} has nothing at"
                f" {unquote(fragment) or '/'}",
            )
        source_pointer = unquote(fragment)
        key = (target.path, source_pointer)
        if in_schema:
            name = self.named.get(key)
            if name is None:
                name = self.new_name(source_pointer, target.path)
                self.named[key] = name
                component = "/components/schemas/" + escape_pointer(name)
                self.origins.append(
                    Origin(component, target.display, source_pointer, target.locator, target.sha256)
                )
                self.schemas[name] = None  # reserved first: the schema may refer to itself
                self.schemas[name] = self.rebuild(
                    value, target, source_pointer, component, True, inlining, depth + 1
                )
            return {"$ref": "#/components/schemas/" + escape_pointer(name), **siblings}
        if key in inlining:
            return self.unfollowed(
                node,
                siblings,
                file,
                where,
                f"circular $ref {ref!r}: the object it names contains this reference",
            )
        self.origins.append(
            Origin(out, target.display, source_pointer, target.locator, target.sha256)
        )
        content = self.rebuild(
            value, target, source_pointer, out, False, inlining | {key}, depth + 1
        )
        return {**content, **siblings} if isinstance(content, dict) else content

    def target(self, ref: str, file: _File) -> tuple[Path | None, str, str]:
        """(file, fragment, "") for a reference to follow; (None, fragment, why) for a refused one."""
        path_part, _, fragment = ref.partition("#")
        if not path_part:
            return file.path, fragment, ""
        refusal = ref_refusal(ref)
        if refusal is not None:
            return None, fragment, refusal
        resolved = (file.path.parent / unquote(path_part)).resolve()
        if not resolved.is_relative_to(self.root):
            return (
                None,
                fragment,
                f"$ref {ref!r} refused: it points outside the spec's folder"
                " (only files inside it are read)",
            )
        return resolved, fragment, ""

    def load(self, path: Path, file: _File, where: str, ref: str) -> _File | None:
        """The file, or None when it cannot be read (reported the first time it is named)."""
        if path in self.files:
            return self.files[path]
        display = (self.display_folder / path.relative_to(self.root).as_posix()).as_posix()
        if not path.is_file():
            self.refuse(file, where, f"$ref {ref!r}: no such file in the spec's folder ({display})")
            self.files[path] = None
            return None
        if len(self.files) > self.max_files:
            self.problem(
                file,
                where,
                f"$ref {ref!r} refused: the spec already references {self.max_files} files"
                " (max_spec_files)",
            )
            self.files[path] = None
            return None
        try:
            raw = read_limited(
                path, display, max(self.budget, 0), what="referenced file (with the spec)"
            )
            self.budget -= len(raw)
            data, text = parse_any(
                raw,
                display,
                is_json=path.suffix.lower() == ".json",
                max_nodes=self.max_nodes,
                what="referenced file",
            )
        except GenerationFailed as failed:
            self.files[path] = None
            limits = [
                d for d in failed.diagnostics if "refused" in d.message or "limit" in d.message
            ]
            if self.strict or limits:
                self.problems.extend(failed.diagnostics)
                return None
            self.warnings.extend(
                replace(
                    d,
                    message=f"{d.message}; every $ref to this file is read as an untyped value",
                    severity="warning",
                    kind="ref-untyped",
                )
                for d in failed.diagnostics
            )
            return None
        loaded = _File(path, display, data, Locator(text), hashlib.sha256(raw).hexdigest())
        self.files[path] = loaded
        return loaded

    def new_name(self, pointer: str, path: Path) -> str:
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/") if t]
        stem = tokens[-1] if tokens else path.name.split(".")[0]
        base = _INVALID_NAME_CHARS.sub("_", stem) or "Schema"
        name, index = base, 2
        while name in self.taken:
            name, index = f"{base}_{index}", index + 1
        self.taken.add(name)
        return name


def bundle(
    source: SpecSource,
    *,
    max_bytes: int,
    max_nodes: int,
    max_files: int = MAX_FILES,
    strict: bool = True,
) -> tuple[dict[str, Any], tuple[Origin, ...], tuple[Diagnostic, ...]] | None:
    """(document with every file $ref copied in, origins, warnings), or None when there is none.

    None too when the document is not OpenAPI 3. Raises GenerationFailed with one located
    diagnostic per limit exceeded, and when `strict` per reference refused or broken (else those
    are the warnings).
    """
    document = source.data
    version = document.get("openapi")
    if "swagger" in document or not (isinstance(version, str) and version.startswith("3.")):
        return None  # validation says what is wrong with the version; nothing is read meanwhile
    return bundle_files(
        source, max_bytes=max_bytes, max_nodes=max_nodes, max_files=max_files, strict=strict
    )


def bundle_files(
    source: SpecSource, *, max_bytes: int, max_nodes: int, max_files: int, strict: bool
) -> tuple[dict[str, Any], tuple[Origin, ...], tuple[Diagnostic, ...]] | None:
    """bundle() for any document (OpenAPI or AsyncAPI): the files its `$ref`s name copied in,
    their schemas under components.schemas; None when it names no file."""
    document = source.data
    if not any(isinstance(ref, str) and not ref.startswith("#") for _, ref in iter_refs(document)):
        return None
    bundler = _Bundler(source, max_bytes, max_nodes, max_files, strict)
    result = bundler.rebuild(document, bundler.main, "", "", False, frozenset(), 0)
    if bundler.schemas and not bundler.problems:
        components = result.setdefault("components", {})
        schemas = components.setdefault("schemas", {}) if isinstance(components, dict) else None
        if isinstance(schemas, dict):
            schemas.update(bundler.schemas)
        else:
            bundler.problem(
                bundler.main,
                "/components",
                "components.schemas must be a mapping to hold"
                " the schemas referenced from other files",
            )
    if bundler.problems:
        raise GenerationFailed(bundler.problems)
    origins = sorted(bundler.origins, key=lambda o: len(o.pointer), reverse=True)
    return result, tuple(origins), tuple(bundler.warnings)


def _last_token(pointer: str) -> str | None:
    if not pointer:
        return None
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")

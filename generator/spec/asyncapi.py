"""AsyncAPI: an AsyncAPI 2.x or 3.0 document read beside the OpenAPI one, as safely as the spec.

The same steps and guarantees as the spec's (load.py, bundle.py, overlay.py, policy.py): safe
YAML or JSON within the size, alias and depth limits; relative `$ref`s to files inside the
document's folder copied in, every other reference (URLs, absolute paths, paths leaving the
folder) refused and nothing fetched; Overlay 1.0 documents applied in order; then each `$ref`
that cannot be followed (dangling, circular, refused) is, by default, a located warning and an
untyped value, and with --strict an error. A document that is not AsyncAPI 2.x/3.0 is an error
in both modes. What a channel offers is read later, in api/channels.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, GenerationFailed
from .bundle import MAX_FILES, bundle_files, resolve_pointer
from .checks import check_refs
from .load import DEFAULT_MAX_BYTES, DEFAULT_MAX_NODES, Locator, SpecSource, parse_any, read_limited
from .overlay import AppliedOverlay, apply_overlays

__all__ = ["AsyncApiDocument", "load_asyncapi"]

_VERSION = re.compile(r"^(2\.[0-6]|3\.0)\.\d+$")
_WHAT = "AsyncAPI document"


@dataclass(frozen=True)
class AsyncApiDocument:
    """A loaded AsyncAPI document: `source` locates pointers (file:line:column), `document` is
    the data after bundling, overlays and the policy; `major` is 2 or 3."""

    source: SpecSource
    document: dict[str, Any]
    version: str
    warnings: tuple[Diagnostic, ...] = ()
    applied: tuple[AppliedOverlay, ...] = ()

    @property
    def major(self) -> int:
        return 3 if self.version.startswith("3.") else 2

    def diagnostic(
        self, pointer: str | None, message: str, severity: str = "error", kind: str = ""
    ) -> Diagnostic:
        return replace(self.source.diagnostic(pointer, message), severity=severity, kind=kind)


def load_asyncapi(
    path: Path,
    *,
    display: str | None = None,
    overlays: Sequence[tuple[Path, str]] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_files: int = MAX_FILES,
    strict: bool = False,
) -> AsyncApiDocument:
    """Read, check and bundle an AsyncAPI document; raises GenerationFailed (located) when it
    cannot be read as one, or (strict) for any reference that cannot be followed."""
    shown = display or str(path)
    is_json = path.suffix.lower() == ".json"
    raw = read_limited(path, shown, max_bytes, what=_WHAT)
    data, text = parse_any(raw, shown, is_json=is_json, max_nodes=max_nodes, what=_WHAT)
    locator = Locator(text, is_json=is_json)
    source = SpecSource(path, shown, hashlib.sha256(raw).hexdigest(), data, locator)
    version = _version(source)
    source = _bundled(source, max_bytes - len(raw), max_nodes, max_files, strict)
    overlaid = apply_overlays(source.data, overlays, max_bytes=max_bytes)
    document, ref_warnings = _settle_refs(source, overlaid.document, strict)
    return AsyncApiDocument(
        source,
        document,
        version,
        source.warnings + overlaid.warnings + ref_warnings,
        overlaid.applied,
    )


def _version(source: SpecSource) -> str:
    data = source.data

    def fail(pointer: str, message: str) -> GenerationFailed:
        return GenerationFailed([source.diagnostic(pointer, message)])

    version = data.get("asyncapi")
    if version is None:
        if "openapi" in data or "swagger" in data:
            raise fail(
                "",
                "not an AsyncAPI document: this is an OpenAPI/Swagger document; give it as"
                " --spec (--asyncapi takes AsyncAPI 2.x or 3.0 documents)",
            )
        raise fail("", "not an AsyncAPI document: the 'asyncapi' version field is missing")
    if not (isinstance(version, str) and _VERSION.match(version)):
        raise fail(
            "/asyncapi",
            f"AsyncAPI version {version!r} is not supported (2.0 to 2.6 and 3.0 are)",
        )
    return version


def _bundled(
    source: SpecSource, max_bytes: int, max_nodes: int, max_files: int, strict: bool
) -> SpecSource:
    """The relative files `$ref`s name copied in, as bundle.bundle does for OpenAPI."""
    bundled = bundle_files(
        source, max_bytes=max_bytes, max_nodes=max_nodes, max_files=max_files, strict=strict
    )
    if bundled is None:
        return source
    result, origins, warnings = bundled
    return replace(source, data=result, origins=origins, warnings=warnings)


def _settle_refs(
    source: SpecSource, document: dict[str, Any], strict: bool
) -> tuple[dict[str, Any], tuple[Diagnostic, ...]]:
    """Each `$ref` that cannot be followed: an error when strict, else removed (the object is
    an untyped value) with a located warning."""
    problems = [(where, message) for where, message in check_refs(document) if where is not None]
    if not problems:
        return document, ()
    if strict:
        raise GenerationFailed(source.diagnostic(where, message) for where, message in problems)
    document = json.loads(json.dumps(document))  # the loaded data stays as it was read
    warnings = []
    for where, message in problems:
        holder = resolve_pointer(document, where.removesuffix("/$ref"))
        if isinstance(holder, dict):
            holder.pop("$ref", None)
        warnings.append(
            replace(
                source.diagnostic(where, f"{message}; read as an untyped value"),
                severity="warning",
                kind="ref-untyped",
            )
        )
    return document, tuple(warnings)

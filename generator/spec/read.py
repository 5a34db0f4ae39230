"""Read: the spec file loaded, checked against the limits, and its relative `$ref` files bundled in."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .bundle import MAX_FILES, bundle
from .load import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_NODES,
    Locator,
    SpecSource,
    parse_document,
    read_limited,
)

__all__ = ["load_spec"]


def load_spec(
    path: Path,
    *,
    display: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_files: int = MAX_FILES,
    strict: bool = True,
) -> SpecSource:
    """Read, parse and check the spec, then bundle the files its relative `$ref`s name.

    Unless `strict`, a reference refused or broken is a warning (in the result's `warnings`).
    """
    shown = display or str(path)
    raw = read_limited(path, shown, max_bytes)
    data, text = parse_document(
        raw, shown, is_json=path.suffix.lower() == ".json", max_nodes=max_nodes
    )
    locator = Locator(text, is_json=path.suffix.lower() == ".json")
    source = SpecSource(path, shown, hashlib.sha256(raw).hexdigest(), data, locator)
    bundled = bundle(
        source,
        max_bytes=max_bytes - len(raw),
        max_nodes=max_nodes,
        max_files=max_files,
        strict=strict,
    )
    if bundled is None:
        return source
    document, origins, warnings = bundled
    return SpecSource(path, shown, source.sha256, document, locator, origins, warnings)

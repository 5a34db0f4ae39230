"""Cache: content-addressed results of the slow, pure steps (validation, models, layout, black).

Each entry is stored with the sha256 of its value and checked when read: an entry that was
truncated or edited is a miss, never a value.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

__all__ = ["Cache", "code_digest", "content_key", "package_version"]

# The layout of a key's parts (see content_key), not a version of the steps: a step's key holds
# the digest of the code that produces its value (code_digest), so a change to it is a new key.
CACHE_FORMAT = "2"


def content_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@cache
def code_digest(*modules: str) -> str:
    """sha256 of the source of the named modules, each package with every .py file under it.

    For a cache key: a change to the code that computes a cached value gives another key. Files
    are taken by their dotted names, in sorted order, so the digest does not depend on where the
    project is checked out. Computed once per process for the same arguments.
    """
    found: dict[str, Path] = {}
    for module in modules:
        found.update(_sources_of(module))
    return files_digest(sorted(found.items()))


def files_digest(files: list[tuple[str, Path]]) -> str:
    """sha256 of (name, content) pairs, each length-prefixed, in the order given."""
    digest = hashlib.sha256()
    for name, path in files:
        for part in (name.encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def _sources_of(module: str) -> dict[str, Path]:
    """Dotted name → .py file of a module, or of every module of a package (subpackages too)."""
    from importlib.util import find_spec

    spec = find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no source for the module {module!r}")
    if not spec.submodule_search_locations:
        return {module: Path(spec.origin)}
    found: dict[str, Path] = {}
    for folder in map(Path, spec.submodule_search_locations):
        for path in folder.rglob("*.py"):
            relative = path.relative_to(folder).with_suffix("").parts
            found[".".join((module, *relative))] = path
    return found


@cache
def package_version(distribution: str) -> str:
    """The installed version of a distribution, for cache keys.

    importlib.metadata costs tens of milliseconds to import and scan: ask only when the cache is
    on (Cache.enabled).
    """
    from importlib.metadata import version

    return version(distribution)


class Cache:
    """Text values under folder/namespace/ab/cdef...; a missing folder disables caching."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @property
    def enabled(self) -> bool:
        """False when nothing is kept: keys need not be computed."""
        return self.folder is not None

    def get(self, namespace: str, key: str) -> str | None:
        if self.folder is None:
            return None
        try:
            data = (self.folder / namespace / key[:2] / key[2:]).read_bytes()
        except OSError:
            return None
        digest, newline, value = data.partition(b"\n")
        if not newline or hashlib.sha256(value).hexdigest().encode() != digest:
            return None  # not an entry this class wrote whole: a miss
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def put(self, namespace: str, key: str, value: str) -> None:
        if self.folder is None:
            return
        target = self.folder / namespace / key[:2] / key[2:]
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: a reader never sees half an entry.
            data = value.encode("utf-8")
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            os.replace(temp, target)
        except (OSError, UnicodeEncodeError):
            pass  # a cache that cannot be written only costs time

"""Cache: content-addressed results of the slow, pure steps (validation, models, black)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

__all__ = ["Cache", "content_key", "package_version"]

# Bump when a cached step's output would change for the same input (our own code changed it).
CACHE_FORMAT = "1"


def content_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


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
            return (self.folder / namespace / key[:2] / key[2:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, namespace: str, key: str, value: str) -> None:
        if self.folder is None:
            return
        target = self.folder / namespace / key[:2] / key[2:]
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: a reader never sees half an entry.
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(value)
            os.replace(temp, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

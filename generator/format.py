"""Format: black over every generated Python file (pinned black, fixed mode), cached and in parallel."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version

import black
from black.mode import TargetVersion

from .cache import Cache, content_key

__all__ = ["format_files"]

_MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)
# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 64


def _format(text: str) -> str:
    return black.format_str(text, mode=_MODE)


def format_files(files: Mapping[str, str], cache: Cache | None = None) -> dict[str, str]:
    """Format the .py files; other files pass through. Output depends only on the input text."""
    cache = cache or Cache(None)
    result = dict(files)
    pending: list[tuple[str, str, str]] = []
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        key = content_key("black", version("black"), repr(_MODE), text)
        hit = cache.get("black", key)
        if hit is not None:
            result[path] = hit
        else:
            pending.append((path, key, text))
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(pending) >= _PARALLEL_THRESHOLD
        and workers > 1
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            formatted = list(pool.map(_format, [text for _, _, text in pending], chunksize=32))
    else:
        formatted = [_format(text) for _, _, text in pending]
    for (path, key, _), text in zip(pending, formatted, strict=True):
        result[path] = text
        cache.put("black", key, text)
    return result

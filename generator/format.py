"""Format: black over every generated Python file (pinned black, fixed mode), cached and in parallel."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from importlib.metadata import version
from typing import Any

from .cache import Cache, content_key

__all__ = ["format_files"]

# black's settings, spelled out for the cache key: black itself is imported (a tenth of a second)
# only when a file is not in the cache.
_LINE_LENGTH = 88
_MODE_KEY = f"black.Mode(target_versions={{PY311}}, line_length={_LINE_LENGTH})"
# Below this many files, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 64


@cache
def _mode() -> Any:
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY311}, line_length=_LINE_LENGTH)


def _format(text: str) -> str:
    import black

    return black.format_str(text, mode=_mode())


def _start_worker() -> None:
    # black builds trees full of parent pointers: cycles that the collector would chase all
    # through formatting. A worker frees each file's garbage at once instead (below).
    gc.disable()


def _format_in_worker(text: str) -> str:
    try:
        return _format(text)
    finally:
        gc.collect()  # only this file's objects: the inherited heap is frozen (format_files)


def format_files(files: Mapping[str, str], cache: Cache | None = None) -> dict[str, str]:
    """Format the .py files; other files pass through. Output depends only on the input text."""
    cache = cache or Cache(None)
    result = dict(files)
    pending: list[tuple[str, str, str]] = []
    black_version = version("black")
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        key = content_key("black", black_version, _MODE_KEY, text)
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
        _mode()  # imported once here, not in each worker
        # Largest first, in small chunks: the workers run out of work at about the same time.
        order = sorted(range(len(pending)), key=lambda i: -len(pending[i][2]))
        # Frozen objects are left alone by the collector: in the forked workers the parent's heap
        # stays shared (a collection would touch, and so copy, every page of it).
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
            ) as pool:
                done = pool.map(_format_in_worker, [pending[i][2] for i in order], chunksize=4)
                formatted = [""] * len(pending)
                for index, text in zip(order, done, strict=True):
                    formatted[index] = text
        finally:
            gc.unfreeze()
    else:
        formatted = [_format(text) for _, _, text in pending]
    for (path, key, _), text in zip(pending, formatted, strict=True):
        result[path] = text
        cache.put("black", key, text)
    return result

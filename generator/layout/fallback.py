"""Format: black over the generated Python files not already laid out in its style, cached and in parallel."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Collection, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache
from typing import Any

from ..cache import Cache, content_key, package_version
from .style import LINE_LENGTH

__all__ = ["VERIFY_ENV", "FormatMismatch", "format_files"]

# Set to 1 (the test suite does), black also runs over the files declared already in its style and
# any difference is an error: the proof that skipping black on them changes nothing.
VERIFY_ENV = "OPENAPI_CLIENT_GENERATOR_VERIFY_FORMAT"

# black's settings, spelled out for the cache key: black itself is imported (a tenth of a second)
# only when a file is not in the cache. The line length is the one the generator's own layouts
# (blackstyle) lay files out for.
_MODE_KEY = f"black.Mode(target_versions={{PY311}}, line_length={LINE_LENGTH})"
# Files per task sent to a worker.
_CHUNK = 4
# Below this much text, forking workers costs more than it saves (black formats a few hundred
# kB a second per core, and passes most files twice; a fork costs a few tens of milliseconds).
_PARALLEL_MIN_CHARS = 30_000


@cache
def _mode() -> Any:
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)


def _format(text: str) -> str:
    import black

    return black.format_str(text, mode=_mode())


def _start_worker() -> None:
    # black builds trees full of parent pointers: cycles that the collector would chase all
    # through formatting. A worker frees each file's garbage at once instead (below).
    gc.disable()


def _format_in_worker(texts: list[str]) -> list[str]:
    formatted = []
    for text in texts:
        formatted.append(_format(text))
        gc.collect()  # only this file's objects: the inherited heap is frozen (_format_parallel)
    return formatted


def _format_parallel(texts: list[str], processes: int) -> list[str]:
    """black over `texts` on `processes` cores: this process and processes - 1 forked workers.

    The workers take the largest files first, this process the smallest, until none is left.
    This process formats too, rather than wait for a worker of its own: one fewer copy of the
    memory each worker takes.
    """
    _mode()  # imported once here, not in each worker
    queue = deque(sorted(range(len(texts)), key=lambda i: -len(texts[i])))
    formatted: list[str] = [""] * len(texts)
    # Frozen objects are left alone by the collector: in the forked workers the parent's heap
    # stays shared (a collection would touch, and so copy, every page of it).
    unfreeze = gc.get_freeze_count() == 0  # else whoever froze the heap thaws it
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            processes - 1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
        ) as pool:
            running: dict[Future[list[str]], list[int]] = {}

            def feed() -> None:
                while queue and len(running) < 2 * (processes - 1):
                    chunk = [queue.popleft() for _ in range(min(_CHUNK, len(queue)))]
                    running[pool.submit(_format_in_worker, [texts[i] for i in chunk])] = chunk

            def collect(futures: set[Future[list[str]]]) -> None:
                for future in futures:
                    for index, text in zip(running.pop(future), future.result(), strict=True):
                        formatted[index] = text

            feed()
            while queue:
                index = queue.pop()
                formatted[index] = _format(texts[index])
                collect({future for future in running if future.done()})
                feed()
            while running:
                collect(wait(running, return_when=FIRST_COMPLETED).done)
    finally:
        if unfreeze:
            gc.unfreeze()
    return formatted


class FormatMismatch(Exception):
    """A file declared already in black's style that black would change: a generator bug."""

    def __init__(self, paths: list[str]) -> None:
        shown = ", ".join(paths[:10]) + (f" and {len(paths) - 10} more" if len(paths) > 10 else "")
        super().__init__(f"black would change {len(paths)} file(s) laid out in its style: {shown}")
        self.paths = paths


def format_files(
    files: Mapping[str, str], cache: Cache | None = None, ready: Collection[str] = ()
) -> dict[str, str]:
    """Format the .py files; other files, and those in `ready`, pass through.

    `ready` names files the generator laid out in black's style itself (black would leave them
    unchanged): black, seconds for a large spec, runs only on the rest. Output depends only on
    the input text.
    """
    cache = cache or Cache(None)
    result = dict(files)
    pending: list[tuple[str, str, str]] = []
    black_version = package_version("black") if cache.enabled else ""
    declared = frozenset(ready)
    verify = os.environ.get(VERIFY_ENV) == "1"
    skipped = frozenset() if verify else declared
    for path, text in files.items():
        if not path.endswith(".py") or path in skipped:
            continue
        key = content_key("black", black_version, _MODE_KEY, text)
        hit = cache.get("black", key)
        if hit is not None:
            result[path] = hit
        else:
            pending.append((path, key, text))
    workers = min(os.cpu_count() or 1, 8)
    if (
        len(pending) > 1
        and sum(len(text) for _, _, text in pending) >= _PARALLEL_MIN_CHARS
        and workers > 1
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        formatted = _format_parallel([text for _, _, text in pending], workers)
    else:
        formatted = [_format(text) for _, _, text in pending]
    for (path, key, _), text in zip(pending, formatted, strict=True):
        result[path] = text
        cache.put("black", key, text)
    if verify:
        changed = sorted(p for p in declared if p in files and result[p] != files[p])
        if changed:
            raise FormatMismatch(changed)
    return result

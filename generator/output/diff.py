"""Diff: compare a fresh generation with the committed output, file by file."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["TreeDiff", "diff_trees"]


@dataclass(frozen=True)
class TreeDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    unified: str
    # Files that differ in a way the caller declared equivalent (not drift; not in `unified`).
    tolerated: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def report(self) -> str:
        lines = [
            f"{kind}: {path}"
            for kind, paths in (
                ("added", self.added),
                ("removed", self.removed),
                ("changed", self.changed),
            )
            for path in paths
        ]
        return "\n".join(lines) + ("\n" + self.unified if self.unified else "")


def diff_trees(
    committed: Mapping[str, str],
    fresh: Mapping[str, str],
    *,
    out_name: str,
    equivalent: Mapping[str, Callable[[str, str], bool]] | None = None,
) -> TreeDiff:
    """What a fresh generation would add, remove or change relative to what is on disk.

    `equivalent` maps a path to a test of (committed, fresh) texts: a file that differs but
    passes it is `tolerated`, not changed.
    """
    tests = equivalent or {}
    added = tuple(sorted(fresh.keys() - committed.keys()))
    removed = tuple(sorted(committed.keys() - fresh.keys()))
    differing = sorted(p for p in fresh.keys() & committed.keys() if fresh[p] != committed[p])
    tolerated = tuple(p for p in differing if p in tests and tests[p](committed[p], fresh[p]))
    changed = tuple(p for p in differing if p not in tolerated)
    chunks: list[str] = []
    for path in sorted((*added, *removed, *changed)):
        chunks.extend(
            difflib.unified_diff(
                committed.get(path, "").splitlines(keepends=True),
                fresh.get(path, "").splitlines(keepends=True),
                fromfile=f"{out_name}/{path} (committed)",
                tofile=f"{out_name}/{path} (fresh)",
            )
        )
    return TreeDiff(added, removed, changed, "".join(chunks), tolerated)

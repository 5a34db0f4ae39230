"""Diff: compare a fresh generation with the committed output, file by file."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["TreeDiff", "diff_trees"]


@dataclass(frozen=True)
class TreeDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    unified: str

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
    committed: Mapping[str, str], fresh: Mapping[str, str], *, out_name: str
) -> TreeDiff:
    """What a fresh generation would add, remove or change relative to what is on disk."""
    added = tuple(sorted(fresh.keys() - committed.keys()))
    removed = tuple(sorted(committed.keys() - fresh.keys()))
    changed = tuple(sorted(p for p in fresh.keys() & committed.keys() if fresh[p] != committed[p]))
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
    return TreeDiff(added, removed, changed, "".join(chunks))

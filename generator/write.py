"""Write: replace the output folder atomically (stage beside it, then swap), or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .diagnostics import GenerationFailed

__all__ = ["IGNORED_NAMES", "read_tree", "safe_relative", "write_tree"]

# Left behind by tools run inside the output (pip, mypy, Python): never compared, never kept.
IGNORED_NAMES = ("__pycache__", ".mypy_cache", "build", ".pytest_cache")


def safe_relative(path: str) -> PurePosixPath:
    """A generated file's path must stay inside the output folder, whatever the spec said.

    Refused: absolute paths, `..`, empty paths, backslashes and drive letters (other systems'
    separators), and control characters.
    """
    candidate = PurePosixPath(path)
    if (
        candidate.is_absolute()
        or not candidate.parts
        or ".." in candidate.parts
        or "\\" in path
        or ":" in path
        or any(ord(char) < 0x20 or char == "\x7f" for char in path)
    ):
        raise GenerationFailed.in_file(
            "<generator>", f"refusing to write outside the output folder: {path!r}"
        )
    return candidate


def write_tree(out: Path, files: Mapping[str, str]) -> None:
    """Stage every file in a sibling folder, then swap it in for `out`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        for path, text in sorted(files.items()):
            target = staging.joinpath(*safe_relative(path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    os.rename(out, retired)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(retired, out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def read_tree(out: Path) -> dict[str, str]:
    """The text files under `out`, keyed by POSIX relative path (ignoring tool caches)."""
    result: dict[str, str] = {}
    if not out.is_dir():
        return result
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if any(part in IGNORED_NAMES or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file():
            result[relative.as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return result

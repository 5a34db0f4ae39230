"""Write: replace the output folder atomically (stage beside it, then swap), or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..diagnostics import GenerationFailed

__all__ = [
    "IGNORED_NAMES",
    "TOOL_FOLDERS",
    "read_tree",
    "read_tree_bytes",
    "safe_relative",
    "write_tree",
]

# Left behind by Python in any folder it imports from: never compared, never kept.
IGNORED_NAMES = ("__pycache__",)
# Left behind at the top of the output by tools run there (pip, setuptools, build, mypy, pytest,
# ruff, tox). Only there: deeper down, a folder of that name is generated (a tag named `build`).
TOOL_FOLDERS = (
    ".eggs",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    "build",
    "dist",
)


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
            parts = safe_relative(path).parts
            if _ignored(parts[0], top=len(parts) > 1) or any(
                _ignored(part, top=False) for part in parts[1:-1]
            ):
                raise GenerationFailed.in_file(
                    "<generator>",
                    f"refusing to write {path!r}: `check` would not see it, the folder being one "
                    "that tools leave behind (choose another package name)",
                )
            target = staging.joinpath(*parts)
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


def _ignored(name: str, *, top: bool) -> bool:
    """Whether a folder of this name is a tool's: at the top of the output, or anywhere."""
    if name in IGNORED_NAMES:
        return True
    return top and (name in TOOL_FOLDERS or name.endswith(".egg-info"))


def _tree(out: Path) -> list[tuple[str, str]]:
    """(POSIX relative path, path) of every file under `out`, sorted, tool folders left out."""
    found: list[tuple[str, str]] = []
    pending = [(str(out), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if _ignored(entry.name, top=not prefix):
                    continue
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file():
                found.append((prefix + entry.name, entry.path))
    return sorted(found)


def read_tree(out: Path) -> dict[str, str]:
    """The text files under `out`, keyed by POSIX relative path (ignoring tool caches)."""
    return {name: _read_text(path) for name, path in _tree(out)}


def read_tree_bytes(out: Path) -> dict[str, bytes]:
    """The same files as read_tree, as the bytes on disk."""
    return {name: _read(path) for name, path in _tree(out)}


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _read_text(path: str) -> str:
    # Universal newlines, as Path.read_text: a checkout with CRLF line ends still compares equal.
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()

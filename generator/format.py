"""Format: black over every generated Python file (pinned black, fixed mode)."""

from __future__ import annotations

from collections.abc import Mapping

import black

__all__ = ["format_files"]

_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """Format the .py files; other files pass through. Output depends only on the input text."""
    return {path: black.format_str(text, mode=_MODE) if path.endswith(".py") else text for path, text in files.items()}

"""Python layout: the few lines render.py still lays out itself (imports, docstrings) as black does."""

# The templates write their statements a logical line each and layout.lay_out_module (rendered.py)
# lays the modules out. The templates of the package files whose statements it does not parse
# (errors.py, __init__.py, models/__init__.py: `raise`, f-strings, comments in bodies) are written
# in black's layout already; only their spec-dependent imports and docstrings come from here.
# Where black's result depends on something not modelled (a line it cannot measure), the
# Layout notes that it is not exact: the file then goes through black like any other.

from __future__ import annotations

from collections.abc import Sequence

from ..escape import docstring as escape_docstring
from .style import INDENT, Unsupported, docstring, fits, from_import

__all__ = ["Layout", "docstring_literal"]


class Layout:
    """Lays out one file's lines; `exact` stays True while every one is black's layout."""

    def __init__(self) -> None:
        self.exact = True

    def _fallback(self, lines: list[str]) -> list[str]:
        self.exact = False
        return lines

    def line(self, text: str, depth: int) -> list[str]:
        """A statement not modelled here (`import x`): exact while it fits."""
        line = INDENT * depth + text
        try:
            if fits(line):
                return [line]
        except Unsupported:
            pass
        return self._fallback([line])

    def from_import(self, module: str, names: Sequence[str], depth: int = 0) -> list[str]:
        """`from module import names`: on one line if it fits, else one name a line."""
        try:
            return from_import(module, names, depth)
        except Unsupported:
            return self._fallback([f"{INDENT * depth}from {module} import {', '.join(names)}"])

    def docstring(self, text: str, depth: int) -> str:
        """The docstring literal of `text` at `depth` (its first line without indentation)."""
        return docstring_literal(text, depth)


def docstring_literal(text: str, depth: int) -> str:
    """`text` as a docstring at `depth`, as black rewrites it (style.docstring) when a template
    writes it escaped (escape.docstring) with the lines after the first indented. The first line
    carries no indentation."""
    indent = INDENT * depth
    first, *rest = escape_docstring(text).split("\n")
    written = "\n".join([first, *(indent + line if line else line for line in rest)])
    return docstring(written, depth)

"""Black style: black's rules that both layouts (pylayout, layout) need: width, imports, docstrings."""

# black 26.10, line length 88, default mode. The two layouts build statements differently
# (pylayout from expression trees, layout from leaves split by linesplit) but measure lines,
# lay out `from m import names` and rewrite docstrings by the same rules, which live here.

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence

__all__ = [
    "INDENT",
    "LINE_LENGTH",
    "Unsupported",
    "columns_fit",
    "docstring",
    "fits",
    "from_import",
    "wide",
]

LINE_LENGTH = 88
INDENT = "    "
# black leaves a docstring with a backslash before a line break exactly as written.
_BACKSLASH_NEWLINE = re.compile(r"\\\s*\n")


class Unsupported(Exception):
    """black's layout depends on something not modelled here: the file is left to black."""


def wide(text: str) -> int:
    """How many characters of `text` may be two columns wide (none below U+1100)."""
    return 0 if text.isascii() else sum(1 for c in text if c >= "\u1100")


def columns_fit(
    length: int, wide: int, spelled: Callable[[], str], limit: int = LINE_LENGTH
) -> bool:
    """black's is_line_short_enough for a line of `length` characters of which `wide` may be
    two columns wide, spelled out by `spelled()` only when their width decides."""
    if length > limit:
        return False
    if length + wide <= limit:
        return True
    return _black_width(spelled()) <= limit


def fits(text: str, limit: int = LINE_LENGTH) -> bool:
    """Whether one line is at most `limit` columns wide as black measures it (see columns_fit)."""
    if text.isascii():
        return len(text) <= limit
    return columns_fit(len(text), wide(text), lambda: text, limit)


def _black_width(text: str) -> int:
    """The columns black gives `text`: its own table of east asian wide characters, so that a
    layout decided by them is black's (imported only then: few lines have such characters
    near the limit). The table holds only characters of two columns from U+1100 on, which
    the fast paths above rely on; a test checks it."""
    from black.strings import str_width

    return str_width(text)


def from_import(module: str, names: Sequence[str], depth: int = 0) -> list[str]:
    """`from module import names` at `depth` as black lays it out: one line if it fits, else one
    name a line (with a trailing comma) between parentheses."""
    indent = INDENT * depth
    line = f"{indent}from {module} import {', '.join(names)}"
    if fits(line):
        return [line]
    return [f"{indent}from {module} import (", *(f"{indent}    {n}," for n in names), f"{indent})"]


def docstring(written: str, depth: int) -> str:
    """The docstring black makes of `\"\"\"written\"\"\"` at `depth`, quotes included, its first
    line without indentation: indentation and trailing spaces normalized, quotes and backslashes
    at the ends padded, the closing quotes on a line of their own when the last line would be
    too long. Twice, as black formats a file a second time when the first pass changed it."""
    indent = INDENT * depth
    return '"""' + _rewrite(_rewrite(written, indent), indent) + '"""'


def _rewrite(value: str, indent: str) -> str:
    """One pass of black over a docstring written `value` (between the quotes) at `indent`."""
    if _BACKSLASH_NEWLINE.search(value):
        return value  # black leaves such a docstring alone
    doc = _trim(value, indent) if "\n" in value else value.strip()
    trailing_backslash = False
    if doc:
        if doc[0] == '"':
            doc = " " + doc
        if doc[-1] == '"':
            doc += " "
        if doc[-1] == "\\" and (len(doc) - len(doc.rstrip("\\"))) % 2:
            doc += " "
            trailing_backslash = True
    elif value:
        doc = " "
    lines = doc.splitlines()
    last = len(lines[-1]) if doc and not doc.endswith("\n") else 0
    if (
        len(lines) > 1
        and last + 3 > LINE_LENGTH
        and len(indent) + 3 <= LINE_LENGTH
        and not trailing_backslash
        and not value.endswith("\n")
    ):
        return f"{doc}\n{indent}"
    return doc


def _trim(body: str, indent: str) -> str:
    """PEP 257's trimming as black does it: leading tabs expanded, the common indentation of the
    lines after the first removed and `indent` put instead, trailing whitespace removed."""
    lines = []
    for line in body.split("\n"):
        stripped = line.lstrip()
        if stripped and stripped != line:
            line = line[: len(line) - len(stripped)].expandtabs(4) + stripped
        lines.append(line)
    margin = sys.maxsize
    for line in lines[1:]:
        stripped = line.lstrip()
        if stripped:
            margin = min(margin, len(line) - len(stripped))
    trimmed = [lines[0].strip()]
    if margin < sys.maxsize:
        last = len(lines) - 2
        for i, line in enumerate(lines[1:]):
            kept = line[margin:].rstrip()
            trimmed.append(indent + kept if kept or i == last else "")
    return "\n".join(trimmed)

"""Markdown: spec text made safe for where it lands in the README (a table cell, a heading, a
paragraph, a code span): nothing can open a code fence or an HTML comment."""

from __future__ import annotations

import re

__all__ = ["anchor", "code", "html_comment", "text_block", "text_line"]


def html_comment(text: str) -> str:
    return "<!-- " + " ".join(text.replace("--", "- -").split()) + " -->"


def text_line(text: str) -> str:
    """Spec text for a table cell or a heading: one line, `|` escaped, no HTML comment."""
    return " ".join(text.split()).replace("|", "\\|").replace("<!--", "&lt;!--")


def text_block(text: str) -> str:
    """Spec text as paragraphs: no line may open a code fence or an HTML comment."""
    lines = []
    for line in text.strip().splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            line = line.replace(stripped[0], "\\" + stripped[0], 1)
        lines.append(line.rstrip().replace("<!--", "&lt;!--"))
    return "\n".join(lines)


def code(text: str) -> str:
    """An inline code span holding `text` exactly, usable in a table cell."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")

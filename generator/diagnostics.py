"""Diagnostics: located problems as values, collected and reported together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

__all__ = [
    "SHOWN_PER_KIND",
    "Diagnostic",
    "GenerationFailed",
    "escape_pointer",
    "grouped",
    "join_pointer",
    "strict_errors",
]

# Warnings of one kind printed in full before "... and N more like it".
SHOWN_PER_KIND = 3


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the input, with where it is.

    `pointer` is a JSON pointer into the spec (RFC 6901); `line`/`column` are 1-based
    positions in `file` when known. A "warning" is printed but does not stop generation (unless
    --strict); `kind` names the defect for grouping (a short stable code, e.g. "default-mismatch";
    empty: the message is its own kind).
    """

    file: str
    line: int | None
    column: int | None
    pointer: str | None
    message: str
    severity: str = "error"
    kind: str = ""

    def render(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer is not None:
            where += f" (at {self.pointer or '/'})"
        return f"{where}: {self.severity}: {_one_line(self.message)}"


def grouped(warnings: Iterable[Diagnostic], *, verbose: bool = False) -> list[str]:
    """Lines for `warnings`, each kind together in first-seen order, the first few of each kind.

    Unless `verbose`, a kind with more than SHOWN_PER_KIND warnings shows that many and a line
    saying how many more there are.
    """
    kinds: dict[str, list[Diagnostic]] = {}
    for warning in warnings:
        kinds.setdefault(warning.kind or warning.message, []).append(warning)
    lines: list[str] = []
    for items in kinds.values():
        shown = items if verbose else items[:SHOWN_PER_KIND]
        lines += [item.render() for item in shown]
        if len(items) > len(shown):
            lines.append(f"  ... and {len(items) - len(shown)} more like it (--verbose lists them)")
    return lines


def strict_errors(warnings: Iterable[Diagnostic]) -> list[Diagnostic]:
    """--strict: every warning about the spec, as the error that stops generation."""
    return [replace(w, severity="error") for w in warnings]


class GenerationFailed(Exception):
    """Raised with every diagnostic found; the CLI prints them and exits 2."""

    @classmethod
    def in_file(cls, file: str, message: str) -> GenerationFailed:
        """One problem with a whole file (no line or pointer to give)."""
        return cls([Diagnostic(file, None, None, None, message)])

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


def escape_pointer(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(*tokens: str | int) -> str:
    return "".join("/" + escape_pointer(t) for t in tokens)


def _one_line(text: str) -> str:
    """Keep each diagnostic on one terminal line, whatever the spec put in it."""
    return " ".join(text.split())

"""Inline aliases: datamodel-code-generator's own names for constrained inline types, put back.

For a property such as `{anyOf: [{type: number, minimum: 0}, {type: null}]}` it writes a type
alias named after the property (`SimilarityBoost = TypeAliasType("SimilarityBoost",
Annotated[float, Field(..., ge=0.0)])`), numbered when the name is taken (`SimilarityBoost3`),
and the field refers to it. The spec named no such type: each alias it made up is replaced where
it is used by its `Annotated[...]` (the constraints and the discriminator kept, the title and
description left to the field, which has them), and the alias itself is dropped.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

__all__ = ["inline_aliases"]

# Field arguments that describe rather than constrain: the field itself carries them.
_DESCRIPTIVE = frozenset({"title", "description", "examples", "default"})


class _Cycle(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def inline_aliases(code: str, named: Iterable[str]) -> str:
    """`code` with every `Annotated` type alias whose name is not in `named` (the class names
    of the spec's schemas and of what was hoisted) inlined where it is used, and dropped."""
    tree = ast.parse(code)
    kept = set(named)
    invented: dict[str, ast.Assign] = {
        stmt.targets[0].id: stmt  # type: ignore[attr-defined]
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
        and _annotated_alias(stmt)
        and stmt.targets[0].id not in kept  # type: ignore[attr-defined]
    }
    if not invented:
        return code
    source = _Source(code.encode(), invented)
    while True:
        try:
            for name in invented:
                source.render(name, ())
            break
        except _Cycle as cycle:
            # An alias that refers to itself, directly or not, stays a named alias.
            del invented[cycle.name]
            source.texts.clear()
    dropped = {id(stmt) for stmt in invented.values()}
    edits: list[tuple[int, int, str]] = []
    for stmt in tree.body:
        if id(stmt) in dropped:
            edits.append((source.at(stmt.lineno, 0), source.at(stmt.end_lineno or 0, -1), ""))
        else:
            edits += source.edits(stmt, False, ())
    return source.apply(0, len(source.data), edits).decode()


def type_alias(stmt: ast.stmt) -> tuple[str, ast.Call] | None:
    """(X, the call) for `X = TypeAliasType(<label>, <type>)`, as datamodel-code-generator
    writes aliases; None for any other statement."""
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id == "TypeAliasType"
        and len(stmt.value.args) == 2
    ):
        return stmt.targets[0].id, stmt.value
    return None


def _annotated_alias(stmt: ast.stmt) -> bool:
    """`X = TypeAliasType("X", Annotated[...])`."""
    alias = type_alias(stmt)
    if alias is None or alias[1].keywords:
        return False
    name, call = alias
    label, value = call.args
    return (
        isinstance(label, ast.Constant)
        and label.value == name
        and isinstance(value, ast.Subscript)
        and isinstance(value.value, ast.Name)
        and value.value.id == "Annotated"
        and isinstance(value.slice, ast.Tuple)
        and len(value.slice.elts) >= 2
    )


class _Source:
    """The module's bytes (ast's columns count UTF-8 bytes) and the text of each alias."""

    def __init__(self, data: bytes, invented: dict[str, ast.Assign]) -> None:
        self.data = data
        self.invented = invented
        self.texts: dict[str, str] = {}
        self.starts = [0]
        for line in data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def at(self, line: int, col: int) -> int:
        """A byte offset; column -1: the start of the next line."""
        return self.starts[line] if col < 0 else self.starts[line - 1] + col

    def apply(self, lo: int, hi: int, edits: list[tuple[int, int, str]]) -> bytes:
        out = self.data[lo:hi]
        for start, end, text in sorted(edits, reverse=True):
            out = out[: start - lo] + text.encode() + out[end - lo :]
        return out

    def text(self, node: ast.expr, in_type: bool, stack: tuple[str, ...]) -> str:
        """The source of `node` with every made-up alias in it replaced by its text."""
        lo = self.at(node.lineno, node.col_offset)
        hi = self.at(node.end_lineno or node.lineno, node.end_col_offset or 0)
        return self.apply(lo, hi, self.edits(node, in_type, stack)).decode()

    def edits(
        self, node: ast.AST, in_type: bool, stack: tuple[str, ...]
    ) -> list[tuple[int, int, str]]:
        """Where each made-up alias is used under `node`: a name anywhere, a string (a forward
        reference) only inside a type, never an argument of a call such as a field's title."""
        found: list[tuple[int, int, str]] = []
        work: list[tuple[ast.AST, bool]] = [(node, in_type)]
        while work:
            item, typed = work.pop()
            name = None
            if isinstance(item, ast.Name) and item.id in self.invented:
                name = item.id
            elif (
                typed
                and isinstance(item, ast.Constant)
                and isinstance(item.value, str)
                and item.value in self.invented
            ):
                name = item.value
            if name is not None:
                assert isinstance(item, ast.expr)
                start = self.at(item.lineno, item.col_offset)
                end = self.at(item.end_lineno or item.lineno, item.end_col_offset or 0)
                found.append((start, end, self.render(name, stack)))
            elif isinstance(item, ast.AnnAssign):
                work.append((item.annotation, True))
                if item.value is not None:
                    work.append((item.value, False))
            elif isinstance(item, ast.Call):
                work.extend((child, False) for child in ast.iter_child_nodes(item))
            else:
                work.extend((child, typed) for child in ast.iter_child_nodes(item))
        return found

    def render(self, name: str, stack: tuple[str, ...]) -> str:
        """What replaces the alias `name`: `Annotated[T, Field(<constraints>)]`, or `T`."""
        if name in self.texts:
            return self.texts[name]
        if name in stack:
            raise _Cycle(name)
        stack = (*stack, name)
        annotated = self.invented[name].value.args[1]  # type: ignore[attr-defined]
        base, *metadata = annotated.slice.elts
        parts = []
        for meta in metadata:
            if (
                isinstance(meta, ast.Call)
                and isinstance(meta.func, ast.Name)
                and meta.func.id == "Field"
            ):
                arguments = [
                    f"{k.arg}={self.text(k.value, False, stack)}"
                    for k in meta.keywords
                    if k.arg is not None and k.arg not in _DESCRIPTIVE
                ]
                if arguments:
                    parts.append(f"Field({', '.join(arguments)})")
            else:
                parts.append(self.text(meta, False, stack))
        text = self.text(base, True, stack)
        if parts:
            text = f"Annotated[{text}, {', '.join(parts)}]"
        self.texts[name] = text
        return text

"""Open models: datamodel-code-generator's output made to take what a grown API sends.

The runtime's `_open` module holds the types (see its docstring); this rewrites the one
module DCG wrote, before it is split:

- every class's base `BaseModel` becomes `OpenModel` (fields the spec does not list kept);
- in the types of fields and of type aliases, an enum of two or more strings (or integers),
  written `Literal[...]` or as the name of an enum alias, gets `| UnknownStr`
  (`| UnknownInt`). The enum aliases themselves stay exact: operation signatures use them,
  so that what a caller passes is checked against the values the spec lists. A one-value
  enum is a constant (usually a union's tag) and stays exact;
- a discriminated union, `A | B = Field(..., discriminator="type")` or
  `Annotated[A | B, Field(discriminator="type")]`, becomes
  `Annotated[A | B | UnknownX, OpenUnion("type")]`, and a union of models without one
  `Annotated[A | B | UnknownX, OpenUnion()]`, where `UnknownX` is a new class
  (`class UnknownX(UnknownVariant)`) named after the alias, else the field
  (`Unknown<Field>`, `Unknown<Class><Field>` when fields of that name hold other unions).

Those names depend on every union of the document. A run over part of it (models/closure.py)
is given the unions of the rest (`around`) and names as a whole run would, or raises
`NamedByOrder` where a whole run's order would decide (a name taken, given a number).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Sequence

from .inline import type_alias

__all__ = ["RUNTIME_NAMES", "NamedByOrder", "UnionUse", "open_models"]

# An opened union: (the class or alias it is in, its field or None, its members as written).
UnionUse = tuple[str, str | None, tuple[str, ...]]


class NamedByOrder(Exception):
    """A run over part of the document would name an Unknown class by the order of a whole run."""


RUNTIME_NAMES = ("OpenModel", "OpenUnion", "UnknownInt", "UnknownStr", "UnknownVariant")
_IMPORTS = (
    f"from .._runtime._open import {', '.join(RUNTIME_NAMES)}\n"
    "from typing import Annotated, Union\n"
)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def open_models(
    code: str, named: Iterable[str] = (), around: Sequence[UnionUse] | None = None
) -> tuple[str, tuple[UnionUse, ...], bool]:
    """`code` (one module of DCG's) with open enums, unions and models; `named` are the
    names taken besides the module's own (new class names avoid them), `around` the unions
    of the rest of the document when `code` is part of it.

    Gives the module, the unions it opened, and whether a name was given a number that
    depends on the order of the unions in the whole document (raises NamedByOrder instead when
    `around` is given: part of the document cannot show that order).
    """
    tree = ast.parse(code)
    classes = {s.name for s in tree.body if isinstance(s, ast.ClassDef)}
    aliases = {s: alias for s in tree.body if (alias := type_alias(s)) is not None}
    if not classes and not aliases:
        return code, (), False
    enums = {name: kind for name, call in aliases.values() if (kind := _enum_kind(call.args[1]))}
    opener = _Opener(code.encode(), classes, enums, _tag_fields(tree))
    edits: list[tuple[int, int, str]] = []
    last_import = 0
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            last_import = opener.at(stmt.end_lineno or stmt.lineno, -1)
        elif isinstance(stmt, ast.ClassDef):
            edits += opener.open_class(stmt)
        elif stmt in aliases and (name := aliases[stmt][0]) not in enums:
            opener.context = (name, None)
            edits += opener.edits(aliases[stmt][1].args[1])
    unions = tuple((owner, field, members) for (owner, field), members in opener.unions)
    given = set(named)
    names, numbered = _unknown_names(unions, classes | given | set(enums), given, around or ())
    if numbered and around is not None:
        raise NamedByOrder
    edits.append((last_import, last_import, _IMPORTS))
    out = opener.apply(edits)
    out = _PLACEHOLDER.sub(lambda m: names[int(m.group(1))], out)
    # One class per name, described by the least (class, field) it serves in the document.
    serves: dict[str, list[tuple[str, str]]] = {}
    keys = _keys([*unions, *(around or ())])
    by_key = {keys[i]: name for i, name in names.items()}
    for index, (owner, field, _) in enumerate([*unions, *(around or ())]):
        if (served := by_key.get(keys[index])) is not None:
            serves.setdefault(served, []).append((owner, field or ""))
    for unknown in sorted(serves):
        least = min(serves[unknown])
        out += (
            f"\n\nclass {unknown}(UnknownVariant):\n"
            f'    """{_describe((least[0], least[1] or None))} of a kind this client does not know:'
            ' `raw` holds it as received."""\n'
        )
    return out, unions, numbered


def _tag_fields(tree: ast.Module) -> set[tuple[str, str]]:
    """(class, property) of each discriminated union member's tag: pydantic reads its
    values from the `Literal`, so it stays exact (the union takes unknown tags)."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        union: ast.expr | None = None
        tags: list[str] = []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            union, tags = node.annotation, [t for t in [_discriminator(node.value)] if t]
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
        ):
            union = node.slice.elts[0]
            tags = [t for m in node.slice.elts[1:] if (t := _discriminator(m))]
        members = _union_members(union) if union is not None and tags else None
        for member in members or ():
            name = member.id if isinstance(member, ast.Name) else getattr(member, "value", None)
            if isinstance(name, str):
                found.update((name, tag) for tag in tags)
    return found


def _property_name(item: ast.AnnAssign) -> str:
    """The JSON name of a field: its alias, else its name."""
    if isinstance(item.value, ast.Call):
        for keyword in item.value.keywords:
            if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return item.target.id if isinstance(item.target, ast.Name) else ""


def _describe(context: tuple[str, str | None]) -> str:
    owner, field = context
    return f"A {owner}" if field is None else f"A {owner}.{field}"


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.strip("_").split("_"))


def _keys(unions: Sequence[UnionUse]) -> list[tuple[str, tuple[str, ...]]]:
    """(base, members) of each union: `<Alias>`, `<Field>`, or `<Class><Field>` when fields of
    that name hold different unions; unions of one key share a class."""
    bases: dict[str, set[tuple[str, ...]]] = {}
    for owner, field, members in unions:
        bases.setdefault(owner if field is None else _pascal(field), set()).add(members)
    keys = []
    for owner, field, members in unions:
        base = owner if field is None else _pascal(field)
        if field is not None and len(bases[base]) > 1:
            base = owner + base
        keys.append((base, members))
    return keys


def _unknown_names(
    unions: Sequence[UnionUse], taken: set[str], named: set[str], around: Sequence[UnionUse]
) -> tuple[dict[int, str], bool]:
    """A class name per open union (by index), `Unknown<base>` of its key, numbered when that
    is taken; the keys are made with the unions `around` the module too. True when a number
    depends on more than one class's unions or on a name that is not one of `named`."""
    everywhere = [*unions, *around]
    keys = _keys(everywhere)
    owners: dict[str, set[str]] = {}
    for (base, _), (owner, _, _) in zip(keys, everywhere, strict=True):
        owners.setdefault(base, set()).add(owner)
    chosen: dict[tuple[str, tuple[str, ...]], str] = {}
    names: dict[int, str] = {}
    used = set(taken)
    by_order = False
    for index, key in enumerate(keys[: len(unions)]):
        if key not in chosen:
            name, number = f"Unknown{key[0]}", 2
            if name in used and (len(owners[key[0]]) > 1 or (name in taken and name not in named)):
                by_order = True
            while name in used:
                name, number = f"Unknown{key[0]}{number}", number + 1
            used.add(name)
            chosen[key] = name
        names[index] = chosen[key]
    return names, by_order


def _enum_kind(node: ast.expr) -> str | None:
    """`UnknownStr` for a `Literal` of two or more strings, `UnknownInt` of integers."""
    if not (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Literal"
        and isinstance(node.slice, ast.Tuple)
        and len(node.slice.elts) >= 2
    ):
        return None
    values = []
    for elt in node.slice.elts:
        if isinstance(elt, ast.UnaryOp) and isinstance(elt.op, ast.USub):
            elt = elt.operand
        if not isinstance(elt, ast.Constant):
            return None
        values.append(elt.value)
    if all(type(v) is str for v in values):
        return "UnknownStr"
    if all(type(v) is int for v in values):
        return "UnknownInt"
    return None


def _union_members(node: ast.expr) -> list[ast.expr] | None:
    """The members of `A | B | ...` or `Union[A, B, ...]`; None for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        members: list[ast.expr] = []
        for side in (node.left, node.right):
            members += _union_members(side) or [side]
        return members
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Union"
        and isinstance(node.slice, ast.Tuple)
    ):
        return list(node.slice.elts)
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _discriminator(call: ast.expr) -> str | None:
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "Field":
        for keyword in call.keywords:
            if keyword.arg == "discriminator" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return None


class _Opener:
    """Edits on the module's bytes (ast's columns count UTF-8 bytes); the unions opened."""

    def __init__(
        self,
        data: bytes,
        classes: set[str],
        enums: dict[str, str],
        tag_fields: set[tuple[str, str]],
    ) -> None:
        self.data = data
        self.tag_fields = tag_fields
        self.classes = classes
        self.enums = enums
        self.unions: list[tuple[tuple[str, str | None], tuple[str, ...]]] = []
        self.context: tuple[str, str | None] = ("", None)
        self.starts = [0]
        for line in data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def at(self, line: int, col: int) -> int:
        """A byte offset; column -1: the start of the next line."""
        return self.starts[line] if col < 0 else self.starts[line - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.at(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.at(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def apply(self, edits: list[tuple[int, int, str]], lo: int = 0, hi: int = -1) -> str:
        out = self.data[lo : len(self.data) if hi < 0 else hi]
        for start, end, text in sorted(edits, reverse=True):
            out = out[: start - lo] + text.encode() + out[end - lo :]
        return out.decode()

    def text(self, node: ast.AST) -> str:
        lo, hi = self.span(node)
        return self.apply(self.edits(node), lo, hi)

    def open_class(self, stmt: ast.ClassDef) -> list[tuple[int, int, str]]:
        edits = [
            (*self.span(base), "OpenModel")
            for base in stmt.bases
            if isinstance(base, ast.Name) and base.id == "BaseModel"
        ]
        for item in stmt.body:
            if not isinstance(item, ast.AnnAssign) or not isinstance(item.target, ast.Name):
                continue
            self.context = (stmt.name, item.target.id)
            if (stmt.name, _property_name(item)) in self.tag_fields:
                continue
            tag = _discriminator(item.value) if item.value is not None else None
            members = _union_members(item.annotation) if tag is not None else None
            if tag is None or members is None:
                edits += self.edits(item.annotation)
                continue
            known = [m for m in members if not _is_none(m)]
            text = self.open_union(item.annotation, known, tag)
            if len(known) < len(members):
                text += " | None"
            assert isinstance(item.value, ast.Call)
            value = self.field_without_tag(item.value)
            start, end = self.span(item.annotation)[0], self.span(item.value)[1]
            edits.append((start, end, text if value == "..." else f"{text} = {value}"))
        return edits

    def field_without_tag(self, call: ast.Call) -> str:
        """The field's `Field(...)` call without its discriminator: the default alone
        when nothing else is left (`...` for a required field)."""
        args = [self.data_text(a) for a in call.args]
        keywords = [
            f"{k.arg}={self.data_text(k.value)}" if k.arg else f"**{self.data_text(k.value)}"
            for k in call.keywords
            if k.arg != "discriminator"
        ]
        if not keywords and len(args) == 1:
            return args[0]
        return f"Field({', '.join(args + keywords)})"

    def data_text(self, node: ast.AST) -> str:
        lo, hi = self.span(node)
        return self.data[lo:hi].decode()

    def open_union(self, node: ast.expr, known: list[ast.expr], tag: str | None) -> str:
        """`Annotated[<known> | UnknownX, OpenUnion(tag)]`, the members as written."""
        self.unions.append((self.context, tuple(self.data_text(m).strip("\"'") for m in known)))
        placeholder = f"\x00{len(self.unions) - 1}\x00"
        parts = [self.text(m) for m in known]
        if any(isinstance(m, ast.Constant) for m in known):
            union = f"Union[{', '.join(parts)}, {placeholder}]"
        else:
            union = " | ".join([*parts, placeholder])
        return f"Annotated[{union}, OpenUnion({'' if tag is None else json.dumps(tag)})]"

    def edits(self, node: ast.AST) -> list[tuple[int, int, str]]:
        """Where the type `node` opens: enums, enum aliases, unions of models."""
        found: list[tuple[int, int, str]] = []
        work: list[ast.AST] = [node]
        while work:
            item = work.pop()
            replaced = self.replacement(item)
            if replaced is not None:
                found.append((*self.span(item), replaced))
            elif isinstance(item, ast.Subscript):
                if isinstance(item.value, ast.Name) and item.value.id == "Annotated":
                    if isinstance(item.slice, ast.Tuple):
                        work.append(item.slice.elts[0])
                elif not (isinstance(item.value, ast.Name) and item.value.id == "Literal"):
                    work.append(item.slice)
            elif isinstance(item, ast.BinOp | ast.Tuple):
                work.extend(ast.iter_child_nodes(item))
        return found

    def replacement(self, item: ast.AST) -> str | None:
        if isinstance(item, ast.Name) and item.id in self.enums:
            return f"{item.id} | {self.enums[item.id]}"
        if isinstance(item, ast.Constant) and item.value in self.enums:
            return f"Union[{self.data_text(item)}, {self.enums[item.value]}]"
        if isinstance(item, ast.expr) and (kind := _enum_kind(item)):
            return f"{self.data_text(item)} | {kind}"
        if (
            isinstance(item, ast.Subscript)
            and isinstance(item.value, ast.Name)
            and item.value.id == "Annotated"
            and isinstance(item.slice, ast.Tuple)
        ):
            first, *metadata = item.slice.elts
            members = _union_members(first)
            tags = [t for m in metadata if (t := _discriminator(m)) is not None]
            if not tags or members is None:
                return None
            return self.open_union(first, members, tags[0])
        members = _union_members(item) if isinstance(item, ast.expr) else None
        if members is None:
            return None
        known = [m for m in members if not _is_none(m)]
        if len(known) < 2 or not all(self.is_model(m) for m in known):
            return None
        text = self.open_union(item, known, None)  # type: ignore[arg-type]
        return text + " | None" if len(known) < len(members) else text

    def is_model(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.classes
        return isinstance(node, ast.Constant) and node.value in self.classes

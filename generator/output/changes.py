"""Changes: what differs between two client surfaces, with breaking changes marked.

Breaking (marked `!`), for code that uses the client and type-checks it:

- an operation, model, field, error class or environment removed; a parameter removed;
- a required parameter added, or a parameter that became required; path parameters (positional
  arguments) reordered, or a parameter moved into or out of the path;
- where a value goes *to* the API (parameters, and fields of models used in requests): a type
  narrowed (it accepts fewer values: a union member or None dropped) or replaced by an unrelated
  type; a required field added, or a field that became required;
- where a value comes *from* the API (results, and fields of models used in responses): a type
  replaced by an unrelated type, or one that may now be None (a field no longer required, or
  None added to a type);
- an enum value removed (a Literal losing a value), anywhere;
- a channel (its `connect`) removed; a required argument added or an argument removed; a
  message the client sends removed (the server no longer takes it). A server message no
  longer listed is not: it arrives as an UnknownMessage.

Everything else is reported unmarked: additions, widened parameter types, narrowed result types,
new enum values, a changed HTTP path. A new enum value says why it is not breaking: a response
value a client does not know decodes (as an `UnknownStr`, see `runtime/_open.py`), and a request
type that gains a value only accepts more. Types are compared structurally (union members, Literal
values, the arguments of list/dict), so `str` accepts `Literal['a']` and `float` accepts `int`.
A model that no operation uses counts as used both ways.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..emit import (
    ChannelSurface,
    ModelField,
    ModelSurface,
    OperationSurface,
    ParameterSurface,
    Surface,
    loads,
)

__all__ = ["Change", "ChangeReport", "between", "compare", "relation"]

Section = Literal["operations", "channels", "models", "errors", "environments"]
Relation = Literal["same", "narrowed", "widened", "changed"]


@dataclass(frozen=True)
class Change:
    section: Section
    subject: str
    text: str
    breaking: bool = False
    added: bool = False

    @property
    def mark(self) -> str:
        return "!" if self.breaking else ("+" if self.added else "~")

    def line(self) -> str:
        return f"  {self.mark} {self.subject}: {self.text}"


@dataclass(frozen=True)
class ChangeReport:
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    def render(self, against: str, *, only_breaking: bool = False) -> str:
        """Grouped by section, one line per change; empty when nothing changed."""
        shown = self.breaking if only_breaking else self.changes
        if not shown:
            return ""
        count = len(self.breaking)
        lines = [
            f"API changes against the committed {against}: {len(self.changes)} change(s), "
            f"{count} breaking" + (" (marked !)" if count else "")
        ]
        for section in ("operations", "channels", "models", "errors", "environments"):
            items = [c for c in shown if c.section == section]
            if items:
                lines.append(f"{section}:")
                lines += [c.line() for c in items]
        return "\n".join(lines)


def compare(old: Surface, new: Surface) -> ChangeReport:
    """Every change from `old` (the committed client) to `new` (a fresh generation)."""
    changes = [
        *_operations(old, new),
        *_channels(old, new),
        *_models(old, new),
        *_named_values("errors", "error class", old.errors, new.errors),
        *_named_values("environments", "environment", old.environments, new.environments),
    ]
    return ChangeReport(tuple(changes))


# --- Operations --------------------------------------------------------------------------------


def _operations(old: Surface, new: Surface) -> Iterator[Change]:
    before = {o.name: o for o in old.operations}
    after = {o.name: o for o in new.operations}
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name), after.get(name)
        if b is None:
            assert a is not None
            yield Change("operations", name, f"removed (was {a.method} {a.path})", breaking=True)
        elif a is None:
            yield Change("operations", name, f"added ({b.method} {b.path})", added=True)
        else:
            yield from _operation(a, b)


def _operation(a: OperationSurface, b: OperationSurface) -> Iterator[Change]:
    name = b.name

    def change(text: str, breaking: bool = False, added: bool = False) -> Change:
        return Change("operations", name, text, breaking, added)

    if (a.method, a.path) != (b.method, b.path):
        yield change(f"now {b.method} {b.path} (was {a.method} {a.path})")
    before = {p.name: p for p in a.parameters}
    after = {p.name: p for p in b.parameters}
    for p in a.parameters:
        if p.name not in after:
            yield change(f"parameter {p.name} removed", breaking=True)
    for p in b.parameters:
        q = before.get(p.name)
        if q is None:
            if p.required:
                yield change(f"required parameter {p.name} added ({p.type})", breaking=True)
            else:
                yield change(f"optional parameter {p.name} added ({p.type})", added=True)
        else:
            yield from (change(text, brk) for text, brk in _parameter(q, p))
    positional_a = [p.name for p in a.parameters if p.location == "path" and p.name in after]
    positional_b = [p.name for p in b.parameters if p.location == "path" and p.name in before]
    if positional_a != positional_b and sorted(positional_a) == sorted(positional_b):
        yield change(
            f"path parameters reordered: ({', '.join(positional_b)}) was ({', '.join(positional_a)})",
            breaking=True,
        )
    yield from (
        change(text, brk)
        for text, brk in _type_change("result", a.result, b.result, request=False, response=True)
    )


def _parameter(a: ParameterSurface, b: ParameterSurface) -> Iterator[tuple[str, bool]]:
    if a.location != b.location:
        moved_path = "path" in (a.location, b.location)
        yield f"parameter {b.name} moved from {a.location} to {b.location}", moved_path
    if a.required != b.required:
        yield (
            (f"parameter {b.name} is now required", True)
            if b.required
            else (f"parameter {b.name} is now optional", False)
        )
    yield from _type_change(f"parameter {b.name}", a.type, b.type, request=True, response=False)


# --- Channels ----------------------------------------------------------------------------------


def _channels(old: Surface, new: Surface) -> Iterator[Change]:
    before = {c.name: c for c in old.channels}
    after = {c.name: c for c in new.channels}
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name), after.get(name)
        if b is None:
            assert a is not None
            yield Change("channels", name, f"removed (was {a.address})", breaking=True)
        elif a is None:
            yield Change("channels", name, f"added ({b.address})", added=True)
        else:
            yield from _channel(a, b)


def _channel(a: ChannelSurface, b: ChannelSurface) -> Iterator[Change]:
    def change(text: str, breaking: bool = False, added: bool = False) -> Change:
        return Change("channels", b.name, text, breaking, added)

    if a.address != b.address:
        yield change(f"now {b.address} (was {a.address})")
    before = {p.name: p for p in a.parameters}
    after = {p.name: p for p in b.parameters}
    for p in a.parameters:
        if p.name not in after:
            yield change(f"argument {p.name} removed", breaking=True)
    for p in b.parameters:
        q = before.get(p.name)
        if q is None:
            kind = "required" if p.required else "optional"
            yield change(f"{kind} argument {p.name} added ({p.type})", p.required, not p.required)
        else:
            yield from (change(text, brk) for text, brk in _parameter(q, p))
    for side, old, new, removed_breaks in (
        ("sends", a.sends, b.sends, True),
        ("receives", a.receives, b.receives, False),
    ):
        what = "client message" if side == "sends" else "server message"
        for model in (m for m in old if m not in new):
            yield change(f"{what} {model} removed", breaking=removed_breaks)
        for model in (m for m in new if m not in old):
            yield change(f"{what} {model} added", added=True)
    if a.servers != b.servers:
        yield change(
            f"servers now {', '.join(b.servers) or 'none'} (was {', '.join(a.servers) or 'none'})"
        )


# --- Models ------------------------------------------------------------------------------------


def _models(old: Surface, new: Surface) -> Iterator[Change]:
    before = {m.name: m for m in old.models}
    after = {m.name: m for m in new.models}
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name), after.get(name)
        if b is None:
            yield Change("models", name, "removed", breaking=True)
        elif a is None:
            yield Change("models", name, "added", added=True)
        else:
            yield from _model(a, b)


def _model(a: ModelSurface, b: ModelSurface) -> Iterator[Change]:
    roles = set(a.used_in) | set(b.used_in)
    request = "request" in roles or not roles
    response = "response" in roles or not roles

    def change(text: str, breaking: bool = False, added: bool = False) -> Change:
        return Change("models", b.name, text, breaking, added)

    if (a.fields is None) != (b.fields is None):
        was = "a class with fields" if a.fields is not None else f"an alias of {a.type}"
        now = "a class with fields" if b.fields is not None else f"an alias of {b.type}"
        yield change(f"now {now} (was {was})", breaking=True)
        return
    if a.fields is None or b.fields is None:
        yield from (
            change(text, brk)
            for text, brk in _type_change(
                "", a.type or "Any", b.type or "Any", request=request, response=response
            )
        )
        return
    before = {f.name: f for f in a.fields}
    after = {f.name: f for f in b.fields}
    for f in a.fields:
        if f.name not in after:
            yield change(f"field {f.name} removed", breaking=True)
    for f in b.fields:
        g = before.get(f.name)
        if g is None:
            kind = "required" if f.required else "optional"
            yield change(
                f"{kind} field {f.name} added ({f.type})",
                breaking=f.required and request,
                added=True,
            )
        else:
            yield from (change(t, brk) for t, brk in _field(g, f, request, response))


def _field(
    a: ModelField, b: ModelField, request: bool, response: bool
) -> Iterator[tuple[str, bool]]:
    if a.required != b.required:
        yield (
            (f"field {b.name} is now required", request)
            if b.required
            else (f"field {b.name} is now optional", response)
        )
    if a.required != b.required and _without_none(a.type) == _without_none(b.type):
        return  # the type gained or lost only the None that optional fields have
    yield from _type_change(f"field {b.name}", a.type, b.type, request=request, response=response)


# --- Errors and environments -------------------------------------------------------------------


def _named_values(
    section: Section,
    what: str,
    old: tuple[tuple[str, object], ...],
    new: tuple[tuple[str, object], ...],
) -> Iterator[Change]:
    before, after = dict(old), dict(new)
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            yield Change(section, name, f"{what} removed (was {before[name]})", breaking=True)
        elif name not in before:
            yield Change(section, name, f"{what} added ({after[name]})", added=True)
        elif before[name] != after[name]:
            yield Change(section, name, f"now {after[name]} (was {before[name]})")


# --- Types -------------------------------------------------------------------------------------


def _type_change(
    what: str, old: str, new: str, *, request: bool, response: bool
) -> Iterator[tuple[str, bool]]:
    """Lines for a changed type: enum values removed or added, then how the type changed."""
    if old == new:
        return
    old_values, new_values = _literal_values(old), _literal_values(new)
    lost = [v for v in old_values if v not in new_values]
    gained = [v for v in new_values if v not in old_values]
    how = relation(old, new)
    if how == "same":
        return
    prefix = f"{what}: " if what else ""
    if lost:
        yield f"{prefix}enum value(s) {', '.join(lost)} removed", True
    if gained:
        why = "clients decode unknown values" if response else "requests may send more values"
        yield f"{prefix}enum value(s) {', '.join(gained)} added (not breaking: {why})", False
    if (lost or gained) and _without_literals(old) == _without_literals(new):
        return
    none_added = _accepts_none(new) and not _accepts_none(old)
    breaking = {
        "narrowed": request,
        "widened": response and none_added,
        "changed": True,
    }[how]
    yield f"{what or 'type'} {how}: {new} (was {old})", breaking


# A type as a set of members: ("name", "str"), ("lit", "'a'"), ("generic", "list", args...).
_Member = tuple[object, ...]

_NUMERIC = {"int": {"bool"}, "float": {"int", "bool"}, "complex": {"float", "int", "bool"}}


def _parse(text: str) -> frozenset[_Member]:
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return frozenset({("name", text)})
    return frozenset(_members(tree))


def _members(node: ast.expr) -> Iterator[_Member]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from _members(node.left)
        yield from _members(node.right)
    elif isinstance(node, ast.Subscript):
        head = ast.unparse(node.value).rsplit(".", 1)[-1]
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Literal":
            for e in elts:
                value = e.value if isinstance(e, ast.Constant) else None
                kind = "bool" if isinstance(value, bool) else type(value).__name__
                yield ("lit", ast.unparse(e), kind)
        else:
            yield ("generic", head.lower(), *(frozenset(_members(e)) for e in elts))
    elif isinstance(node, ast.Constant) and node.value is None:
        yield ("name", "None")
    else:
        yield ("name", ast.unparse(node))


def _covers(wide: frozenset[_Member], narrow: frozenset[_Member]) -> bool:
    """Every value of `narrow` is a value of `wide`."""
    if ("name", "Any") in wide:
        return True
    return all(any(_member_covers(w, n) for w in wide) for n in narrow)


def _member_covers(w: _Member, n: _Member) -> bool:
    if w == n:
        return True
    if w[0] == "name" and n[0] == "name":
        return n[1] in _NUMERIC.get(str(w[1]), set())
    if w[0] == "name" and n[0] == "lit":
        return w[1] == n[2] or n[2] in _NUMERIC.get(str(w[1]), set())
    if w[0] == "generic" and n[0] == "generic" and w[1] == n[1] and len(w) == len(n):
        return all(
            _covers(a, b)  # type: ignore[arg-type]
            for a, b in zip(w[2:], n[2:], strict=True)
        )
    return False


def relation(old: str, new: str) -> Relation:
    """How the values `new` accepts compare with those `old` accepts."""
    a, b = _parse(old), _parse(new)
    wider, narrower = _covers(b, a), _covers(a, b)
    if wider and narrower:
        return "same"
    return "widened" if wider else "narrowed" if narrower else "changed"


def _literals(node: ast.AST) -> Iterator[ast.Subscript]:
    for n in ast.walk(node):
        if isinstance(n, ast.Subscript) and ast.unparse(n.value).rsplit(".", 1)[-1] == "Literal":
            yield n


def _literal_values(text: str) -> list[str]:
    """Every Literal value the type mentions, each once."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return []
    values: list[str] = []
    for literal in _literals(tree):
        elts = literal.slice.elts if isinstance(literal.slice, ast.Tuple) else [literal.slice]
        values += [ast.unparse(e) for e in elts if ast.unparse(e) not in values]
    return values


def _without_literals(text: str) -> str:
    """The type with every Literal[...] replaced by the bare name, to see what else changed."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return text
    for literal in _literals(tree):
        literal.slice = ast.Constant(None)
    return ast.unparse(tree)


def _without_none(text: str) -> frozenset[_Member]:
    return _parse(text) - {("name", "None")}


def _accepts_none(text: str) -> bool:
    members = _parse(text)
    return ("name", "None") in members or ("name", "Any") in members


def between(committed: str | None, fresh: str) -> ChangeReport | None:
    """The changes from a committed surface file to a fresh one; None when none is committed.

    Raises ValueError when the committed file is not a surface this version can read.
    """
    if committed is None:
        return None
    return compare(loads(committed), loads(fresh))

"""Python layout: the templates' statements (signatures, calls, imports, docstrings) as black lays them out."""

# black 26 (line length 88, default mode) joins each statement into one logical line and, when it
# is too long or a bracket holds a "magic" trailing comma, splits it: at the last bracket pair (the
# right-hand split), at the highest-priority delimiters inside brackets (commas, then `|`), or, in
# a signature with a trailing comma, one parameter a line. The generator's statements are built
# here as small expression trees whose shapes are few (calls, collections, subscripts, unions,
# names and literals), and each rule below is black's for those shapes. Where black's result
# depends on something not modelled (a head that does not fit, the width of wide characters,
# text this module does not parse), the Layout notes that it is not exact and writes the
# statement on one line: the file then goes through black like any other.

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..escape import docstring as escape_docstring
from .style import INDENT, Unsupported, docstring, fits, from_import

__all__ = [
    "Atom",
    "Brackets",
    "Code",
    "Expr",
    "Layout",
    "Param",
    "Parens",
    "Union",
    "call",
    "docstring_literal",
    "parse_type",
]

_CLOSE = {"(": ")", "[": "]", "{": "}"}
_BRACKET = re.compile(r"[][(){}]")


class Expr:
    """An expression: `text` on one line as black prints it; `magic` if a bracket in it has a
    trailing comma that black keeps exploded; `spelled` unless some of it may not be written
    as black writes it (then no layout of it is exact)."""

    __slots__ = ("magic", "spelled", "text")
    text: str
    magic: bool
    spelled: bool


class Atom(Expr):
    """One token (a name, a literal, `kw=value`): black never splits it."""

    __slots__ = ()

    def __init__(self, text: str) -> None:
        self.text = text
        self.magic = False
        self.spelled = True


class Code(Expr):
    """Tokens this module does not split: exact only while they fit where they stand, and only
    if `spelled` (written as black writes them)."""

    __slots__ = ()

    def __init__(self, text: str, spelled: bool = True) -> None:
        self.text = text
        self.magic = False
        self.spelled = spelled


class Union(Expr):
    """`a | b | ...`: black splits it before each `|` inside brackets."""

    __slots__ = ("members",)

    def __init__(self, members: Sequence[Expr]) -> None:
        self.members = tuple(members)
        self.text = " | ".join(m.text for m in self.members)
        self.magic = any(m.magic for m in self.members)
        self.spelled = all(m.spelled for m in self.members)


class Brackets(Expr):
    """`head(items)`, `head[items]` or a display (head ""): a call, a subscript, a tuple, list or
    dict. Items are (prefix, value): the prefix is `name=`, `key: ` or ""."""

    __slots__ = ("comma", "head", "items", "open")

    def __init__(
        self, head: str, open_: str, items: Sequence[tuple[str, Expr]], comma: bool = False
    ) -> None:
        self.head = head
        self.open = open_
        self.items = tuple(items)
        self.comma = comma and bool(self.items)
        inner = ", ".join(key + value.text for key, value in self.items)
        self.text = f"{head}{open_}{inner}{',' if self.comma else ''}{_CLOSE[open_]}"
        # A one-tuple's comma and a one-item subscript's are not magic; any other is.
        one = len(self.items) == 1 and ((open_ == "(" and not head) or (open_ == "[" and head))
        self.magic = (self.comma and not one) or any(v.magic for _, v in self.items)
        self.spelled = all(v.spelled for _, v in self.items)

    @property
    def collection(self) -> bool:
        """A tuple, list or dict display (not a call or subscript): black explodes its items."""
        return not self.head


class Parens(Expr):
    """The invisible parentheses black puts around an annotation that is a union, a return
    annotation, or a returned value: made visible only when that is the better split."""

    __slots__ = ("inner",)

    def __init__(self, inner: Expr) -> None:
        self.inner = inner
        self.text = inner.text
        self.magic = inner.magic
        self.spelled = inner.spelled


def call(head: str, *items: tuple[str, Expr] | Expr, comma: bool = False) -> Brackets:
    """`head(items)`: a bare Expr is a positional argument, (name=, Expr) a keyword one."""
    return Brackets(
        head, "(", [item if isinstance(item, tuple) else ("", item) for item in items], comma
    )


_TYPE_TOKEN = re.compile(
    r"""\s*(?:
        (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<number>-?[0-9]+)
      | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<op>[][,|])
    )""",
    re.VERBOSE,
)


def parse_type(annotation: str, quote: Callable[[str], str] | None = None) -> Expr:
    """An annotation of names, subscripts, `|` and literals (as render_type writes them) as an
    expression tree; strings are re-quoted by `quote` (a function of the repr()'d literal).
    Anything else becomes Code that is never exact (its quotes may not be black's)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(annotation):
        match = _TYPE_TOKEN.match(annotation, position)
        if match is None or match.end() == position:
            return Code(annotation, spelled=False)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
        while position < len(annotation) and annotation[position] == " ":
            position += 1
    parser = _TypeParser(tokens, quote)
    try:
        expr = parser.union()
    except (IndexError, ValueError):
        return Code(annotation, spelled=False)
    return expr if parser.at == len(tokens) else Code(annotation, spelled=False)


class _TypeParser:
    def __init__(self, tokens: list[tuple[str, str]], quote: Callable[[str], str] | None) -> None:
        self.tokens = tokens
        self.at = 0
        self.quote = quote

    def union(self) -> Expr:
        members = [self.primary()]
        while self.at < len(self.tokens) and self.tokens[self.at] == ("op", "|"):
            self.at += 1
            members.append(self.primary())
        return members[0] if len(members) == 1 else Union(members)

    def primary(self) -> Expr:
        kind, text = self.tokens[self.at]
        self.at += 1
        if kind == "string":
            return Atom(self.quote(text) if self.quote is not None else text)
        if kind == "number":
            return Atom(text)
        if kind != "name":
            raise ValueError(text)
        if self.at < len(self.tokens) and self.tokens[self.at] == ("op", "["):
            self.at += 1
            items = [self.union()]
            while self.tokens[self.at] == ("op", ","):
                self.at += 1
                items.append(self.union())
            if self.tokens[self.at] != ("op", "]"):
                raise ValueError("]")
            self.at += 1
            return Brackets(text, "[", [("", item) for item in items])
        return Atom(text)


class Param:
    """One parameter of a signature: `text` (`self`, `*`, `name: `) and, for `name: `, the
    annotation and what follows it (` = None`)."""

    __slots__ = ("annotation", "default", "text")

    def __init__(self, text: str, annotation: Expr | None = None, default: str = "") -> None:
        self.text = text
        self.annotation = annotation
        self.default = default

    @property
    def flat(self) -> str:
        annotation = self.annotation.text if self.annotation is not None else ""
        return self.text + annotation + self.default


class Layout:
    """Lays out one file's statements; `exact` stays True while every one is black's layout."""

    def __init__(self) -> None:
        self.exact = True

    def _fallback(self, lines: list[str]) -> list[str]:
        self.exact = False
        return lines

    # Statements.

    def statement(self, prefix: str, value: Expr, depth: int) -> list[str]:
        """An expression statement (`prefix` ""), or `return value` (prefix "return ")."""
        expr = Parens(value) if prefix.startswith("return ") else value
        try:
            return _lay(prefix, expr, "", depth, inside=False)
        except Unsupported:
            return self._fallback([INDENT * depth + prefix + value.text])

    def assignment(self, target: str, value: Atom, depth: int) -> list[str]:
        """`target = value` with one token for a value (black's invisible parentheses around it)."""
        try:
            return _lay(f"{target} = ", Parens(value), "", depth, inside=False)
        except Unsupported:
            return self._fallback([f"{INDENT * depth}{target} = {value.text}"])

    def item(self, prefix: str, value: Expr, depth: int) -> list[str]:
        """One item of exploded brackets (a trailing comma after it): `prefix` is `name=` or ""."""
        try:
            return _lay(prefix, value, ",", depth, inside=True)
        except Unsupported:
            return self._fallback([INDENT * depth + prefix + value.text + ","])

    def line(self, text: str, depth: int) -> list[str]:
        """A statement not modelled here (`import x`, `if test:`): exact while it fits."""
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

    def signature(
        self, head: str, params: Sequence[Param], returns: Expr, depth: int, exploded: bool
    ) -> list[str]:
        """`head(params) -> returns:` where head is `def name` or `async def name`.

        `exploded`: the parameters end with a trailing comma (black keeps one a line).
        """
        indent = INDENT * depth
        try:
            return _signature(head, params, returns, depth, exploded)
        except Unsupported:
            lines = [f"{indent}{head}("]
            lines += [f"{indent}    {p.flat}," for p in params]
            return self._fallback([*lines, f"{indent}) -> {returns.text}:"])

    def parameters(self, params: Sequence[Param], depth: int) -> list[str]:
        """Parameters of an exploded signature, one a line, each with its trailing comma."""
        try:
            return [line for p in params for line in _parameter(p, depth)]
        except Unsupported:
            return self._fallback([f"{INDENT * depth}{p.flat}," for p in params])

    def return_annotation(self, returns: Expr, depth: int) -> list[str]:
        """The `) -> returns:` line(s) closing an exploded signature."""
        try:
            return _lay(") -> ", Parens(returns), ":", depth, inside=False)
        except Unsupported:
            return self._fallback([f"{INDENT * depth}) -> {returns.text}:"])

    def annotated_call(self, target: str, annotation: Brackets, value: Brackets) -> list[str]:
        """`target: annotation = value(...)` at the top level, the call with a trailing comma.

        black wraps the annotation and the value in invisible parentheses. It splits at the
        call's brackets when `target: annotation = value(` fits; else at the parentheses around
        the value when `target: annotation = (` fits; else at the annotation's brackets first
        (the value's head then follows the annotation's closing bracket).
        """
        head = f"{target}: {annotation.text} = "
        try:
            if not (annotation.spelled and value.spelled):
                raise Unsupported("not written as black writes it")
            if annotation.magic or not value.magic or not value.items or len(annotation.items) != 1:
                raise Unsupported("only a call that stays exploded is modelled")
            body = _body(value, 1)
            if fits(head + value.head + "("):
                return [head + value.head + "(", *body, ")"]
            if fits(head + "("):
                return [head + "(", *_lay("", value, "", 1, inside=True), ")"]
            if _BRACKET.search(target) or not fits(f"] = {value.head}("):
                raise Unsupported("the annotation's head or tail")
            inner = _lay("", annotation.items[0][1], "", 1, inside=True)
            return [
                f"{target}: {annotation.head}[",
                *inner,
                f"] = {value.head}(",
                *body,
                ")",
            ]
        except Unsupported:
            return self._fallback([head + value.text])

    # Docstrings.

    def docstring(self, text: str, depth: int) -> str:
        """The docstring literal of `text` at `depth` (its first line without indentation)."""
        return docstring_literal(text, depth)


def _lay(prefix: str, expr: Expr, suffix: str, depth: int, inside: bool) -> list[str]:
    """black's lines for the logical line `prefix expr suffix` at `depth`.

    `prefix` and `suffix` are tokens black cannot split at (no brackets, no delimiters but a
    final comma). `inside`: the line is inside brackets, where black first splits at delimiters.
    """
    indent = INDENT * depth
    line = indent + prefix + expr.text + suffix
    if not expr.spelled:
        raise Unsupported(f"not written as black writes it: {expr.text!r}")
    if isinstance(expr, Atom):
        return [line]  # nothing to split at: black leaves it as it is, long or not
    if not expr.magic and fits(line):
        return [line]
    if isinstance(expr, Union):
        if not inside:
            raise Unsupported("a union outside brackets")
        # The delimiter split: each member on a line of its own, from the second on after `|`.
        last = len(expr.members) - 1
        lines: list[str] = []
        for i, member in enumerate(expr.members):
            lines += _lay(
                prefix if i == 0 else "| ", member, suffix if i == last else "", depth, True
            )
        return lines
    if isinstance(expr, Parens):
        return _parens(prefix, expr.inner, suffix, depth)
    if isinstance(expr, Brackets) and expr.items:
        return _split(prefix, expr, suffix, depth)
    raise Unsupported(f"cannot split {expr.text!r}")


def _split(prefix: str, expr: Brackets, suffix: str, depth: int) -> list[str]:
    """The right-hand split at `expr`'s brackets: head, items, closing bracket."""
    indent = INDENT * depth
    head = indent + prefix + expr.head + expr.open
    # A head that is too long makes black try other brackets of the line first.
    if _BRACKET.search(prefix + expr.head) and not fits(head):
        raise Unsupported("the head does not fit")
    tail = indent + _CLOSE[expr.open] + suffix
    if _BRACKET.search(suffix) and not fits(tail):
        raise Unsupported("the tail does not fit")
    return [head, *_body(expr, depth + 1), tail]


def _body(expr: Brackets, depth: int) -> list[str]:
    """The items between split brackets: on one line if black keeps them so, else one a line."""
    if len(expr.items) == 1:
        key, value = expr.items[0]
        return _lay(key, value, "," if expr.comma else "", depth, inside=True)
    line = INDENT * depth + ", ".join(k + v.text for k, v in expr.items)
    line += "," if expr.comma else ""
    # black explodes a collection's items, and any with a trailing comma (should_split_line).
    if (
        not expr.comma
        and not expr.collection
        and not any(v.magic for _, v in expr.items)
        and fits(line)
    ):
        return [line]
    # The delimiter split at the commas, which adds the trailing comma.
    return [text for key, value in expr.items for text in _lay(key, value, ",", depth, True)]


def _parens(prefix: str, inner: Expr, suffix: str, depth: int) -> list[str]:
    """A line whose last brackets are black's invisible parentheses around `inner`."""
    indent = INDENT * depth
    if isinstance(inner, Union):
        # The parentheses stay: their body has `|` delimiters and neither starts nor ends with
        # brackets black could split at instead (a subscript's do not count).
        first, last = inner.members[0], inner.members[-1]
        if len(inner.members) == 2 and (
            (isinstance(first, Brackets) and first.collection)
            or (isinstance(last, Brackets) and (last.collection or last.open != "["))
        ):
            raise Unsupported("one `|` between brackets black could split at instead")
        head, tail = indent + prefix + "(", indent + ")" + suffix
        if not (fits(head) and fits(tail)):
            raise Unsupported("the parentheses' head or tail does not fit")
        return [head, *_lay("", inner, "", depth + 1, True), tail]
    if isinstance(inner, Brackets) and inner.items:
        # No delimiter: black omits the parentheses and splits at the brackets inside, which it
        # prefers unless the line is an assignment (not modelled here).
        if prefix.rstrip().endswith("=") or not fits(indent + prefix + inner.head + inner.open):
            raise Unsupported("an assignment, or a head that does not fit")
        return _split(prefix, inner, suffix, depth)
    if isinstance(inner, Atom):
        # Nothing inside to split at: the parentheses are made visible if the atom then fits.
        body = indent + INDENT + inner.text
        if not fits(body):
            return [indent + prefix + inner.text + suffix]
        head, tail = indent + prefix + "(", indent + ")" + suffix
        if not (fits(head) and fits(tail)):
            raise Unsupported("the parentheses' head or tail does not fit")
        return [head, body, tail]
    raise Unsupported(f"cannot split {inner.text!r}")


def _parameter(param: Param, depth: int) -> list[str]:
    """One parameter line of an exploded signature: black splits it like any bracketed line."""
    if param.annotation is None:
        return [f"{INDENT * depth}{param.text}{param.default},"]
    annotation = param.annotation
    # black puts invisible parentheses around an annotation that is a union (an `expr` node).
    if isinstance(annotation, Union):
        annotation = Parens(annotation)
    return _lay(param.text, annotation, param.default + ",", depth, inside=True)


def _signature(
    head: str, params: Sequence[Param], returns: Expr, depth: int, exploded: bool
) -> list[str]:
    indent = INDENT * depth
    if not returns.spelled or any(p.annotation and not p.annotation.spelled for p in params):
        raise Unsupported("not written as black writes it")
    if not exploded:
        line = f"{indent}{head}({', '.join(p.flat for p in params)}) -> {returns.text}:"
        if fits(line):
            return [line]
        if any(p.annotation is not None and p.annotation.magic for p in params):
            raise Unsupported("a magic comma in an annotation")
    if not params:
        raise Unsupported("a signature without parameters")
    # The left-hand split: `head(` alone (black never splits it), the parameters, then `) ->`.
    lines = [f"{indent}{head}("]
    if exploded or len(params) == 1:
        # A trailing comma (black adds one to a lone parameter): one parameter a line.
        lines += [line for p in params for line in _parameter(p, depth + 1)]
    else:
        body = f"{indent}    {', '.join(p.flat for p in params)}"
        if fits(body):
            lines.append(body)
        else:
            lines += [line for p in params for line in _parameter(p, depth + 1)]
    return lines + _lay(") -> ", Parens(returns), ":", depth, inside=False)


def docstring_literal(text: str, depth: int) -> str:
    """`text` as a docstring at `depth`, as black rewrites it (blackstyle.docstring) when a
    template writes it escaped (escape.docstring) with the lines after the first indented. The
    first line carries no indentation."""
    indent = INDENT * depth
    first, *rest = escape_docstring(text).split("\n")
    written = "\n".join([first, *(indent + line if line else line for line in rest)])
    return docstring(written, depth)

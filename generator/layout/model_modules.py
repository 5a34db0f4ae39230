"""Layout: black's layout for the statements model modules contain."""

# The model modules are datamodel-code-generator's statements, re-printed. Printing them here the
# way black (26.10, line length 88, default mode) would lets the format step skip them. Each
# statement is turned into the leaves black's line generator makes of it (with the invisible
# parentheses black puts around an assignment's value and annotation) and split as black splits
# (linesplit). Anything outside the shapes supported here raises Unsupported, and the caller
# leaves the whole module to black.

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from ..escape import docstring as escape_docstring
from ..escape import string_literal
from . import style as blackstyle
from .leaves import (
    BRACKETS,
    CLOSING,
    COLON,
    COMMA,
    DOT,
    EQUAL,
    LBRACE,
    LPAR,
    LSQB,
    NAME,
    NUMBER,
    OPENING,
    OTHER,
    RBRACE,
    RPAR,
    RSQB,
    STRING,
    TEXT,
    VBAR,
    Leaf,
)
from .linesplit import lay_out
from .style import INDENT, LINE_LENGTH, Unsupported, fits, from_import

__all__ = ["LINE_LENGTH", "Source", "Unsupported", "docstring", "from_import", "lines_of"]

_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _number(text: str) -> str:
    """A decimal literal as black writes it (lower case, no `+` in the exponent)."""
    if not _NUMBER.fullmatch(text):
        raise Unsupported(f"number {text!r}")
    return text.lower().replace("e+", "e")


class Source:
    """datamodel-code-generator's module text, for the tokens the syntax tree does not keep."""

    def __init__(self, code: str) -> None:
        # Lines as the syntax tree numbers them: str.splitlines() would also break at characters
        # such as U+2028 that a string literal may hold.
        self.lines = code.split("\n")

    def text(self, node: ast.expr) -> str:
        """The source of a one-line node (the tree's offsets count UTF-8 bytes)."""
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            raise Unsupported("a token over several lines")
        line = self.lines[node.lineno - 1]
        if line.isascii():
            return line[node.col_offset : node.end_col_offset]
        return line.encode()[node.col_offset : node.end_col_offset].decode()

    def segment(self, stmt: ast.stmt) -> str:
        return "".join(self.lines[stmt.lineno - 1 : stmt.end_lineno])

    def trailing_comma(self, last: ast.AST, closing: ast.expr) -> bool:
        """Whether a comma stands between `last` (an item) and the end of `closing` (its call)."""
        end_line, end_col = last.end_lineno, last.end_col_offset  # type: ignore[attr-defined]
        if closing.end_lineno == end_line and closing.end_col_offset == end_col + 1:
            return False  # the closing bracket right after the item
        lines = self.lines[end_line - 1 : closing.end_lineno]
        if not all(line.isascii() for line in lines):
            raise Unsupported("non-ASCII text around a closing bracket")
        text = "\n".join(lines)
        cut = text[end_col : len(text) - len(lines[-1]) + (closing.end_col_offset or 0) - 1]
        stripped = "".join(cut.split())
        if stripped not in ("", ","):
            raise Unsupported("something other than a comma before a closing bracket")
        return stripped == ","


class _Builder:
    """The leaves black's line generator makes of one statement (from its syntax tree)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.leaves: list[Leaf] = []
        # Whether a call keeps a trailing comma (which black keeps exploded).
        self.magic = False
        # The index of the opening bracket of the arguments when the value assigned is a call.
        self.arguments: int | None = None

    def add(
        self, kind: int, value: str, space: str, src: str | None = None, atom: bool = False
    ) -> Leaf:
        leaf = Leaf(kind, value, space, src, atom)
        self.leaves.append(leaf)
        return leaf

    def bracket(self, kind: int, space: str, atom: bool, visible: bool = True) -> None:
        self.add(kind, TEXT[kind] if visible else "", space, atom=atom)

    def items(self, nodes: Sequence[ast.expr]) -> None:
        for i, node in enumerate(nodes):
            if i:
                self.add(COMMA, ",", "")
            self.expr(node, " " if i else "")

    def expr(self, node: ast.expr, space: str) -> None:
        if isinstance(node, ast.Name):
            self.add(NAME, node.id, space)
        elif isinstance(node, ast.Constant):
            self.constant(node, space)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            self.add(NAME, node.value.id, space)
            self.add(DOT, ".", "")
            self.add(NAME, node.attr, "")
        elif isinstance(node, ast.Call):
            self.call(node, space)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name | ast.Attribute):
            self.expr(node.value, space)
            self.bracket(LSQB, "", atom=False)
            inner = node.slice
            if isinstance(inner, ast.Tuple):
                if len(inner.elts) < 2:
                    raise Unsupported("a subscript of fewer than two items in a tuple")
                self.items(inner.elts)
            else:
                self.expr(inner, "")
            self.bracket(RSQB, "", atom=False)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            self.expr(node.left, space)
            self.add(VBAR, "|", " ")
            self.expr(node.right, " ")
        elif isinstance(node, ast.List):
            self.bracket(LSQB, space, atom=True)
            self.items(node.elts)
            self.bracket(RSQB, "", atom=True)
        elif isinstance(node, ast.Dict):
            self.bracket(LBRACE, space, atom=True)
            for i, (key, value) in enumerate(zip(node.keys, node.values, strict=True)):
                if key is None:
                    raise Unsupported("dict unpacking")
                if i:
                    self.add(COMMA, ",", "")
                self.expr(key, " " if i else "")
                self.add(COLON, ":", "")
                self.expr(value, " ")
            self.bracket(RBRACE, "", atom=True)
        elif (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) in (int, float)
        ):
            self.add(OTHER, "-", space)
            self.constant(node.operand, "")
        else:
            raise Unsupported(type(node).__name__)

    def constant(self, node: ast.Constant, space: str) -> None:
        value = node.value
        src = self.source.text(node)
        if value is None or value is True or value is False:
            if src != repr(value):
                raise Unsupported("constant spelled differently")
            self.add(NAME, src, space)
        elif value is Ellipsis:
            if src != "...":
                raise Unsupported("Ellipsis")
            self.add(OTHER, "...", space)
        elif isinstance(value, str):
            literal = string_literal(value)
            if src != literal and src != repr(value):
                raise Unsupported("a string not written as repr() writes it")
            self.add(STRING, literal, space, src=src)
        elif type(value) in (int, float):
            self.add(NUMBER, _number(src), space, src=src)
        else:
            raise Unsupported(type(value).__name__)

    def call(self, node: ast.Call, space: str) -> None:
        if not isinstance(node.func, ast.Name | ast.Attribute):
            raise Unsupported("call of an expression")
        self.expr(node.func, space)
        self.bracket(LPAR, "", atom=False)
        arguments: list[ast.AST] = [*node.args, *node.keywords]
        for i, argument in enumerate(arguments):
            if i:
                self.add(COMMA, ",", "")
            space = " " if i else ""
            if isinstance(argument, ast.keyword):
                if argument.arg is None:
                    raise Unsupported("keyword unpacking")
                self.add(NAME, argument.arg, space)
                self.add(EQUAL, "=", "")
                self.expr(argument.value, "")
            elif isinstance(argument, ast.Starred):
                raise Unsupported("argument unpacking")
            else:
                assert isinstance(argument, ast.expr)
                self.expr(argument, space)
        if arguments and self.source.trailing_comma(arguments[-1], node):
            self.add(COMMA, ",", "")
            self.magic = True
        self.bracket(RPAR, "", atom=False)

    def value(self, node: ast.expr) -> None:
        """An assigned value; notes where the arguments start when it is a call with some."""
        start = len(self.leaves)
        self.optional(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.args or node.keywords)
            and not self.magic
        ):
            self.arguments = start + 2

    def optional(self, node: ast.expr) -> None:
        """An expression black wraps in invisible parentheses (after `=` or an annotation's `:`)."""
        self.bracket(LPAR, " ", atom=True, visible=False)
        self.expr(node, "")
        self.bracket(RPAR, "", atom=True, visible=False)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.simple:
            self.add(NAME, stmt.target.id, "")
            self.add(COLON, ":", "")
            self.optional(stmt.annotation)
            if stmt.value is not None:
                self.add(EQUAL, "=", " ")
                self.value(stmt.value)
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            self.add(NAME, stmt.targets[0].id, "")
            self.add(EQUAL, "=", " ")
            self.value(stmt.value)
        elif isinstance(stmt, ast.Pass):
            self.add(NAME, "pass", "")
        else:
            raise Unsupported(type(stmt).__name__)

    def class_line(self, stmt: ast.ClassDef) -> None:
        if stmt.decorator_list or stmt.keywords or getattr(stmt, "type_params", None):
            raise Unsupported("class with decorators, keywords or type parameters")
        self.add(NAME, "class", "")
        self.add(NAME, stmt.name, " ")
        if stmt.bases:
            self.bracket(LPAR, "", atom=False)
            self.items(stmt.bases)
            self.bracket(RPAR, "", atom=False)
        self.add(COLON, ":", "")


def _lay_out(builder: _Builder, depth: int) -> list[str]:
    leaves = builder.leaves
    if not builder.magic:
        text = INDENT * depth + _joined(leaves)
        if fits(text):
            return [text]
        if builder.arguments is not None:
            lines = _call_assignment(leaves, builder.arguments, depth)
            if lines is not None:
                return lines
    return lay_out(leaves, depth)


def _joined(leaves: Sequence[Leaf]) -> str:
    """Leaves on one line, the first without the space before it."""
    return leaves[0].value + "".join([leaf.space + leaf.value for leaf in leaves[1:]])


def _call_assignment(leaves: list[Leaf], opening: int, depth: int) -> list[str] | None:
    """`target = f(arguments)` that is too long, in the common case; None for the others.

    When `target = f(` fits, black splits at the call's brackets (the right-hand split omitting
    the optional parentheses, which it prefers here), then puts the arguments on one line or
    one a line (the delimiter split, with a trailing comma). An argument that is still too long
    and has brackets of its own would be split further: left to the general procedure, which
    this shortcut must agree with (tests/test_model_layout.py).
    """
    indent = INDENT * depth
    head = indent + _joined(leaves[: opening + 1])
    if not fits(head):
        return None
    arguments = leaves[opening + 1 : -2]
    inner = indent + INDENT
    body = inner + _joined(arguments)
    lines = [head]
    if fits(body):
        lines.append(body)
    else:
        chunks: list[list[Leaf]] = [[]]
        level = 0
        for leaf in arguments:
            chunks[-1].append(leaf)
            kind = leaf.kind
            if kind in OPENING:
                level += 1
            elif kind in CLOSING:
                level -= 1
            elif level == 0 and kind == COMMA:
                chunks.append([])
            elif level == 0 and kind == VBAR:
                return None
        for i, chunk in enumerate(chunks):
            text = (
                inner + _joined(chunk) + ("," if len(chunks) > 1 and i == len(chunks) - 1 else "")
            )
            if not fits(text) and any(leaf.kind in BRACKETS for leaf in chunk):
                return None
            lines.append(text)
    lines.append(indent + ")")
    return lines


def _source_tokens(leaves: list[Leaf]) -> str:
    return "".join(leaf.src for leaf in leaves if leaf.value or leaf.kind not in BRACKETS)


def lines_of(stmt: ast.stmt, source: Source, description: str | None = None) -> list[str]:
    """A top-level statement (a class with its body, or an assignment) as black lays it out.

    `description` becomes the class docstring. Raises Unsupported when unsure.
    """
    builder = _Builder(source)
    if isinstance(stmt, ast.ClassDef):
        if any(not line.strip() for line in source.lines[stmt.lineno - 1 : stmt.end_lineno]):
            raise Unsupported("empty lines in a class, which black would keep")
        builder.class_line(stmt)
        out = _lay_out(builder, 0)
        tokens = [_source_tokens(builder.leaves)]
        body = list(stmt.body)
        written = _docstring_of(body[0], source) if body else None
        if written is not None:
            # A docstring the module wrote itself (an Unknown... class of open unions).
            if description:
                raise Unsupported("a class with two docstrings")
            out += (INDENT + blackstyle.docstring(written, 1)).split("\n")
            tokens.append(source.segment(body.pop(0)))
            if body:
                out.append("")
        elif description:
            out += docstring(description, 1)
            out.append("")
        for child in body:
            builder.leaves = []
            builder.magic = False
            builder.arguments = None
            builder.statement(child)
            out += _lay_out(builder, 1)
            tokens.append(_source_tokens(builder.leaves))
    else:
        builder.statement(stmt)
        out = _lay_out(builder, 0)
        tokens = [_source_tokens(builder.leaves)]
    if "".join("".join(tokens).split()) != "".join(source.segment(stmt).split()):
        raise Unsupported("the source has tokens the syntax tree does not keep")
    return out


def _docstring_of(stmt: ast.stmt, source: Source) -> str | None:
    """The text between the quotes of a docstring statement written in triple double quotes."""
    if not (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    ):
        return None
    segment = source.segment(stmt).strip()
    if len(segment) < 6 or not (segment.startswith('"""') and segment.endswith('"""')):
        raise Unsupported("a docstring not in triple double quotes")
    return segment[3:-3]


def docstring(text: str, depth: int) -> list[str]:
    """A docstring of `text` (stripped, escaped) at `depth`, as black rewrites it: the lines of
    blackstyle.docstring for the docstring as models.py writes it (no indentation added)."""
    literal = blackstyle.docstring(escape_docstring(text.strip()), depth)
    return (INDENT * depth + literal).split("\n")

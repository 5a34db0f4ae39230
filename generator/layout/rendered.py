"""Rendered modules: Python as a template renders it (a statement a line), laid out as black would."""

# A template writes each statement on one logical line however long, bodies indented, blank
# lines and docstrings in place. lay_out_module gives the text black 26.10 (line length 88,
# default mode, target py311) makes of it, without black: each logical line is tokenized into
# the leaves black's line generator makes (logical.py) and split as black splits (linesplit:
# the left-hand split of a `def`, the right-hand and delimiter splits); docstrings are
# rewritten by black's docstring rules (style.docstring); blank lines follow black's
# empty-line tracker for the lines modelled (no comments but those heading the module). What
# this does not model raises Unsupported: the caller leaves the text to black.

from __future__ import annotations

import io
import re
import tokenize

from .leaves import CLOSING, COMMA, Leaf
from .linesplit import lay_out
from .logical import Token, parse
from .style import INDENT, Unsupported, docstring, fits

__all__ = ["lay_out_module"]

_SKIPPED = frozenset({tokenize.ENCODING, tokenize.ENDMARKER})
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
# An escape black would respell (normalize_unicode_escape_sequences): upper-case hex digits or
# a named character, after an odd number of backslashes.
_RESPELLED_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*\\(?:x[0-9a-fA-F]{0,1}[A-F]|u[0-9a-fA-F]{0,3}[A-F]|U[0-9a-fA-F]{0,7}[A-F]|N\{)"
)


class _Logical:
    """A logical line of the input: its tokens, depth and the blank lines before it."""

    __slots__ = ("blank", "comment", "depth", "first_in_block", "tokens")

    def __init__(self, depth: int, blank: int, first_in_block: bool) -> None:
        self.depth = depth
        self.blank = blank
        self.first_in_block = first_in_block
        self.tokens: list[Token] = []
        self.comment: str | None = None


def _logical_lines(text: str) -> list[_Logical]:
    lines: list[_Logical] = []
    depth = 0
    blank = 0
    first_in_block = True
    current: _Logical | None = None
    level = 0  # brackets open in the current logical line
    last_row = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind, value = tok.type, tok.string
            if kind in _SKIPPED:
                continue
            if kind == tokenize.INDENT:
                depth += 1
                first_in_block = True
                continue
            if kind == tokenize.DEDENT:
                depth -= 1
                continue
            if kind == tokenize.NL:
                if current is None and not tok.line.strip():
                    blank += 1
                continue
            if kind == tokenize.NEWLINE:
                if current is not None:
                    lines.append(current)
                current = None
                blank = 0
                continue
            if kind == tokenize.COMMENT:
                if current is not None or depth or any(line.comment is None for line in lines):
                    raise Unsupported("a comment after the module's first statement")
                if (value != "#" and not value.startswith("# ")) or value != value.rstrip():
                    raise Unsupported("a comment black would respell")
                line = _Logical(0, blank, False)
                line.comment = value
                lines.append(line)
                blank = 0
                continue
            if current is None:
                current = _Logical(depth, blank, first_in_block)
                first_in_block = False
                level = 0
            elif level == 0 and tok.start[0] != last_row:
                raise Unsupported("a backslash continuation")
            if value in _OPENING:
                level += 1
            elif value in _CLOSING:
                level -= 1
            last_row = tok.end[0]
            current.tokens.append((kind, value))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise Unsupported(f"not Python black would parse: {exc}") from exc
    if current is not None:
        lines.append(current)
    return lines


class _Info:
    """What black's empty-line tracker knows of a line."""

    __slots__ = ("depth", "first", "kind", "opens_block")

    def __init__(self, depth: int, kind: str, first: str, opens_block: bool) -> None:
        self.depth = depth
        self.kind = kind
        self.first = first
        self.opens_block = opens_block

    @property
    def is_def(self) -> bool:
        return self.kind == "def"

    @property
    def is_class(self) -> bool:
        return self.kind == "class"


class _EmptyLines:
    """black's EmptyLineTracker (not a stub file, no comments but the module's first lines)."""

    def __init__(self) -> None:
        self.previous: _Info | None = None
        self.previous_after = 0
        self.previous_defs: list[_Info] = []
        # Whether every line so far is a comment, then the module docstring just followed.
        self.only_comments = True
        self.after_module_docstring = False

    def before(self, line: _Info, blank: int) -> tuple[int, int]:
        """The empty lines before `line` and after it, given `blank` in the input before it."""
        before, after = self._maybe_empty_lines(line, blank)
        before = max(0, before - self.previous_after)
        if self.after_module_docstring and line.kind not in ("class", "def"):
            before = 1
        self.after_module_docstring = (
            self.only_comments and line.kind == "docstring" and line.depth == 0
        )
        self.only_comments = self.only_comments and line.kind == "comment"
        self.previous = line
        self.previous_after = after
        return before, after

    def _maybe_empty_lines(self, line: _Info, blank: int) -> tuple[int, int]:
        depth = line.depth
        before = min(blank, 2 if depth == 0 else 1)
        user_had_newline = bool(before)
        previous_def = None
        while self.previous_defs and self.previous_defs[-1].depth >= depth:
            previous_def = self.previous_defs.pop()
        if line.is_def or line.is_class:
            self.previous_defs.append(line)
        previous = self.previous
        if previous is None:
            return 0, 0
        if line.kind == "docstring":
            if previous.is_class:
                return 0, 1
            if previous.opens_block and previous.is_def:
                return 0, 0
        if previous_def is not None:
            if depth or (
                previous_def.depth
                and line.opens_block
                and line.first not in ("with", "try", "for", "while", "if", "match")
            ):
                before = 1
            else:
                before = 2
        if line.kind in ("decorator", "def", "class"):
            if previous.kind == "decorator":
                return 0, 0
            if previous.depth < depth and (previous.is_class or previous.is_def):
                return (1 if user_had_newline else 0), 0
            if previous.kind == "comment" and previous.depth == depth and before == 0:
                raise Unsupported("a definition right after a comment")
            return (1 if depth else 2), 0
        if previous.kind == "import" and line.kind != "import":
            if previous.depth == 0 and depth == 0:
                return 1, 0
            if depth == previous.depth:
                return (before or 1), 0
        return before, 0


def lay_out_module(text: str) -> str:
    """`text` (Python with a statement a line, as templates render it) as black lays it out.

    Raises Unsupported for anything whose layout is not modelled here exactly."""
    if "\r" in text or "\f" in text or "\t" in text:
        raise Unsupported("carriage returns, form feeds or tabs")
    logical = _logical_lines(text)
    if not logical:
        return "\n" if "\n" in text else ""
    empty = _EmptyLines()
    out: list[str] = []
    after = 0
    for line in logical:
        if line.comment is not None:
            info = _Info(0, "comment", "#", False)
            body = [line.comment]
        else:
            kind, opens_block, body = _laid_out(line)
            info = _Info(line.depth, kind, line.tokens[0][1], opens_block)
        before, next_after = empty.before(info, line.blank)
        out.extend([""] * (after + before))
        out.extend(body)
        after = next_after
    return "\n".join(out) + "\n" if out else ""


# Statements laid out so far, by what their layout depends on (a template repeats many: the
# same signature and call in the sync, async, raw and streaming clients). Each is a function of
# its key; an Unsupported is kept as its message.
_Laid = tuple[str, bool, list[str]]
_CACHE: dict[tuple[int, bool, tuple[str, ...]], _Laid | str] = {}
_CACHE_SIZE = 20_000


def _laid_out(line: _Logical) -> _Laid:
    """The kind of a statement, whether it opens a block, and its lines."""
    key = (line.depth, line.first_in_block, tuple([value for _, value in line.tokens]))
    laid = _CACHE.get(key)
    if laid is None:
        try:
            statement = parse(line.tokens)
            if statement.kind == "string":
                laid = ("docstring", False, _docstring(line))
            else:
                written = "".join([leaf.value for leaf in statement.leaves])
                body = _statement(statement.leaves, line.depth)
                if len(body) > 1 and _changed(written, body):
                    body = _second_pass(body, line.depth)
                laid = (statement.kind, statement.opens_block, body)
        except Unsupported as exc:
            laid = str(exc)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = laid
    if isinstance(laid, str):
        raise Unsupported(laid)
    return laid


def _changed(written: str, lines: list[str]) -> bool:
    """Whether laying out added tokens (trailing commas, parentheses made visible) to the
    statement `written` (its tokens' text): without any, a second pass would read the same
    tokens again and give the same lines."""
    return "".join("".join(lines).split()) != "".join(written.split())


def _second_pass(lines: list[str], depth: int) -> list[str]:
    """black formats a file twice when the first pass changed it: a split statement is split
    again from its first layout (the trailing commas black added are then magic, parentheses
    it made visible redundant). A statement left on one line stays as it is."""
    again = _logical_lines("\n".join([line[len(INDENT) * depth :] for line in lines]) + "\n")
    if len(again) != 1:
        raise Unsupported("a statement that is not one after its first layout")
    return _statement(parse(again[0].tokens).leaves, depth)


def _statement(leaves: list[Leaf], depth: int) -> list[str]:
    """The lines of a statement: itself when it fits and has no trailing comma black could
    keep exploded (the common case, without building black's lines), else linesplit's."""
    previous = 0
    for leaf in leaves:
        kind = leaf.kind
        if kind in CLOSING and previous == COMMA:
            return lay_out(leaves, depth)
        previous = kind
    text = (
        INDENT * depth + leaves[0].value + "".join([leaf.space + leaf.value for leaf in leaves[1:]])
    )
    return [text] if fits(text) else lay_out(leaves, depth)


def _docstring(line: _Logical) -> list[str]:
    if not line.first_in_block:
        raise Unsupported("a string statement that is not a docstring")
    value = line.tokens[0][1]
    if not (value.startswith('"""') and value.endswith('"""') and len(value) >= 6):
        raise Unsupported("a docstring not in triple double quotes, or with a prefix")
    if _RESPELLED_ESCAPE.search(value):
        raise Unsupported("an escape black would respell")
    literal = docstring(value[3:-3], line.depth)
    return (INDENT * line.depth + literal).split("\n")

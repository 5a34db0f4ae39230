"""Leaves and lines: what black's line generator makes of a statement, the units linesplit.py splits."""

from __future__ import annotations

from collections.abc import Iterator

from .style import LINE_LENGTH, Unsupported, columns_fit, wide

__all__ = [
    "BRACKETS",
    "CLOSING",
    "CLOSING_OF",
    "COLON",
    "COMMA",
    "COMMA_PRIORITY",
    "COMPARATOR_PRIORITY",
    "DOT",
    "DOT_PRIORITY",
    "EQUAL",
    "LBRACE",
    "LOGIC_PRIORITY",
    "LPAR",
    "LSQB",
    "NAME",
    "NO_ANNOTATION",
    "NUMBER",
    "OPENING",
    "OTHER",
    "PARAM_ANNOTATION",
    "RBRACE",
    "RETURN_ANNOTATION",
    "RPAR",
    "RSQB",
    "STRING",
    "TERNARY_PRIORITY",
    "TEXT",
    "VBAR",
    "VBAR_PRIORITY",
    "Leaf",
    "Line",
    "is_short",
    "one_sequence_between",
]

# Leaf kinds.
NAME, STRING, NUMBER, COMMA, COLON, EQUAL, VBAR, DOT, OTHER = range(9)
LPAR, RPAR, LSQB, RSQB, LBRACE, RBRACE = range(10, 16)
OPENING = frozenset({LPAR, LSQB, LBRACE})
CLOSING = frozenset({RPAR, RSQB, RBRACE})
BRACKETS = OPENING | CLOSING
CLOSING_OF = {LPAR: RPAR, LSQB: RSQB, LBRACE: RBRACE}
TEXT = {LPAR: "(", RPAR: ")", LSQB: "[", RSQB: "]", LBRACE: "{", RBRACE: "}"}

COMMA_PRIORITY = 18
TERNARY_PRIORITY = 16
LOGIC_PRIORITY = 14
COMPARATOR_PRIORITY = 10
VBAR_PRIORITY = 9
DOT_PRIORITY = 1

# What a leaf is part of, for the trailing comma black adds to a lone parameter.
NO_ANNOTATION, PARAM_ANNOTATION, RETURN_ANNOTATION = range(3)


class Leaf:
    """One token: its text, the space before it, and what black's bracket tracker notes on it."""

    __slots__ = (
        "added",
        "annotation",
        "atom",
        "before",
        "depth",
        "kind",
        "opening",
        "prefix",
        "space",
        "src",
        "value",
        "wide",
    )

    def __init__(
        self, kind: int, value: str, space: str, src: str | None = None, atom: bool = False
    ) -> None:
        self.kind = kind
        self.value = value
        # The space black puts before this leaf when it follows another on a line.
        self.space = space
        self.prefix = ""
        self.depth = 0
        self.opening: Leaf | None = None
        # Brackets of an atom (list, dict, invisible parentheses) or of an import, not a trailer.
        self.atom = atom
        # The token as the source spelled it, for the check that nothing was dropped.
        self.src = value if src is None else src
        # A comma black adds: it has no parent in black's tree.
        self.added = False
        # Characters that may be two columns wide (blackstyle.columns_fit).
        self.wide = 0 if value.isascii() else wide(value)
        # The priority of a split before this leaf (black's is_split_before_delimiter), for
        # the operators whose priority does not depend on the line (`|`, comparisons, and/or).
        self.before = VBAR_PRIORITY if kind == VBAR else 0
        # Whether the leaf is part of a parameter's or the return annotation.
        self.annotation = NO_ANNOTATION

    def clone(self) -> Leaf:
        """A fresh leaf with the same token and syntax (as black's append_leaves makes)."""
        leaf = Leaf(self.kind, self.value, self.space, self.src, self.atom)
        leaf.before = self.before
        leaf.annotation = self.annotation
        return leaf


class Line:
    """A logical line being laid out: leaves, indentation and black's bracket tracker state."""

    __slots__ = (
        "delimiters",
        "depth",
        "inside",
        "invisible",
        "leaves",
        "level",
        "magic",
        "match",
        "previous",
        "split_rhs",
    )

    def __init__(self, depth: int, inside: bool = False) -> None:
        self.depth = depth
        self.leaves: list[Leaf] = []
        self.inside = inside
        self.split_rhs = False
        self.magic: Leaf | None = None
        self.level = 0
        self.match: dict[tuple[int, int], Leaf] = {}
        self.delimiters: dict[Leaf, int] = {}
        self.previous: Leaf | None = None
        self.invisible: list[Leaf] = []

    def append(self, leaf: Leaf, preformatted: bool = False, track: bool = False) -> None:
        leaves = self.leaves
        if leaves and not preformatted:
            leaf.prefix += leaf.space
        if self.inside or not preformatted or track:
            self._mark(leaf)
            if leaf.kind in CLOSING and leaves and leaves[-1].kind == COMMA:
                self._magic_trailing_comma(leaf)
        leaves.append(leaf)

    def _mark(self, leaf: Leaf) -> None:
        kind = leaf.kind
        if kind < LPAR and self.level:
            # The common case: neither a bracket nor at the top level.
            leaf.depth = self.level
            self.previous = leaf
            return
        if self.level == 0 and kind in CLOSING and (0, kind) not in self.match:
            return
        if kind in CLOSING:
            self.level -= 1
            opening = self.match.pop((self.level, kind), None)
            if opening is None:
                raise Unsupported("unmatched bracket")
            leaf.opening = opening
            if not leaf.value:
                self.invisible.append(leaf)
        leaf.depth = self.level
        if self.level == 0:
            previous = self.previous
            before = leaf.before
            if kind == DOT and previous is not None and previous.kind in CLOSING:
                before = DOT_PRIORITY  # an attribute of a call or subscript's result
            if before and previous is not None:
                self.delimiters[previous] = before
            elif kind == COMMA:
                self.delimiters[leaf] = COMMA_PRIORITY
        if kind in OPENING:
            self.match[self.level, CLOSING_OF[kind]] = leaf
            self.level += 1
            if not leaf.value:
                self.invisible.append(leaf)
        self.previous = leaf

    def _magic_trailing_comma(self, closing: Leaf) -> None:
        """black's has_magic_trailing_comma: a trailing comma black keeps exploded, unless it
        makes a one-tuple or a one-item subscript."""
        opening = closing.opening
        if closing.kind == RSQB:
            if (
                not closing.atom
                and opening is not None
                and one_sequence_between(opening, closing, self.leaves, square=True)
            ):
                return
        elif (
            closing.kind == RPAR
            and not self.is_import
            and (opening is None or one_sequence_between(opening, closing, self.leaves))
        ):
            return
        self.magic = closing

    @property
    def is_def(self) -> bool:
        leaves = self.leaves
        if not leaves or leaves[0].kind != NAME:
            return False
        first = leaves[0].value
        return first == "def" or (first == "async" and len(leaves) > 1 and leaves[1].value == "def")

    @property
    def is_import(self) -> bool:
        first = self.leaves[0] if self.leaves else None
        return first is not None and first.kind == NAME and first.value in ("import", "from")

    def render(self) -> str:
        """The line as black prints it, without its line break."""
        if not self.leaves:
            return ""
        first = self.leaves[0]
        parts = [first.prefix, "    " * self.depth, first.value]
        for leaf in self.leaves[1:]:
            parts.append(leaf.prefix)
            parts.append(leaf.value)
        return "".join(parts)

    def max_priority(self, exclude: Leaf | None = None) -> int:
        """Raises ValueError when there is no delimiter, as black's tracker does."""
        return max(p for leaf, p in self.delimiters.items() if leaf is not exclude)

    def count_priority(self, priority: int) -> int:
        return sum(1 for p in self.delimiters.values() if p == priority)

    def lengths(self, reverse: bool = False) -> Iterator[tuple[int, Leaf, int]]:
        indexes = range(len(self.leaves) - 1, -1, -1) if reverse else range(len(self.leaves))
        for index in indexes:
            leaf = self.leaves[index]
            yield index, leaf, len(leaf.prefix) + len(leaf.value)


def is_short(line: Line, limit: int = LINE_LENGTH) -> bool:
    """black's is_line_short_enough (no multiline strings here)."""
    length = 4 * line.depth
    wide_characters = 0
    for leaf in line.leaves:
        length += len(leaf.prefix) + len(leaf.value)
        wide_characters += leaf.wide
    return columns_fit(length, wide_characters, line.render, limit)


def one_sequence_between(
    opening: Leaf, closing: Leaf, leaves: list[Leaf], square: bool = False
) -> bool:
    """black's is_one_sequence_between: the brackets (parentheses, or square brackets if
    `square`) hold one item and a comma at most (a one-tuple); never those of a call, `def` or
    class (not an atom), whose commas belong to an argument or parameter list."""
    if (opening.kind, closing.kind) != ((LSQB, RSQB) if square else (LPAR, RPAR)):
        return False
    try:
        start = leaves.index(opening) + 1
    except ValueError:
        return False
    depth = closing.depth + 1
    commas = 0
    for leaf in leaves[start:]:
        if leaf is closing:
            break
        if leaf.depth == depth and leaf.kind == COMMA:
            if not opening.atom and not square:
                return False
            commas += 1
    return commas < 2

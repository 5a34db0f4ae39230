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
    "DOT",
    "EQUAL",
    "LBRACE",
    "LPAR",
    "LSQB",
    "NAME",
    "NUMBER",
    "OPENING",
    "OTHER",
    "RBRACE",
    "RPAR",
    "RSQB",
    "STRING",
    "TEXT",
    "VBAR",
    "VBAR_PRIORITY",
    "Leaf",
    "Line",
    "is_short",
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
VBAR_PRIORITY = 9


class Leaf:
    """One token: its text, the space before it, and what black's bracket tracker notes on it."""

    __slots__ = (
        "added",
        "atom",
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
            if kind == VBAR and self.previous is not None:
                self.delimiters[self.previous] = VBAR_PRIORITY
            elif kind == COMMA:
                self.delimiters[leaf] = COMMA_PRIORITY
        if kind in OPENING:
            self.match[self.level, CLOSING_OF[kind]] = leaf
            self.level += 1
            if not leaf.value:
                self.invisible.append(leaf)
        self.previous = leaf

    def _magic_trailing_comma(self, closing: Leaf) -> None:
        # Only the trailing comma of a call's arguments reaches here (see _Builder): black
        # counts it as magic (the arguments are an arglist, never a one-tuple).
        if closing.kind != RPAR or closing.atom:
            raise Unsupported("a trailing comma outside a call")
        self.magic = closing

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
    return columns_fit(length, wide_characters, limit)

"""Logical lines: one statement of rendered Python, tokenized, as the leaves black's line generator makes."""

# black 26.10 (default mode) turns each statement into a line of leaves: the tokens with the
# whitespace black puts between them, and invisible parentheses where its linegen adds them
# (around a returned or assigned value, an annotated assignment's annotation, an `if` test, a
# return annotation, a parameter's union annotation, the names of `from m import`). Redundant
# parentheses there become invisible as black makes them. This parser knows the statements and
# expressions the generator's templates write (see rendered.py); anything else raises
# Unsupported, and so does anything black would respell (string quotes or prefixes, numbers).

from __future__ import annotations

import tokenize

from .expressions import CLOSE, Expressions, Token
from .leaves import (
    COLON,
    COMMA,
    DOT,
    EQUAL,
    LBRACE,
    LPAR,
    LSQB,
    NO_ANNOTATION,
    OTHER,
    PARAM_ANNOTATION,
    RBRACE,
    RETURN_ANNOTATION,
    RPAR,
    RSQB,
    VBAR,
    Leaf,
)
from .style import Unsupported

__all__ = ["Statement", "Token", "parse"]


class Statement:
    """One logical line: its leaves and what black's empty-line tracker asks of it."""

    __slots__ = ("kind", "leaves")

    def __init__(self, kind: str, leaves: list[Leaf]) -> None:
        # "import", "decorator", "def", "class", "block" (if/elif/else), "docstring", "simple"
        self.kind = kind
        self.leaves = leaves

    @property
    def opens_block(self) -> bool:
        return bool(self.leaves) and self.leaves[-1].kind == COLON


def parse(tokens: list[Token]) -> Statement:
    """The leaves of one logical line (its tokens without NEWLINE, NL, INDENT, DEDENT)."""
    parser = _Parser(tokens)
    kind = parser.statement()
    if parser.at != len(tokens):
        raise Unsupported(f"unexpected {parser.peek()!r}")
    return Statement(kind, parser.leaves)


class _Parser(Expressions):
    """The statements: each parsed into leaves by its own rule, expressions by Expressions."""

    # Statements.

    def statement(self) -> str:
        first = self.peek()
        if first == "@":
            self.punctuation(OTHER, "@", "")
            self.test("")
            return "decorator"
        if first in ("def", "async"):
            self.function()
            return "def"
        if first == "class":
            self.class_line()
            return "class"
        if first in ("if", "elif"):
            self.keyword(first, "")
            self.optional(" ", (":",))
            self.punctuation(COLON, ":", "")
            return "block"
        if first == "else":
            self.keyword("else", "")
            self.punctuation(COLON, ":", "")
            return "block"
        if first == "import":
            self.import_names()
            return "import"
        if first == "from":
            self.from_import()
            return "import"
        if first == "return":
            self.keyword("return", "")
            if self.at < len(self.tokens):
                self.optional(" ", ("",))
            return "simple"
        if first in ("pass", "break", "continue"):
            self.keyword(first, "")
            return "simple"
        if self.peek_type() == tokenize.STRING and len(self.tokens) == 1:
            self.take()
            return "string"
        if first == "(":
            raise Unsupported("a parenthesized assignment target or statement")
        self.test("")
        if self.peek() == "=":
            if any(leaf.kind in (LPAR, LSQB) and leaf.atom for leaf in self.leaves):
                raise Unsupported("an assignment to a display")
            self.punctuation(EQUAL, "=", " ")
            self.optional(" ", ("",))
        elif self.peek() == ":":
            self.punctuation(COLON, ":", "")
            self.optional(" ", ("", "="))
            if self.peek() == "=":
                self.punctuation(EQUAL, "=", " ")
                self.optional(" ", ("",))
        return "simple"

    def optional(self, space: str, followers: tuple[str, ...]) -> None:
        """An expression in black's invisible parentheses (normalize_invisible_parens): its
        own parentheses made invisible when redundant; a tuple's kept, with none added.
        `followers`: the tokens that may end the expression."""
        if self.peek() == "(":
            if self.parenthesized_tuple(followers):
                self.test(space)
                return
            self.take("(")
            self.invisible(LPAR, space)
            if self.peek() == "(":
                raise Unsupported("nested redundant parentheses")
            self.test("")
            self.take(")")
            self.invisible(RPAR, "")
            return
        if self.peek() in ("yield", "*", "lambda"):
            raise Unsupported(self.peek())
        self.invisible(LPAR, space)
        self.test("")
        if self.peek() not in followers:
            raise Unsupported(f"{self.peek()!r} after an expression")
        self.invisible(RPAR, "")

    def parenthesized_tuple(self, followers: tuple[str, ...]) -> bool:
        """Whether the parentheses starting here hold a tuple (a comma at their level, or
        nothing); raises Unsupported when something else than `followers` comes after them."""
        depth = 0
        comma = False
        for index in range(self.at, len(self.tokens)):
            value = self.tokens[index][1]
            if value in CLOSE:
                depth += 1
            elif value in (")", "]", "}"):
                depth -= 1
                if depth == 0:
                    after = self.tokens[index + 1][1] if index + 1 < len(self.tokens) else ""
                    if after not in followers:
                        raise Unsupported("parentheses around part of an expression")
                    return comma or index == self.at + 1
            elif value == "," and depth == 1:
                comma = True
        raise Unsupported("unbalanced brackets")

    def function(self) -> None:
        if self.peek() == "async":
            self.keyword("async", "")
            self.keyword("def", " ")
        else:
            self.keyword("def", "")
        self.name(" ")
        self.bracket("(", "", atom=False)
        first = True
        while self.peek() != ")":
            if not first:
                self.punctuation(COMMA, ",", "")
                if self.peek() == ")":
                    break
            self.parameter("" if first else " ")
            first = False
        self.bracket(")", "", atom=False)
        if self.peek() == "->":
            self.take("->")
            self.add(OTHER, "->", " ")
            self.annotation = RETURN_ANNOTATION
            self.optional(" ", (":",))
            self.annotation = NO_ANNOTATION
        self.punctuation(COLON, ":", "")

    def parameter(self, space: str) -> None:
        if self.peek() in ("*", "**"):
            star = self.take()
            self.add(OTHER, star, space)
            if self.peek() in (",", ")"):
                if star == "**":
                    raise Unsupported("** without a name")
                return
            space = ""
        elif self.peek() == "/":
            raise Unsupported("positional-only parameters")
        self.name(space)
        annotated = self.peek() == ":"
        if annotated:
            self.punctuation(COLON, ":", "")
            self.annotation = PARAM_ANNOTATION
            self.param_annotation()
            self.annotation = NO_ANNOTATION
        if self.peek() == "=":
            spacing = " " if annotated else ""
            self.punctuation(EQUAL, "=", spacing)
            self.test(spacing)

    def param_annotation(self) -> None:
        """black's visit_tname: invisible parentheses around a union; redundant ones made so."""
        if self.peek() == "(":
            self.optional(" ", (",", ")", "="))
            return
        start = len(self.leaves)
        self.test(" ")
        union = any(
            leaf.kind == VBAR and leaf.depth == 0 for leaf in self._depths(self.leaves[start:])
        )
        if union:
            opening = Leaf(LPAR, "", " ", atom=True)
            closing = Leaf(RPAR, "", "", atom=True)
            opening.annotation = closing.annotation = PARAM_ANNOTATION
            self.leaves[start].space = ""
            self.leaves.insert(start, opening)
            self.leaves.append(closing)

    @staticmethod
    def _depths(leaves: list[Leaf]) -> list[Leaf]:
        level = 0
        for leaf in leaves:
            if leaf.kind in (RPAR, RSQB, RBRACE):
                level -= 1
            leaf.depth = level
            if leaf.kind in (LPAR, LSQB, LBRACE):
                level += 1
        return leaves

    def class_line(self) -> None:
        self.keyword("class", "")
        self.name(" ")
        if self.peek() == "(":
            if self.peek(1) == ")":
                raise Unsupported("a class with empty parentheses")
            self.bracket("(", "", atom=False)
            self.arguments()
            self.bracket(")", "", atom=False)
        self.punctuation(COLON, ":", "")

    def import_names(self) -> None:
        self.keyword("import", "")
        space = " "
        while True:
            self.dotted(space)
            if self.peek() == "as":
                self.keyword("as", " ")
                self.name(" ")
            if self.peek() != ",":
                return
            self.punctuation(COMMA, ",", "")

    def dotted(self, space: str) -> None:
        self.name(space)
        while self.peek() == ".":
            self.punctuation(DOT, ".", "")
            self.name("")

    def from_import(self) -> None:
        self.keyword("from", "")
        space = " "
        while self.peek() in (".", "..."):
            raise Unsupported("a relative import")
        self.dotted(space)
        self.keyword("import", " ")
        if self.peek() == "*":
            raise Unsupported("import *")
        parenthesized = self.peek() == "("
        if parenthesized:
            self.take("(")
        self.invisible(LPAR, " ")
        first = True
        while self.peek() not in ("", ")"):
            if not first:
                self.punctuation(COMMA, ",", "")
                if self.peek() in ("", ")"):
                    break
            self.name("" if first else " ")
            if self.peek() == "as":
                self.keyword("as", " ")
                self.name(" ")
            first = False
        if first:
            raise Unsupported("an import of nothing")
        if parenthesized:
            self.take(")")
        self.invisible(RPAR, "")

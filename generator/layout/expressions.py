"""Expressions: the tokens of an expression as the leaves black's line generator makes of them."""

# Part of logical.py's parser: names, literals (as black writes them, else Unsupported),
# calls, subscripts, attributes, tuples, lists, dicts, `|`, comparisons, and/or/not, unary
# minus before a number, await. The whitespace black puts before each leaf is set here.

from __future__ import annotations

import ast
import re
import tokenize

from ..escape import string_literal
from .leaves import (
    COLON,
    COMMA,
    COMPARATOR_PRIORITY,
    DOT,
    EQUAL,
    LBRACE,
    LOGIC_PRIORITY,
    LPAR,
    LSQB,
    NAME,
    NO_ANNOTATION,
    NUMBER,
    OTHER,
    RBRACE,
    RPAR,
    RSQB,
    STRING,
    TERNARY_PRIORITY,
    VBAR,
    Leaf,
)
from .style import Unsupported

__all__ = ["CLOSE", "Expressions", "Token"]

Token = tuple[int, str]

_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?(e-?[0-9]+)?")
_KEYWORDS = frozenset(
    {
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
        "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
        "with", "yield", "match", "case", "type", "_",
    }
)  # fmt: skip
_SOFT = frozenset({"match", "case", "type", "_"})
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">="})
CLOSE = {"(": ")", "[": "]", "{": "}"}
_KIND = {"(": LPAR, ")": RPAR, "[": LSQB, "]": RSQB, "{": LBRACE, "}": RBRACE}


class Expressions:
    """A parser over one logical line's tokens, making leaves: its expressions."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        # The tokens' text, then "" past the end (peek looks up to two ahead).
        self.values = [value for _, value in tokens] + ["", "", ""]
        self.at = 0
        self.leaves: list[Leaf] = []
        # Set on the leaves while an annotation is parsed.
        self.annotation = NO_ANNOTATION

    # Tokens.

    def peek(self, ahead: int = 0) -> str:
        return self.values[self.at + ahead]

    def peek_type(self) -> int:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else tokenize.ENDMARKER

    def take(self, text: str | None = None) -> str:
        value = self.values[self.at]
        if not value and self.at >= len(self.tokens):
            raise Unsupported("a statement ends too early")
        if text is not None and value != text:
            raise Unsupported(f"expected {text!r}, found {value!r}")
        self.at += 1
        return value

    def add(self, kind: int, value: str, space: str, atom: bool = False) -> Leaf:
        leaf = Leaf(kind, value, space, atom=atom)
        leaf.annotation = self.annotation
        self.leaves.append(leaf)
        return leaf

    def name(self, space: str) -> Leaf:
        if self.peek_type() != tokenize.NAME or self.peek() in _KEYWORDS - _SOFT:
            raise Unsupported(f"expected a name, found {self.peek()!r}")
        return self.add(NAME, self.take(), space)

    def keyword(self, value: str, space: str) -> Leaf:
        self.take(value)
        return self.add(NAME, value, space)

    def punctuation(self, kind: int, value: str, space: str) -> Leaf:
        self.take(value)
        return self.add(kind, value, space)

    def bracket(self, value: str, space: str, atom: bool) -> Leaf:
        self.take(value)
        return self.add(_KIND[value], value, space, atom)

    def invisible(self, kind: int, space: str) -> Leaf:
        return self.add(kind, "", space, atom=True)

    # Expressions.

    def test(self, space: str) -> None:
        """An expression: `a if b else c`, or/and/not, comparisons, `|`, unary minus, await,
        primaries. black splits a conditional expression before `if` and `else`."""
        self.conjunction(space, "or")
        if self.peek() == "if":
            self.keyword("if", " ").before = TERNARY_PRIORITY
            self.conjunction(" ", "or")
            self.keyword("else", " ").before = TERNARY_PRIORITY
            self.test(" ")

    def conjunction(self, space: str, operator: str) -> None:
        if operator == "or":
            self.conjunction(space, "and")
        else:
            self.negation(space)
        while self.peek() == operator:
            self.keyword(operator, " ").before = LOGIC_PRIORITY
            if operator == "or":
                self.conjunction(" ", "and")
            else:
                self.negation(" ")

    def negation(self, space: str) -> None:
        if self.peek() == "not":
            self.keyword("not", space)
            self.negation(" ")
        else:
            self.comparison(space)

    def comparison(self, space: str) -> None:
        self.union(space)
        while True:
            value = self.peek()
            if value in _COMPARISONS:
                self.punctuation(OTHER, value, " ").before = COMPARATOR_PRIORITY
            elif value == "in":
                self.keyword("in", " ").before = COMPARATOR_PRIORITY
            elif value == "not" and self.peek(1) == "in":
                self.keyword("not", " ").before = COMPARATOR_PRIORITY
                self.keyword("in", " ")
            elif value == "is":
                self.keyword("is", " ").before = COMPARATOR_PRIORITY
                if self.peek() == "not":
                    self.keyword("not", " ")
            else:
                return
            self.union(" ")

    def union(self, space: str) -> None:
        self.unary(space)
        while self.peek() == "|":
            self.punctuation(VBAR, "|", " ")
            self.unary(" ")

    def unary(self, space: str) -> None:
        value = self.peek()
        if value in ("-", "+", "~"):
            self.punctuation(OTHER, value, space)
            if self.peek_type() != tokenize.NUMBER:
                raise Unsupported("a unary operator before something else than a number")
            self.primary("")
        elif value == "await":
            self.keyword("await", space)
            if self.peek() == "(":
                raise Unsupported("parentheses after await")
            self.primary(" ")
        else:
            self.primary(space)
        if self.peek() in ("**", "+", "-", "*", "/", "//", "%", "@", "&", "^", "<<", ">>"):
            raise Unsupported(f"operator {self.peek()}")
        if self.peek() in ("for", ":="):
            raise Unsupported(self.peek())

    def primary(self, space: str) -> None:
        self.atom(space)
        while True:
            value = self.peek()
            if value == "(":
                self.bracket("(", "", atom=False)
                self.arguments()
                self.bracket(")", "", atom=False)
            elif value == "[":
                self.bracket("[", "", atom=False)
                self.items("]")
                self.bracket("]", "", atom=False)
            elif value == ".":
                if self.leaves[-1].kind == NUMBER:
                    raise Unsupported("an attribute of a number")
                self.punctuation(DOT, ".", "")
                self.name("")
            else:
                return

    def atom(self, space: str) -> None:
        kind = self.peek_type()
        value = self.peek()
        if kind == tokenize.NAME:
            if value in ("None", "True", "False"):
                self.keyword(value, space)
            else:
                self.name(space)
        elif kind == tokenize.NUMBER:
            if not _NUMBER.fullmatch(value):
                raise Unsupported(f"number {value!r}")
            self.take()
            self.add(NUMBER, value, space)
        elif kind == tokenize.STRING:
            self.string(space)
        elif value == "(":
            self.parenthesized(space)
        elif value == "[":
            self.bracket("[", space, atom=True)
            self.items("]")
            self.bracket("]", "", atom=True)
        elif value == "{":
            self.bracket("{", space, atom=True)
            self.dict_items()
            self.bracket("}", "", atom=True)
        else:
            raise Unsupported(f"expression {value!r}")

    def string(self, space: str) -> None:
        value = self.take()
        if value[0] not in "'\"" or value.startswith(('"""', "'''")):
            raise Unsupported("a string with a prefix or triple quotes")
        if string_literal(ast.literal_eval(value)) != value:
            raise Unsupported("a string not written as black writes it")
        self.add(STRING, value, space)
        if self.peek_type() == tokenize.STRING:
            raise Unsupported("implicitly concatenated strings")
        if self.peek() == ".":
            raise Unsupported("an attribute of a string")

    def parenthesized(self, space: str) -> None:
        """A tuple (a parenthesized expression anywhere but where black makes it invisible
        is not modelled: black leaves some, removes others)."""
        self.bracket("(", space, atom=True)
        if self.peek() == ")":
            self.bracket(")", "", atom=True)
            return
        self.test("")
        if self.peek() != ",":
            raise Unsupported("a parenthesized expression")
        while self.peek() == ",":
            self.punctuation(COMMA, ",", "")
            if self.peek() == ")":
                break
            self.test(" ")
        self.bracket(")", "", atom=True)

    def items(self, closing: str) -> None:
        first = True
        while self.peek() != closing:
            if not first:
                self.punctuation(COMMA, ",", "")
                if self.peek() == closing:
                    break
            self.item("" if first else " ")
            first = False

    def item(self, space: str) -> None:
        if self.peek() in ("*", "**"):
            raise Unsupported("unpacking")
        if self.peek() == "(" and not self.parenthesized_item():
            raise Unsupported("a parenthesized expression as an item")
        self.test(space)

    def parenthesized_item(self) -> bool:
        """Whether the parentheses starting here hold a tuple (a comma at their level, or
        nothing)."""
        if self.peek(1) == ")":
            return True
        depth = 0
        for index in range(self.at, len(self.tokens)):
            value = self.tokens[index][1]
            if value in CLOSE:
                depth += 1
            elif value in (")", "]", "}"):
                depth -= 1
                if depth == 0:
                    return False
            elif value == "," and depth == 1:
                return True
        return False

    def arguments(self) -> None:
        first = True
        while self.peek() != ")":
            if not first:
                self.punctuation(COMMA, ",", "")
                if self.peek() == ")":
                    break
            space = "" if first else " "
            if self.peek_type() == tokenize.NAME and self.peek(1) == "=":
                self.name(space)
                self.punctuation(EQUAL, "=", "")
                if self.peek() == "(" and not self.parenthesized_item():
                    raise Unsupported("a parenthesized expression as an argument")
                self.test("")
            else:
                self.item(space)
            first = False

    def dict_items(self) -> None:
        first = True
        while self.peek() != "}":
            if not first:
                self.punctuation(COMMA, ",", "")
                if self.peek() == "}":
                    break
            self.item("" if first else " ")
            if self.peek() != ":":
                raise Unsupported("a set display")
            self.punctuation(COLON, ":", "")
            self.item(" ")
            first = False

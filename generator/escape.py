"""Escape: make untrusted spec text safe for where it lands in Python source."""

from __future__ import annotations

import re

__all__ = ["comment", "docstring", "string_literal"]

# Everything the tokenizer or str.splitlines() could treat as a line break or end a string,
# plus other control characters: each is written as an escape sequence instead.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


_QUOTE_RUN = re.compile('"{2,}')


def _hex_escape(char: str) -> str:
    """The character as repr() escapes it: lowercase \\x, \\u or \\U, as black leaves it."""
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def docstring(text: str) -> str:
    """Body of a \"\"\"-delimited, non-raw docstring that reads back as exactly `text`."""
    body = text.replace("\\", "\\\\")
    body = _UNSAFE.sub(lambda match: _hex_escape(match.group()), body)
    # A run of quotes could close the docstring, and so could quotes at the very end.
    stripped = body.rstrip('"')
    trailing = len(body) - len(stripped)
    body = _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), stripped) + '\\"' * trailing
    return body


def comment(text: str) -> str:
    """One line of text for after a `#`: no line breaks of any kind survive."""
    return " ".join(_UNSAFE.sub(" ", text).split())


_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _literal_char(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return char if char.isprintable() else _hex_escape(char)


def string_literal(text: str) -> str:
    """A one-line Python string literal that reads back as `text`, written as black leaves it.

    Escapes are those of repr() (every character that is not printable, line breaks and bidi
    controls among them); quotes are double unless single quotes need fewer backslashes, which
    is black's rule.
    """
    body = text if text.isprintable() and "\\" not in text else "".join(map(_literal_char, text))
    if text.count('"') > text.count("'"):
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'

"""Escape: make untrusted spec text safe for where it lands in Python source."""

from __future__ import annotations

import re

__all__ = ["comment", "docstring", "string_literal"]

# Everything the tokenizer or str.splitlines() could treat as a line break or end a string,
# plus other control characters: each is written as an escape sequence instead.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


_QUOTE_RUN = re.compile('"{2,}')


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def docstring(text: str) -> str:
    """Body of a \"\"\"-delimited, non-raw docstring that reads back as exactly `text`."""
    body = text.replace("\\", "\\\\")
    body = _UNSAFE.sub(_escape_char, body)
    # A run of quotes could close the docstring, and so could quotes at the very end.
    stripped = body.rstrip('"')
    trailing = len(body) - len(stripped)
    body = _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), stripped) + '\\"' * trailing
    return body


def comment(text: str) -> str:
    """One line of text for after a `#`: no line breaks of any kind survive."""
    return " ".join(_UNSAFE.sub(" ", text).split())


_LITERAL_UNSAFE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_literal_char(match: re.Match[str]) -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or _escape_char(match)


def string_literal(text: str) -> str:
    """A one-line Python string literal that reads back as `text`, quoted as black leaves it.

    black prefers double quotes unless single quotes need fewer backslashes; escapes are
    lowercase hex, as black writes them.
    """
    body = _LITERAL_UNSAFE.sub(_escape_literal_char, text.replace("\\", "\\\\"))
    if text.count('"') > text.count("'"):
        return "'" + body.replace("'", "\\'") + "'"
    return '"' + body.replace('"', '\\"') + '"'

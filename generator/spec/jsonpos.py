"""JSON positions: where a JSON pointer's value starts in JSON text, as YAML's composer places it.

The Locator composes a spec's text as YAML to place a diagnostic: for a large JSON spec, a
second or more. JSON text that YAML reads as JSON reads it (no character YAML treats otherwise,
no surrogate escape, no key too long for YAML) is walked here instead, along the pointer only,
skipping the values beside it with the json module's scanner; the answer is the composer's
(tests/test_jsonpos.py). For other text position() answers None and the caller composes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["JsonPositions"]

# Characters YAML reads otherwise than JSON or refuses: tabs, line breaks other than \n (YAML
# counts \r, NEL, LS and PS as breaks), controls, BOM, non-characters, lone surrogates.
_UNSAFE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# A \u escape of a UTF-16 surrogate: YAML refuses it (the Locator rewrites the text for YAML).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# YAML takes a key as a "simple key" only within 1024 characters of its start, and a colon that
# starts a line otherwise: a key of 450 or more characters or escapes (so of 900 characters or
# more), a long run of spaces before a colon, or a colon first on its line, is left to it. Keys
# that long are looked for on long lines only (a regular expression over every string is slow).
_LONG_KEY = re.compile(r'"(?=(?:[^"\\]|\\.){450})(?:[^"\\]++|\\.)*+" *:| {400,}:')
_LONG_LINE = 400
_COLON_FIRST = re.compile(r"\n *:")
_SPACE = re.compile(r"[ \n]*")
# The json module's C scanners (not in its typed interface): a string from after its opening
# quote, and any value from its first character, each with the offset after it.
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_SCAN_VALUE: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


class JsonPositions:
    """0-based (line, column) of the values along JSON pointers in one JSON text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._safe: bool | None = None
        # Offset of a container → its members: (key, value offset) pairs, or item offsets.
        self._members: dict[int, Any] = {}

    def position(self, tokens: list[str]) -> tuple[int, int] | None:
        """Where the value at `tokens` starts (the deepest one that exists); None: ask YAML."""
        if self._safe is None:
            text = self._text
            self._safe = not (
                _UNSAFE.search(text)
                or _SURROGATE_ESCAPE.search(text)
                or _COLON_FIRST.search(text)
                or any(
                    len(line) >= _LONG_LINE and _LONG_KEY.search(line) for line in text.split("\n")
                )
            )
        if not self._safe:
            return None
        try:
            offset = self._value_start(0)
            for token in tokens:
                child = self._child(offset, token)
                if child is None:
                    break
                offset = child
        except (ValueError, StopIteration, IndexError):
            return None  # not JSON after all: YAML says what it makes of it
        line = self._text.count("\n", 0, offset)
        return line, offset - (self._text.rfind("\n", 0, offset) + 1)

    def _value_start(self, offset: int) -> int:
        end = _SPACE.match(self._text, offset)
        assert end is not None  # matches the empty string
        return end.end()

    def _child(self, offset: int, token: str) -> int | None:
        opening = self._text[offset]
        if opening == "{":
            for key, start in self._members_of(offset):
                if key == token:
                    return int(start)
            return None
        if opening == "[" and token.isdigit():
            items = self._members_of(offset)
            index = int(token)
            return int(items[index]) if index < len(items) else None
        return None

    def _members_of(self, offset: int) -> Any:
        members = self._members.get(offset)
        if members is None:
            members = self._members[offset] = self._scan(offset)
        return members

    def _scan(self, offset: int) -> list[Any]:
        """The members of the mapping or list at `offset`, each value skipped by the scanner."""
        text = self._text
        mapping = text[offset] == "{"
        closing = "}" if mapping else "]"
        members: list[Any] = []
        position = self._value_start(offset + 1)
        if text[position] == closing:
            return members
        while True:
            if mapping:
                if text[position] != '"':
                    raise ValueError("a key is not a string")
                key, position = _SCAN_STRING(text, position + 1)
                position = self._value_start(position)
                if text[position] != ":":
                    raise ValueError("no colon after a key")
                position = self._value_start(position + 1)
                members.append((key, position))
            else:
                members.append(position)
            _, position = _SCAN_VALUE(text, position)
            position = self._value_start(position)
            if text[position] == closing:
                return members
            if text[position] != ",":
                raise ValueError("no comma between members")
            position = self._value_start(position + 1)

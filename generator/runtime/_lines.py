"""Incremental UTF-8 decoding and CR/LF/CRLF line splitting of streamed response bodies."""

from __future__ import annotations

import codecs
import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

__all__ = ["LineSplitter", "aiter_lines", "iter_lines"]

_NEWLINE = re.compile("\r\n|\r|\n")


class LineSplitter:
    """Feed text chunks, get complete lines (without their terminators).

    Only CR, LF and CRLF end a line (unlike str.splitlines, which also splits on U+2028 and
    friends that may appear inside JSON strings). A CRLF split across two chunks is one
    line end. Whatever follows the last line end is returned by `flush()`.

    >>> splitter = LineSplitter()
    >>> splitter.feed("a\\r"), splitter.feed("\\nb\\nc"), splitter.flush()
    (['a'], ['b'], ['c'])
    """

    __slots__ = ("_buffer", "_skip_lf")

    def __init__(self) -> None:
        self._buffer: list[str] = []
        self._skip_lf = False

    def feed(self, text: str) -> list[str]:
        if not text:
            return []
        if self._skip_lf and text.startswith("\n"):
            text = text[1:]
            if not text:
                self._skip_lf = False
                return []
        self._skip_lf = False
        if "\r" not in text and "\n" not in text:
            self._buffer.append(text)
            return []
        if self._buffer:
            self._buffer.append(text)
            text = "".join(self._buffer)
        lines = _NEWLINE.split(text)
        rest = lines.pop()
        self._buffer = [rest] if rest else []
        self._skip_lf = text.endswith("\r")
        return lines

    def flush(self) -> list[str]:
        rest = "".join(self._buffer)
        self._buffer = []
        self._skip_lf = False
        return [rest] if rest else []


def iter_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """Lines of a UTF-8 byte stream (a leading BOM is dropped), yielded as they complete."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    splitter = LineSplitter()
    for chunk in chunks:
        yield from splitter.feed(decoder.decode(chunk))
    yield from splitter.feed(decoder.decode(b"", final=True))
    yield from splitter.flush()


async def aiter_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    """The asynchronous twin of `iter_lines`."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    splitter = LineSplitter()
    async for chunk in chunks:
        for line in splitter.feed(decoder.decode(chunk)):
            yield line
    for line in splitter.feed(decoder.decode(b"", final=True)):
        yield line
    for line in splitter.flush():
        yield line

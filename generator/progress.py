"""Progress: one status line on a terminal for runs that take more than about two seconds.

The line is rewritten in place (`\\r`) a few times a second and erased before anything else is
printed, so the summary and messages read as if it had never been there. Nothing at all is
written when the stream is not a terminal (pipes, files, CI logs) or when $CI is set.
"""

from __future__ import annotations

import os
import threading
import time
from types import TracebackType
from typing import TextIO

__all__ = ["DELAY", "Progress"]

DELAY = 2.0
"""Seconds before the line first appears: quick runs never show it."""

_INTERVAL = 0.25
_ERASE = "\r\x1b[K"


def _is_terminal(stream: TextIO) -> bool:
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class Progress:
    """`with Progress(sys.stderr, "generating") as progress:` ... `progress.print(line)`."""

    def __init__(self, stream: TextIO, label: str, *, delay: float | None = None) -> None:
        self._stream = stream
        self._label = label
        self._delay = DELAY if delay is None else delay
        self._enabled = _is_terminal(stream)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._shown = False
        self._started = time.monotonic()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        if self._enabled:
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._erase()

    def print(self, line: str) -> None:
        """Print a line to the stream, erasing the status line first (it comes back later)."""
        with self._lock:
            self._erase()
            self._stream.write(line + "\n")
            self._stream.flush()

    def _erase(self) -> None:
        if self._shown:
            self._stream.write(_ERASE)
            self._stream.flush()
            self._shown = False

    def _run(self) -> None:
        if self._stop.wait(self._delay):
            return
        while True:
            elapsed = time.monotonic() - self._started
            with self._lock:
                if self._stop.is_set():
                    return
                self._stream.write(f"{_ERASE}{self._label}... {elapsed:.0f} s")
                self._stream.flush()
                self._shown = True
            if self._stop.wait(_INTERVAL):
                return

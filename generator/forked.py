"""Forked: a pure function run in a forked child process, its result brought back pickled.

Used for the slow steps of a large spec (openapi-spec-validator beside the rest; the models
step, whose imports and garbage then never weigh on the main process). The child's work is
invisible from outside: when it fails for any reason (an exception, killed, out of memory), the
function runs again in this process, which raises what it raises here.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Forked", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    # A fork copies only the calling thread: with others running, a lock one of them held would
    # stay locked in the child forever.
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """function() under way in a child process; result() waits for it, cancel() abandons it."""

    def __init__(self, function: Callable[[], T]) -> None:
        self._function = function
        read_end, write_end = os.pipe()
        # The heap stays shared between the two processes only while neither writes to it, and a
        # collection writes to every object it visits: both leave what exists now alone.
        self._thaw = gc.get_freeze_count() == 0
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its work is checked through result()
            status = 1
            try:
                os.close(read_end)
                data = pickle.dumps(function(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as stream:
                    stream.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self._pid = pid
        self._read_end: int | None = read_end
        self._done = False

    def result(self) -> T:
        assert self._read_end is not None, "result() is called once"
        stream = os.fdopen(self._read_end, "rb")
        self._read_end = None
        with stream:
            data = stream.read()
        _, status = os.waitpid(self._pid, 0)
        self._finish()
        if os.waitstatus_to_exitcode(status) == 0 and data:
            value: T = pickle.loads(data)
            return value
        return self._function()

    def cancel(self) -> None:
        if self._done:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None
        self._finish()

    def _finish(self) -> None:
        self._done = True
        if self._thaw:
            gc.unfreeze()
            self._thaw = False

"""Forked: a pure function run in a forked child process, its result brought back pickled.

Used for the slow steps (openapi-spec-validator beside the rest; the models step, whose imports
and garbage then never weigh on the main process). A `Worker` is a child forked before its
function is known, which imports what the function will need meanwhile: the CLI starts one for
the models step first thing, so that datamodel-code-generator's imports (a third of a second)
overlap loading the spec. The child's work is invisible from outside: when it fails for any
reason (an exception, killed, out of memory), the function runs again in this process, which
raises what it raises here.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Generic, TypeVar

__all__ = ["Forked", "Worker", "can_fork", "claim", "prepared"]

T = TypeVar("T")


def can_fork() -> bool:
    # A fork copies only the calling thread: with others running, a lock one of them held would
    # stay locked in the child forever.
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """function() under way in a child process; result() waits for it, cancel() abandons it."""

    def __init__(self, function: Callable[[], T]) -> None:
        read_end, write_end = os.pipe()
        # The heap stays shared between the two processes only while neither writes to it, and a
        # collection writes to every object it visits: both leave what exists now alone.
        thaw = gc.get_freeze_count() == 0
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its work is checked through result()
            status = 1
            try:
                os.close(read_end)
                _answer(function, write_end)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self._attach(function, pid, read_end, thaw)

    @classmethod
    def _of(cls, function: Callable[[], T], pid: int, read_end: int) -> Forked[T]:
        """The job of a child forked beforehand (a Worker) that answers on `read_end`."""
        job: Forked[T] = cls.__new__(cls)
        job._attach(function, pid, read_end, thaw=False)
        return job

    def _attach(self, function: Callable[[], T], pid: int, read_end: int, thaw: bool) -> None:
        self._function = function
        self._pid = pid
        self._read_end: int | None = read_end
        self._thaw = thaw
        self._done = False
        self._cleanup: list[str] = []

    def result(self) -> T:
        assert self._read_end is not None, "result() is called once"
        stream = os.fdopen(self._read_end, "rb")
        self._read_end = None
        with stream:
            data = stream.read()
        try:
            _, status = os.waitpid(self._pid, 0)
            answered = os.waitstatus_to_exitcode(status) == 0
        except ChildProcessError:  # already ended and waited for: it was never handed the function
            answered = False
        self._finish()
        if answered and data:
            value: T = pickle.loads(data)
            return value
        return self._function()

    def cancel(self) -> None:
        if self._done:
            return
        _kill(self._pid)
        if self._read_end is not None:
            os.close(self._read_end)
            self._read_end = None
        self._finish()

    def _finish(self) -> None:
        self._done = True
        for path in self._cleanup:
            _remove(path)
        if self._thaw:
            gc.unfreeze()
            self._thaw = False


class Worker:
    """A child forked now that imports `modules`, then runs the one function run() hands it.

    Nothing it imports is shared with this process, and this process's heap at the fork is
    left alone; close() ends a worker that was never given a function.
    """

    def __init__(self, modules: Sequence[str]) -> None:
        request_read, request_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its work is checked through run()
            status = 1
            try:
                os.close(request_write)
                os.close(result_read)
                _serve(modules, request_read, result_write)
                status = 0
            finally:
                os._exit(status)
        os.close(request_read)
        os.close(result_write)
        self._pid = pid
        self._request: int | None = request_write
        self._result_read: int | None = result_read

    def run(self, function: Callable[[], T]) -> Forked[T]:
        """function() in the worker (once); when it cannot be handed over, in this process."""
        assert self._request is not None and self._result_read is not None, "run() is called once"
        job = Forked._of(function, self._pid, self._result_read)
        self._result_read = None
        request, self._request = self._request, None
        try:
            # The worker may still be importing: the function goes through a file, so that
            # handing it over never waits for the worker to read.
            handle, path = tempfile.mkstemp(prefix="openapi-client-generator-")
            job._cleanup.append(path)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(function, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.write(request, os.fsencode(path) + b"\n")
        except Exception:
            _kill(self._pid)  # result() then runs the function here
        finally:
            os.close(request)
        return job

    def close(self) -> None:
        """End the worker unless run() handed it a function."""
        if self._request is None:
            return
        _kill(self._pid)
        for end in (self._request, self._result_read):
            if end is not None:
                os.close(end)
        self._request = self._result_read = None


def _answer(function: Callable[[], object], write_end: int) -> None:
    data = pickle.dumps(function(), protocol=pickle.HIGHEST_PROTOCOL)
    with os.fdopen(write_end, "wb") as stream:
        stream.write(data)


def _serve(modules: Sequence[str], request_read: int, result_write: int) -> None:
    for name in modules:
        # Only time is lost if one fails: the function imports what it needs, and fails there.
        with suppress(Exception):
            importlib.import_module(name)
    # One line, not "until end of file": a process forked from this one meanwhile holds a copy of
    # the other end, and may for long.
    with os.fdopen(request_read, "rb") as stream:
        path = stream.readline().rstrip(b"\n")
    if not path:
        os.close(result_write)  # the worker was closed unused
        return
    with open(path, "rb") as stream:
        function = pickle.load(stream)
    _remove(os.fsdecode(path))  # read: no copy of the spec's data is left behind
    _answer(function, result_write)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


_prepared: dict[str, Worker] = {}


@contextmanager
def prepared(name: str, modules: Sequence[str]) -> Iterator[None]:
    """Within the block, claim(name) gives a Worker importing `modules` since the block began.

    Nothing is started where forking is not safe; a worker left unclaimed is ended at the end.
    """
    if can_fork() and name not in _prepared:
        _prepared[name] = Worker(modules)
    try:
        yield
    finally:
        worker = _prepared.pop(name, None)
        if worker is not None:
            worker.close()


def claim(name: str) -> Worker | None:
    """The worker prepared under `name`, now the caller's to run() or close(); None if there is none."""
    return _prepared.pop(name, None)

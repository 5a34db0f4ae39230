"""Child processes of the test process, for tests of code that forks (generator.forked).

A fork copies only the calling thread, so the generator forks only from a single-threaded process
(forked.can_fork). A test that needs forking to happen asks for the `single_threaded` fixture:
it then runs in a process with no other thread, this one or, when this one has threads (servers
started by earlier tests), a fresh pytest process (the pytest_pyfunc_call hook below), so that no
thread can turn the test into a skip. tests/conftest.py registers this module as a plugin.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["ALONE_ENV", "children", "pytest_pyfunc_call", "run_alone", "single_threaded"]

# Set in the fresh process run_alone starts: a test there runs in it, never in yet another one.
ALONE_ENV = "OPENAPI_CLIENT_GENERATOR_TEST_ALONE"


def children() -> set[int]:
    """This process's child processes, running or unreaped (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        if int(stat.rpartition(")")[2].split()[1]) == os.getpid():
            found.add(int(entry))
    return found


def run_alone(item: pytest.Function) -> None:
    """Run the test `item` in a fresh pytest process; fails unless it passed there."""
    assert not os.environ.get(ALONE_ENV), "the fresh test process has threads of its own"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", item.nodeid],
        cwd=item.config.rootpath,
        env={**os.environ, ALONE_ENV: "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    # Passed, not skipped or deselected.
    passed = run.returncode == 0 and re.search(r"^1 passed\b", run.stdout, re.MULTILINE)
    assert passed, f"in a fresh process:\n{run.stdout[-5000:]}{run.stderr[-2000:]}"


@pytest.fixture
def single_threaded() -> Iterator[None]:
    """The test runs in a process with no other thread (see the module docstring), and every
    child process it started was waited for: none is left running or unreaped."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("children are listed from /proc")
    # Servers other tests started for the whole session are children too: only new ones count.
    before = children()
    yield
    assert children() - before == set()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A test asking for `single_threaded` runs in a fresh process when this one has threads."""
    if "single_threaded" in pyfuncitem.fixturenames and threading.active_count() != 1:
        run_alone(pyfuncitem)
        return True
    return None

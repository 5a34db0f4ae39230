"""Harness: run a command as a fresh process and measure it; medians, spreads and tables.

Peak memory is measured two ways: the largest single process's peak RSS (exact, from wait4; what
`/usr/bin/time -v` prints), and the peak of the summed PSS of the whole process tree (sampled every
50 ms from /proc; counts forked workers' shared pages once), for tools that run helper processes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Run", "Sample", "markdown_table", "median", "run_process", "spread"]

_SAMPLE_EVERY = 0.05


@dataclass(frozen=True)
class Run:
    """One process run: wall seconds, largest process peak RSS and peak tree PSS (MiB), output."""

    seconds: float
    max_rss_mib: float
    tree_pss_mib: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Sample:
    """Repeated measurements of one thing, in one unit."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return median(self.values)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> float:
    """(max - min) / median: how far apart the repeats were, as a fraction of the median."""
    if len(values) < 2:
        return 0.0
    middle = median(values)
    return (max(values) - min(values)) / middle if middle else 0.0


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may itself hold spaces or parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1:
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree_pss_kib(root: int) -> int:
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_kib(pid)
        stack.extend(tree.get(pid, ()))
    return total


def run_process(
    command: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    sample_memory: bool = True,
    timeout: float = 900.0,
) -> Run:
    """Run `command` to completion; its output is captured (to temporary files, not pipes)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(c) for c in command],
            env=dict(env) if env is not None else None,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(_SAMPLE_EVERY):
                peak[0] = max(peak[0], _tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - started
        done.set()
        if sample_memory:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=seconds,
            # Linux reports ru_maxrss in KiB: the child's own peak, or a descendant's if larger.
            max_rss_mib=usage.ru_maxrss / 1024,
            tree_pss_mib=peak[0] / 1024,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)

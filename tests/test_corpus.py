"""The development corpus: each real-world spec gives a client that imports and type-checks.

Each spec of tests/fixtures/corpus/ (public documents nobody here wrote, vendored unmodified) is
generated as a user would, with `python -m generator generate` in default mode; its package must
then import module by module and pass `mypy --strict`. Specs the generator cannot handle yet are
marked as expected failures with the reason, strictly: the day one starts passing, the mark must
go (issue 14 tracks them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.support import corpus

# Warnings of one kind are grouped: a spec with a thousand operations prints a screenful, not
# a line per operation.
MAX_OUTPUT_LINES = 400
# name -> why it does not generate a working client yet.
NOT_YET: dict[str, str] = {}

pytestmark = pytest.mark.slow


def _params() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[name]))
        if name in NOT_YET
        else name
        for name in corpus.SPECS
    ]


@pytest.fixture(scope="module", params=_params())
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> corpus.Generated:
    """The spec's client, generated once per session (tests/support/corpus.py)."""
    name: str = request.param
    return corpus.generate(name, tmp_path_factory.mktemp(name))


def _require(generated: corpus.Generated) -> None:
    assert generated.ok, generated.failure()


def test_the_spec_generates_in_default_mode(generated: corpus.Generated) -> None:
    _require(generated)
    assert (generated.out / generated.package / "__init__.py").is_file()


def test_its_warnings_are_grouped_and_counted(generated: corpus.Generated) -> None:
    _require(generated)
    lines = generated.output.splitlines()
    assert len(lines) <= MAX_OUTPUT_LINES
    warnings = sum(1 for line in lines if ": warning: " in line)
    summary = next(line for line in lines if line.startswith("validated "))
    if warnings:
        assert re.search(r"; \d+ warning\(s\)$", summary), summary


def test_every_module_of_the_client_imports(generated: corpus.Generated) -> None:
    _require(generated)
    code = (
        "import importlib, pkgutil, sys\n"
        f"package = importlib.import_module({generated.package!r})\n"
        "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=generated.out,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert int(run.stdout.strip()) > 10


def test_the_client_passes_mypy_strict(generated: corpus.Generated) -> None:
    _require(generated)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", generated.package],
        capture_output=True,
        text=True,
        cwd=generated.out,
        env={**os.environ, "MYPY_CACHE_DIR": os.devnull},
        timeout=1800,
    )
    assert run.returncode == 0, run.stdout[-3000:]

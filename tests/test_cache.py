"""Cache keys: the digest of the code that computes a cached value."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cache import code_digest


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """A package `digested_pkg` on sys.path, with a module and a subpackage."""
    root = tmp_path / "digested_pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "step.py").write_text("RULES = 1\n")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "deep.py").write_text("DEPTH = 1\n")
    sys.path.insert(0, str(tmp_path))
    code_digest.cache_clear()
    try:
        yield root
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.partition(".")[0] == "digested_pkg"]:
            del sys.modules[name]  # find_spec imports the parents of a submodule
        code_digest.cache_clear()


def test_changing_a_code_file_changes_the_digest(package: Path) -> None:
    before = code_digest("digested_pkg")
    (package / "step.py").write_text("RULES = 2\n")
    code_digest.cache_clear()

    assert code_digest("digested_pkg") != before


def test_changing_a_file_in_a_subpackage_changes_the_digest(package: Path) -> None:
    before = code_digest("digested_pkg")
    (package / "sub" / "deep.py").write_text("DEPTH = 2\n")
    code_digest.cache_clear()

    assert code_digest("digested_pkg") != before


def test_adding_a_code_file_changes_the_digest(package: Path) -> None:
    before = code_digest("digested_pkg")
    (package / "rule.py").write_text("")
    code_digest.cache_clear()

    assert code_digest("digested_pkg") != before


def test_the_digest_of_a_module_is_of_that_module_only(package: Path) -> None:
    before = code_digest("digested_pkg.step")
    (package / "sub" / "deep.py").write_text("DEPTH = 2\n")
    code_digest.cache_clear()

    assert code_digest("digested_pkg.step") == before


def test_the_digest_is_computed_once_per_process(package: Path) -> None:
    before = code_digest("digested_pkg")
    (package / "step.py").write_text("RULES = 3\n")

    assert code_digest("digested_pkg") == before


def test_the_digest_does_not_depend_on_where_the_package_is(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = code_digest("digested_pkg")
    (tmp_path / "elsewhere").mkdir()
    package.rename(tmp_path / "elsewhere" / "digested_pkg")
    monkeypatch.syspath_prepend(str(tmp_path / "elsewhere"))
    code_digest.cache_clear()

    assert code_digest("digested_pkg") == here


def test_an_unknown_module_is_an_error() -> None:
    with pytest.raises(ModuleNotFoundError):
        code_digest("generator.no_such_module_here")

"""The runtime works when copied verbatim into a generated package as `_runtime`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"
# websockets: only _realtime_wire.py, when a session connects (the `realtime` extra);
# typing_extensions (a dependency of pydantic): only for type checkers, in _deprecation.py.
ALLOWED = {"httpx", "pydantic", "pydantic_core", "typing_extensions", "websockets"}
ALLOWED |= set(sys.stdlib_module_names)
SOURCES = sorted(RUNTIME.glob("*.py"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_imports_are_relative_stdlib_httpx_or_pydantic(source: Path) -> None:
    tree = ast.parse(source.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots = {(node.module or "").split(".")[0]}
        else:
            continue
        assert roots <= ALLOWED, f"{source.name}:{node.lineno} imports {roots - ALLOWED}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_each_module_has_a_docstring_and_all(source: Path) -> None:
    tree = ast.parse(source.read_text())
    assert ast.get_docstring(tree), source.name
    names = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert "__all__" in names, source.name


def test_copied_runtime_imports_without_the_generator(tmp_path: Path) -> None:
    package = tmp_path / "some_client" / "_runtime"
    package.mkdir(parents=True)
    (tmp_path / "some_client" / "__init__.py").write_text("")
    for source in SOURCES:
        (package / source.name).write_text("# generated header\n" + source.read_text())
    script = (
        "import sys; import some_client._runtime as rt; "
        "assert not any(name == 'generator' or name.startswith('generator.') for name in sys.modules); "
        "assert rt.OMIT is rt.Omit(); print(len(rt.__all__))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 20

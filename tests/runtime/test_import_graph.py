"""The runtime's modules import each other without cycles, counting every import: at the top,
inside functions and under TYPE_CHECKING alike."""

from __future__ import annotations

import ast
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"


def _imports(source: Path) -> set[str]:
    """The sibling modules `source` imports anywhere in it (`from ._x import ...`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module)
            else:
                found |= {alias.name for alias in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    """Module -> the modules it imports; the package `__init__`, which only re-exports, is left
    out (no module imports it)."""
    return {
        source.stem: _imports(source)
        for source in RUNTIME.glob("*.py")
        if source.stem != "__init__"
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph.get(module, ())):
            found = visit(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return None


def test_no_runtime_module_imports_the_package_itself() -> None:
    assert all("__init__" not in imported for imported in _graph().values())


def test_the_runtime_modules_import_each_other_without_cycles() -> None:
    assert _cycle(_graph()) is None


def test_the_cycle_check_finds_a_cycle_through_a_type_checking_import() -> None:
    assert _cycle({"_a": {"_b"}, "_b": {"_c"}, "_c": {"_a"}}) == ["_a", "_b", "_c", "_a"]


def test_the_engine_does_not_import_the_http_module() -> None:
    assert "_http" not in _graph()["_engine"]

"""The generator's layout: a folder per stage, no import cycles, stages meet at their __init__."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parents[1] / "generator"
STAGES = ("spec", "api", "models", "emit", "layout", "output")
# "About 500 lines": a module past this is split by concern.
MAX_MODULE_LINES = 550


def _modules() -> dict[str, Path]:
    """Dotted module name (generator.spec.load) → file, runtime included."""
    found = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(module: str, path: Path) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(imported module, names) for every import anywhere in the file, TYPE_CHECKING included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, tuple(alias.name for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, names in _imports(name, path):
            # `from package import submodule` imports the submodule too.
            for candidate in (target, *(f"{target}.{n}" for n in names)):
                if candidate in modules and candidate != name:
                    graph[name].add(candidate)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_import_graph_of_the_generator_and_its_runtime_has_no_cycle() -> None:
    graph = {
        # Python imports a module's packages before it: naming one is no edge of its own.
        name: {t for t in targets if not name.startswith(t + ".")}
        for name, targets in _graph().items()
    }
    assert _cycle(graph) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_a_folder_whose_init_says_what_it_takes_and_gives(stage: str) -> None:
    init = GENERATOR / stage / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert "Takes" in doc and "Gives" in doc, (
        f"{stage}/__init__.py must say what it takes and gives"
    )
    exported = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
    )
    assert isinstance(exported, ast.List) and exported.elts


def test_stages_import_each_other_only_through_their_init() -> None:
    offenders = []
    for name, path in _modules().items():
        parts = name.split(".")
        own = parts[1] if len(parts) > 1 else None
        for target, _ in _imports(name, path):
            tparts = target.split(".")
            crossing = len(tparts) > 2 and tparts[0] == "generator" and tparts[1] != own
            if crossing and tparts[1] in STAGES:
                offenders.append(f"{name} imports {target}")
    assert offenders == []


def test_no_generator_module_is_much_over_500_lines() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_runtime_copied_into_every_client_names_no_particular_api() -> None:
    runtime = GENERATOR / "runtime"
    words = ("elevenlabs", "voice", "xi-api-key", "show_legacy", "agent_id")
    found = {
        (path.name, word)
        for path in runtime.glob("*.py")
        for word in words
        if word in path.read_text(encoding="utf-8").lower()
    }
    assert found == set()

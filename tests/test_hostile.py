"""Hostile and broken specs: clear errors, no code injection, nothing lost.

Every folder of tests/cases/hostile/ is one attack or breakage vector: a spec (openapi.yaml or
openapi.json, sometimes with the files it references or a pyproject.toml setting a limit) and an
expected.json saying what must happen. A rejected spec exits 2 with exactly the listed messages
and leaves the output folder as it was; an accepted one generates code whose import runs nothing,
printing exactly the warnings listed in its "stderr" (when given). A case with "strict_stderr" is
accepted by default (the defect worked around, with warnings) and refused with --strict.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from generator.cli import main
from generator.diagnostics import GenerationFailed
from generator.output.write import safe_relative, write_tree

CASES = Path(__file__).resolve().parent / "cases" / "hostile"
PACKAGE = "hostile_client"
# Every payload in the corpus creates a file of this name in the working directory when it runs.
SENTINEL = "PWNED"


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        cases.append((folder.name, expected))
    return cases


ALL_CASES = _load_cases()
REJECTED = [(name, e) for name, e in ALL_CASES if e["exit_code"] == 2]
ACCEPTED = [(name, e) for name, e in ALL_CASES if e["exit_code"] == 0]
STRICT = [(name, e) for name, e in ALL_CASES if "strict_stderr" in e]


# --- Running a case ------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Everything under folder: kind, content (or link target) and modification time."""
    result: dict[str, tuple[str, bytes | str, int]] = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[key] = ("link", os.readlink(path), stat.st_mtime_ns)
        elif path.is_dir():
            result[key] = ("dir", b"", stat.st_mtime_ns)
        else:
            result[key] = ("file", path.read_bytes(), stat.st_mtime_ns)
    return result


def _previous_output(out: Path) -> None:
    """An output folder from an earlier run: a hostile spec must not damage it."""
    (out / PACKAGE).mkdir(parents=True)
    (out / PACKAGE / "__init__.py").write_text('"""An earlier generation."""\n', encoding="utf-8")
    (out / "pyproject.toml").write_text("[project]\nname = 'earlier'\n", encoding="utf-8")


def _arguments(
    case: str, expected: dict[str, Any], work: Path, out: Path, *, strict: bool = False
) -> list[str]:
    config = (
        "pyproject.toml"
        if (work / "pyproject.toml").is_file()
        else str(work / "no-config" / "pyproject.toml")
    )
    return [
        "generate",
        "--spec",
        expected["spec"],
        "--out",
        str(out),
        "--package",
        PACKAGE,
        "--config",
        config,
        *(["--strict"] if strict else []),
    ]


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every case is generated from scratch, and nothing is written beside the spec."""
    monkeypatch.setenv("OPENAPI_CLIENT_GENERATOR_CACHE", "off")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Any attempt to open a connection is recorded and fails."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts


def _run_in_process(
    case: str,
    expected: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    strict: bool = False,
) -> tuple[int, str, Path, Path]:
    """Copy the case to tmp_path/case, run the CLI there; returns (exit code, stderr, work, out)."""
    work = tmp_path / "case"
    shutil.copytree(CASES / case, work, symlinks=True)
    out = tmp_path / "out"
    monkeypatch.chdir(work)
    code = main(_arguments(case, expected, work, out, strict=strict))
    return code, capsys.readouterr().err, work, out


# --- Rejected specs ------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "expected"), REJECTED, ids=[name for name, _ in REJECTED])
def test_rejected_spec_exits_2_with_exactly_the_expected_messages(
    case: str,
    expected: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    code, stderr, _, _ = _run_in_process(case, expected, tmp_path, monkeypatch, capsys)
    assert code == 2
    assert stderr.splitlines() == expected["stderr"]
    assert no_network == []


@pytest.mark.parametrize(("case", "expected"), REJECTED, ids=[name for name, _ in REJECTED])
def test_rejected_spec_leaves_the_output_folder_exactly_as_it_was(
    case: str,
    expected: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _previous_output(tmp_path / "out")
    before = _snapshot(tmp_path / "out")
    code, _, _, out = _run_in_process(case, expected, tmp_path, monkeypatch, capsys)
    assert code == 2
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "out"], (
        "no staging folder is left behind"
    )


@pytest.mark.parametrize(("case", "expected"), STRICT, ids=[name for name, _ in STRICT])
def test_strict_mode_refuses_the_worked_around_spec_with_exactly_the_expected_messages(
    case: str,
    expected: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    _previous_output(tmp_path / "out")
    before = _snapshot(tmp_path / "out")
    code, stderr, _, out = _run_in_process(
        case, expected, tmp_path, monkeypatch, capsys, strict=True
    )
    assert (code, stderr.splitlines()) == (2, expected["strict_stderr"])
    assert _snapshot(out) == before
    assert no_network == []


def test_rejected_specs_print_only_their_messages_in_a_fresh_process(tmp_path: Path) -> None:
    """No traceback, ever: each rejected case runs as `python -m generator`, all at once."""
    running = []
    for case, expected in REJECTED:
        work = tmp_path / case
        shutil.copytree(CASES / case, work, symlinks=True)
        arguments = _arguments(case, expected, work, tmp_path / f"{case}-out")
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", *arguments],
            cwd=work,
            env=_subprocess_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        running.append((case, expected, process))
    for case, expected, process in running:
        stdout, stderr = process.communicate(timeout=120)
        assert (process.returncode, stdout, stderr.splitlines()) == (2, "", expected["stderr"]), (
            case
        )


def test_alias_bomb_is_refused_within_a_second_in_256_mib_of_address_space(tmp_path: Path) -> None:
    case, expected = next((n, e) for n, e in REJECTED if n == "yaml-alias-bomb")
    limit = 256 * 1024 * 1024

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            *_arguments(case, expected, CASES / case, tmp_path / "out"),
        ],
        cwd=CASES / case,
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        preexec_fn=limit_memory,
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    assert (result.returncode, result.stderr.splitlines()) == (2, expected["stderr"])
    # The interpreter's own start-up is most of this.
    assert elapsed < 5


# --- Accepted (hostile but valid) specs ----------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    code: int
    stderr: str
    root: Path  # holds only `case` (a copy of the case folder) and `out`
    work: Path
    out: Path
    network_attempts: tuple[object, ...]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Generated]:
    """Each accepted case generated once per module (in-process, no cache, no network)."""
    done: dict[str, Generated] = {}

    def generate(case: str) -> Generated:
        if case not in done:
            expected = dict(ALL_CASES)[case]
            root = tmp_path_factory.mktemp(case)
            work, out = root / "case", root / "out"
            shutil.copytree(CASES / case, work, symlinks=True)
            attempts: list[object] = []

            def refuse(*args: object, **kwargs: object) -> None:
                attempts.append(args)
                raise OSError("network access is not allowed in this test")

            stderr = io.StringIO()
            previous = Path.cwd()
            os.chdir(work)
            try:
                with (
                    mock.patch.object(socket.socket, "connect", refuse),
                    mock.patch.object(socket, "create_connection", refuse),
                    mock.patch.dict(os.environ, {"OPENAPI_CLIENT_GENERATOR_CACHE": "off"}),
                    contextlib.redirect_stderr(stderr),
                    contextlib.redirect_stdout(io.StringIO()),
                ):
                    code = main(_arguments(case, expected, work, out))
            finally:
                os.chdir(previous)
            done[case] = Generated(code, stderr.getvalue(), root, work, out, tuple(attempts))
        return done[case]

    return generate


@pytest.mark.parametrize(
    ("case", "lines"), [(n, e["stderr"]) for n, e in ACCEPTED if "stderr" in e]
)
def test_accepted_spec_prints_exactly_the_expected_warnings(
    case: str,
    lines: list[str],
    generated: Callable[[str], Generated],
) -> None:
    result = generated(case)
    assert (result.code, result.stderr.splitlines()) == (0, lines)


@pytest.mark.parametrize("case", [name for name, _ in ACCEPTED])
def test_hostile_spec_generates_only_inside_the_output_folder(
    case: str,
    generated: Callable[[str], Generated],
) -> None:
    result = generated(case)
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in result.root.iterdir()) == ["case", "out"]
    assert _snapshot(result.work) == _snapshot(CASES / case), "the spec's folder is only read"
    assert result.network_attempts == ()
    for path in result.out.rglob("*"):
        assert path.resolve().is_relative_to(result.out.resolve())
        assert not path.is_symlink()


@pytest.mark.parametrize("case", [name for name, _ in ACCEPTED])
def test_hostile_spec_generates_files_holding_only_imports_definitions_assignments_and_docstrings(
    case: str,
    generated: Callable[[str], Generated],
) -> None:
    result = generated(case)
    assert result.code == 0, result.stderr
    sources = sorted(result.out.rglob("*.py"))
    assert sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "\r" not in text, (
            f"{path}: a bare carriage return ends a comment when Python reads it"
        )
        assert_only_declarations(ast.parse(text, filename=str(path)), str(path))


@pytest.mark.parametrize(
    ("case", "markers"), [(n, e["never_in_output"]) for n, e in ACCEPTED if "never_in_output" in e]
)
def test_no_x_extension_value_reaches_the_generated_files(
    case: str,
    markers: list[str],
    generated: Callable[[str], Generated],
) -> None:
    result = generated(case)
    assert result.code == 0, result.stderr
    for path in result.out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for marker in markers:
                assert marker not in text, f"{marker!r} from an x-* value reached {path}"


@pytest.mark.parametrize("case", [name for name, _ in ACCEPTED])
def test_importing_every_generated_module_and_creating_every_model_runs_no_spec_code(
    case: str,
    generated: Callable[[str], Generated],
) -> None:
    result = generated(case)
    assert result.code == 0, result.stderr
    run = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING, str(result.out), PACKAGE],
        cwd=result.work,
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("imported ")
    assert list(result.root.rglob(SENTINEL)) == [], "spec text ran as code"


# Imports every module of the package, then creates every model with its defaults (which is where
# a default_factory would run), and touches the client so that lazy imports happen too.
IMPORT_EVERYTHING = textwrap.dedent(
    """
    import importlib, inspect, sys
    from pathlib import Path

    import pydantic

    out, package = Path(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, str(out))
    names = sorted(
        ".".join(p.relative_to(out).with_suffix("").parts).removesuffix(".__init__")
        for p in (out / package).rglob("*.py")
    )
    modules = [importlib.import_module(name) for name in names]
    models = 0
    for module in modules:
        for value in list(vars(module).values()):
            if inspect.isclass(value) and issubclass(value, pydantic.BaseModel) and value.__module__ == module.__name__:
                models += 1
                try:
                    value()
                except pydantic.ValidationError:
                    pass
                value.model_json_schema()
    print(f"imported {len(modules)} modules, created {models} models")
    """
)


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONSTARTUP", None)
    env["OPENAPI_CLIENT_GENERATOR_CACHE"] = "off"
    return env


# --- What "only declarations" means ----------------------------------------------------------------


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _is_type_checking_block(statement: ast.stmt) -> bool:
    """`if TYPE_CHECKING:` holding imports only (it never runs)."""
    return (
        isinstance(statement, ast.If)
        and isinstance(statement.test, ast.Name)
        and statement.test.id == "TYPE_CHECKING"
        and not statement.orelse
        and all(isinstance(s, ast.Import | ast.ImportFrom) for s in statement.body)
    )


def _is_model_rebuild(statement: ast.stmt, classes: set[str]) -> bool:
    """`Model.model_rebuild()` for a class of the same module: resolves recursive references."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "model_rebuild"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in classes
        and not call.args
        and not call.keywords
    )


_DECLARATIONS = (
    ast.Import,
    ast.ImportFrom,
    ast.ClassDef,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Assign,
    ast.AnnAssign,
)


def assert_only_declarations(tree: ast.Module, where: str) -> None:
    """Module level: imports, class and function definitions, assignments and docstrings only.

    Two more statements are allowed because they run no spec text: an `if TYPE_CHECKING:` block of
    imports, and `Model.model_rebuild()` for a model defined in the same module. Class bodies hold
    docstrings, assignments, definitions and `pass`.
    """
    classes = {s.name for s in tree.body if isinstance(s, ast.ClassDef)}
    for statement in tree.body:
        allowed = (
            isinstance(statement, _DECLARATIONS)
            or _is_docstring(statement)
            or _is_type_checking_block(statement)
            or _is_model_rebuild(statement, classes)
        )
        assert allowed, (
            f"{where}:{statement.lineno}: module-level {type(statement).__name__} statement"
        )
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                allowed = isinstance(statement, (*_DECLARATIONS, ast.Pass)) or _is_docstring(
                    statement
                )
                assert allowed, (
                    f"{where}:{statement.lineno}: {type(statement).__name__} in class {node.name}"
                )


def test_the_declaration_check_catches_code_at_module_and_class_level() -> None:
    for source in (
        "import os\nos.system('x')\n",
        "class A:\n    print('x')\n",
        "if True:\n    import os\n",
        "for x in []:\n    pass\n",
        "Other.model_rebuild()\n",
    ):
        with pytest.raises(AssertionError):
            assert_only_declarations(ast.parse(source), "example.py")


# --- Writing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "../escape.py",
        "/etc/passwd",
        "pkg/../../escape.py",
        "pkg\\..\\..\\x.py",
        "",
        ".",
        "pkg/\x00.py",
        "C:/Windows/x.py",
        "pkg/a\nb.py",
    ],
)
def test_writer_refuses_a_path_that_would_leave_the_output_folder(path: str) -> None:
    with pytest.raises(GenerationFailed) as failure:
        safe_relative(path)
    assert (
        failure.value.diagnostics[0].message
        == f"refusing to write outside the output folder: {path!r}"
    )


def test_writer_refusing_one_path_writes_nothing_and_keeps_the_previous_output(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    _previous_output(out)
    before = _snapshot(out)
    with pytest.raises(GenerationFailed):
        write_tree(out, {"pkg/__init__.py": "", "pkg/../../escape.py": "print('x')\n"})
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --- $ref through a symbolic link ------------------------------------------------------------------


def _symlinked_spec(tmp_path: Path) -> Path:
    """A spec folder whose link.yaml is a symbolic link to a file outside it."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("type: string\n", encoding="utf-8")
    spec_folder = tmp_path / "spec"
    spec_folder.mkdir()
    (spec_folder / "link.yaml").symlink_to(outside)
    (spec_folder / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Linked:\n      $ref: link.yaml\n",
        encoding="utf-8",
    )
    return spec_folder


def _generate_symlinked(tmp_path: Path, *extra: str) -> int:
    return main(
        [
            "generate",
            "--spec",
            "openapi.yaml",
            "--out",
            str(tmp_path / "out"),
            "--package",
            PACKAGE,
            "--config",
            str(tmp_path / "none.toml"),
            *extra,
        ]
    )


def test_file_ref_through_a_symbolic_link_out_of_the_spec_folder_is_refused_when_strict(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(_symlinked_spec(tmp_path))
    code = _generate_symlinked(tmp_path, "--strict")
    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        "openapi.yaml:7:13 (at /components/schemas/Linked/$ref): error: $ref 'link.yaml' refused: it points"
        " outside the spec's folder (only files inside it are read)",
        "generation failed: 1 problem(s); nothing was written",
    ]


def test_file_ref_through_a_symbolic_link_out_of_the_spec_folder_is_an_untyped_value(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(_symlinked_spec(tmp_path))
    code = _generate_symlinked(tmp_path)
    assert code == 0
    assert capsys.readouterr().err.splitlines() == [
        "openapi.yaml:7:13 (at /components/schemas/Linked/$ref): warning: $ref 'link.yaml' refused:"
        " it points outside the spec's folder (only files inside it are read); read as an untyped"
        " value",
    ]
    models = "".join(p.read_text() for p in (tmp_path / "out").rglob("*.py"))
    assert "Linked" in models
    assert "Linked = str" not in models and "RootModel[str]" not in models

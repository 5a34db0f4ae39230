"""Conventions of the ecosystem: pre-commit and CI configuration, lint and type checks of the
generator's own code, a --help that documents every option, and the terminal progress line."""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator import progress
from generator.cli import _parser
from generator.progress import Progress
from tests.support.generation import REPO, minimal_spec, run_cli, write_spec

ERASE = "\r\x1b[K"


def _make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w-]*):", text, flags=re.MULTILINE))


def test_pre_commit_runs_the_drift_check_and_the_linters_through_make() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["generated-up-to-date"]["entry"] == "make check"
    assert hooks["lint"]["entry"] == "make lint"
    for hook in hooks.values():
        assert hook["entry"].split()[1] in _make_targets()
        assert hook["language"] == "system" and hook["pass_filenames"] is False
    files = re.compile(hooks["generated-up-to-date"]["files"])
    for path in ("spec/openapi.yaml", "generated/README.md", "templates/readme.md.jinja"):
        assert files.search(path), path
    assert not files.search("README.md")


def test_ci_runs_make_test_on_pushes_and_pull_requests() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "test.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    (job,) = workflow["jobs"].values()
    runs = [step.get("run") for step in job["steps"]]
    assert "make test" in runs and "make lint" in runs
    python = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"


def test_ruff_black_and_mypy_pass_on_the_generator_and_its_tests() -> None:
    # The same commands as `make lint`: the runtime, copied into clients, is in black's style.
    for command in (
        ["ruff", "check", "generator", "tests"],
        ["ruff", "format", "--check", "--exclude", "generator/runtime", "generator", "tests"],
        [
            "black",
            "--check",
            "--quiet",
            "--line-length",
            "88",
            "--target-version",
            "py311",
            "generator/runtime",
        ],
        ["mypy"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", *command],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, " ".join(command) + "\n" + result.stdout + result.stderr


def test_help_documents_every_option_of_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    commands = next(
        a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    assert set(commands) == {"generate", "check"}
    for name, sub in commands.items():
        assert re.search(rf"^    {name}  ", text, flags=re.MULTILINE), name
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, action.option_strings
            for flag in action.option_strings:
                assert f"\n  {flag}" in text, flag
    for code in ("0", "1", "2", "3", "70"):
        assert re.search(rf"^  {code} +\S", text, flags=re.MULTILINE), code


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> _Terminal:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    return _Terminal()


def test_the_progress_line_appears_after_the_delay_and_is_erased_around_messages(
    terminal: _Terminal,
) -> None:
    with Progress(terminal, "generating x", delay=0.05) as line:
        time.sleep(0.35)
        line.print("a note")
        time.sleep(0.35)
    text = terminal.getvalue()
    assert text.startswith(f"{ERASE}generating x... 0 s")
    assert f"{ERASE}a note\n" in text
    assert text.endswith(ERASE)
    assert "\n" not in text.replace("a note\n", "")


def test_quick_runs_show_no_progress_line(terminal: _Terminal) -> None:
    with Progress(terminal, "generating x") as line:
        line.print("a note")
    assert terminal.getvalue() == "a note\n"


@pytest.mark.parametrize("ci", [False, True])
def test_no_progress_line_outside_a_terminal_or_in_ci(
    ci: bool, terminal: _Terminal, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = terminal if ci else io.StringIO()
    if ci:
        monkeypatch.setenv("CI", "true")
    with Progress(stream, "generating x", delay=0.0):
        time.sleep(0.1)
    assert stream.getvalue() == ""


def test_the_cli_erases_its_progress_line_before_the_summary(
    terminal: _Terminal,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    spec = write_spec(tmp_path, minimal_spec())
    monkeypatch.setattr(sys, "stderr", terminal)
    code = run_cli(
        "generate",
        "--spec",
        spec,
        "--out",
        tmp_path / "out",
        "--package",
        "tiny_client",
        "--config",
        "/nonexistent/pyproject.toml",
    )
    assert code == 0
    shown = terminal.getvalue()
    assert shown.startswith(f"{ERASE}generating tiny_client... 0 s")
    assert shown.endswith(ERASE)
    assert capsys.readouterr().out.startswith("validated ")


def test_the_readme_documents_every_tool_generator_key() -> None:
    from generator.config import _KEYS

    readme = (REPO / "README.md").read_text()
    table = readme.split("## Configuration: `[tool.generator]` in pyproject.toml", 1)[1]
    table = table.split("\n\n", 2)[1]
    documented = {
        key for row in table.splitlines()[2:] for key in re.findall(r"`(\w+)`", row.split("|")[1])
    }
    assert documented == _KEYS

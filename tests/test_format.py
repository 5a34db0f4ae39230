"""The format step: black over the generated Python files, except those already in its style."""

from __future__ import annotations

import pytest

from generator.cache import Cache
from generator.layout import fallback as format_step

UNFORMATTED = "x = {'a':1}\n"
FORMATTED = 'x = {"a": 1}\n'


def test_black_formats_python_files_not_declared_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(format_step.VERIFY_ENV, raising=False)
    result = format_step.format_files({"pkg/a.py": UNFORMATTED}, Cache(None))
    assert result == {"pkg/a.py": FORMATTED}


def test_files_declared_ready_skip_black(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(format_step.VERIFY_ENV, raising=False)
    result = format_step.format_files({"pkg/a.py": UNFORMATTED}, Cache(None), ready={"pkg/a.py"})
    assert result == {"pkg/a.py": UNFORMATTED}


def test_verification_accepts_ready_files_black_leaves_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(format_step.VERIFY_ENV, "1")
    files = {"pkg/a.py": FORMATTED, "pkg/b.py": UNFORMATTED}
    result = format_step.format_files(files, Cache(None), ready={"pkg/a.py"})
    assert result == {"pkg/a.py": FORMATTED, "pkg/b.py": FORMATTED}


def test_verification_refuses_a_ready_file_black_would_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(format_step.VERIFY_ENV, "1")
    files = {"pkg/a.py": FORMATTED, "pkg/b.py": UNFORMATTED}
    with pytest.raises(format_step.FormatMismatch) as raised:
        format_step.format_files(files, Cache(None), ready={"pkg/a.py", "pkg/b.py"})
    assert raised.value.paths == ["pkg/b.py"]
    assert "pkg/b.py" in str(raised.value)

"""The full public ElevenLabs API (387 operations, 1,472 schemas) generates a client that imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import generate
from tests.support.generation import config_for

FULL_SPEC = Path(__file__).resolve().parents[2] / "shared" / "specs" / "elevenlabs-openapi.json"


@pytest.mark.slow
@pytest.mark.skipif(not FULL_SPEC.is_file(), reason=f"{FULL_SPEC} is not on this machine")
def test_every_operation_module_of_the_full_spec_imports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = generate(config_for(FULL_SPEC, out, package="elevenlabs_full", root=tmp_path))
    assert "387 operation(s), 1472 schema(s)" in result.summary
    code = (
        "import importlib, pkgutil\n"
        "import elevenlabs_full._operations as ops\n"
        "names = [m.name for m in pkgutil.iter_modules(ops.__path__)]\n"
        "for name in names:\n"
        "    importlib.import_module('elevenlabs_full._operations.' + name)\n"
        "print(len(names))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(out)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "387"
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "elevenlabs_full"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert typed.returncode == 0, typed.stdout[-3000:]


@pytest.mark.slow
@pytest.mark.skipif(not FULL_SPEC.is_file(), reason=f"{FULL_SPEC} is not on this machine")
def test_touching_one_operation_of_the_full_client_imports_only_its_models(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(config_for(FULL_SPEC, out, package="elevenlabs_full", root=tmp_path))
    code = (
        "import sys\n"
        "from elevenlabs_full import Tiny\n"
        "Tiny(api_key='x', base_url='http://127.0.0.1:9').conversational_ai.conversations.get_signed_url\n"
        "print(len([m for m in sys.modules if m.startswith('elevenlabs_full.models.')]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(out)},
    )
    assert run.stdout.strip() == "0"

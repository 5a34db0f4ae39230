"""`pip install ./generated` into an empty virtualenv gives a working client; the tools the tests
run over generated/ (pip, mypy) leave nothing in it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.support.generation import REPO

GENERATED = REPO / "generated"
# What pip's in-tree build (setuptools) and mypy write into the folder they run over.
TOOL_LEFTOVERS = ("build", "*.egg-info", ".mypy_cache")


def _tree(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def _leftovers() -> list[str]:
    return sorted(path.name for pattern in TOOL_LEFTOVERS for path in GENERATED.glob(pattern))


@pytest.mark.slow
def test_generated_package_installs_and_imports_in_an_empty_virtualenv(tmp_path: Path) -> None:
    before = _tree(GENERATED)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # pip builds in the folder it installs from: a copy of generated/, not generated/ itself.
    package = tmp_path / "generated"
    shutil.copytree(GENERATED, package, ignore=shutil.ignore_patterns(*TOOL_LEFTOVERS))
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(package)],
        check=True,
        capture_output=True,
    )
    freeze = subprocess.run(
        [python, "-m", "pip", "freeze"], check=True, capture_output=True, text=True
    ).stdout
    installed = {
        re.split(r"[=@ ]", line)[0].lower().replace("_", "-") for line in freeze.splitlines()
    }
    assert {"httpx", "pydantic", "elevenlabs-client"} <= installed
    code = (
        "import httpx\n"
        "from elevenlabs_client import ElevenLabs\n"
        "def handler(request):\n"
        "    return httpx.Response(200, json={'signed_url': 'wss://x'})\n"
        "client = ElevenLabs(api_key='k', httpx_client=httpx.Client(transport=httpx.MockTransport(handler)))\n"
        "print(client.conversational_ai.conversations.get_signed_url(agent_id='a').signed_url)\n"
    )
    result = subprocess.run(
        [python, "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.stdout.strip() == "wss://x"
    assert _leftovers() == []
    assert _tree(GENERATED) == before


def test_type_checking_generated_as_the_tests_do_leaves_no_cache_in_it() -> None:
    """As test_generated_client runs mypy (its cache goes where tests/conftest.py says)."""
    before = _tree(GENERATED)
    subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "elevenlabs_client"],
        cwd=GENERATED,
        capture_output=True,
        check=False,
    )
    assert _leftovers() == []
    assert _tree(GENERATED) == before

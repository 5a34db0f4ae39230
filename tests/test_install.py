"""`pip install ./generated` into an empty virtualenv gives a working client."""

from __future__ import annotations

import re
import subprocess
import venv
from pathlib import Path

import pytest

from tests.support.generation import REPO


@pytest.mark.slow
def test_generated_package_installs_and_imports_in_an_empty_virtualenv(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(REPO / "generated")],
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

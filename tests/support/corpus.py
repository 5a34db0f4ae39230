"""The development corpus (tests/fixtures/corpus/): its specs and their generated clients.

`generate(name, folder)` runs `python -m generator generate` on one spec, in default mode, with
no [tool.generator] table (`--config` names a file that does not exist, so the project's own
ElevenLabs settings, its auth header and environments, do not leak into the corpus clients:
the client classes are the defaults `Client` and `AsyncClient`). Generations are kept per
session: every test module that asks for one spec gets the same folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "corpus"

# name -> the spec's entry file (Lob is many files; its $refs are relative to the entry).
SPECS = {
    "plaid": "plaid-openapi-2020-09-14.yml",
    "linode": "linode-openapi.yaml",
    "pagerduty": "pagerduty-rest-openapiv3.json",
    "asana": "asana-openapi.yaml",
    "spotify": "spotify-openapi-fixed.yml",
    "mistral": "mistral-openapi.yaml",
    "lob": "lob-openapi/lob-api-public.yml",
}
GENERATE_TIMEOUT = 900.0

_generated: dict[str, Generated] = {}


@dataclass(frozen=True)
class Generated:
    name: str
    spec: Path
    out: Path
    package: str
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure(self) -> str:
        return f"{self.name}: generation exited {self.returncode}\n{self.output[-3000:]}"


def spec_path(name: str) -> Path:
    return CORPUS / SPECS[name]


def generate(name: str, folder: Path) -> Generated:
    """The client of corpus spec `name`, generated into `folder`/out once per session."""
    if name in _generated and _generated[name].out.exists():
        return _generated[name]
    out = folder / "out"
    package = f"{name}_client"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--config",
            str(folder / "no-pyproject.toml"),
            "--spec",
            str(spec_path(name)),
            "--out",
            str(out),
            "--package",
            package,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        timeout=GENERATE_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    generated = Generated(
        name, spec_path(name), out, package, run.returncode, run.stdout + run.stderr
    )
    _generated[name] = generated
    return generated

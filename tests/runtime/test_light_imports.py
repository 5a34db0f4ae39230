"""Creating a client with server variables stays as cheap as before: BaseUrl and the type
vocabulary a generated client imports bring in no httpx, pydantic or dataclasses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[2] / "generator" / "runtime"
WATCHED = ("httpx", "pydantic", "dataclasses", "some_client._runtime._params")


def _loaded_after(script: str, tmp_path: Path) -> list[str]:
    """The modules of WATCHED that `script` leaves imported, run in a fresh interpreter
    against a copy of the runtime (as a generated package holds it)."""
    package = tmp_path / "some_client" / "_runtime"
    package.mkdir(parents=True)
    (tmp_path / "some_client" / "__init__.py").write_text("")
    for source in RUNTIME.glob("*.py"):
        (package / source.name).write_text(source.read_text())
    check = f"{script}\nimport sys; print(' '.join(m for m in {WATCHED!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_client_made_with_a_base_url_and_server_variables_imports_nothing_heavy(
    tmp_path: Path,
) -> None:
    script = (
        "from some_client._runtime import BaseUrl, RequestOptions, SyncClientBase\n"
        "url = BaseUrl('https://{region}.example.test', variables={'region': 'eu'},"
        " default_server='https://{region}.example.test')\n"
        "client = SyncClientBase(base_url=url)\n"
        "assert client._http.base_url == 'https://eu.example.test'"
    )
    assert _loaded_after(script, tmp_path) == []

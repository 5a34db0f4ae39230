"""Real-world specs as published: the full ElevenLabs API without any overlay, the OpenAPI petstore
(allOf, default error responses) and a 3.1 document with only webhooks (an empty client)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from tests.support.generation import REPO, config_for
from tests.support.loopback import LoopbackServer

SPECS = REPO / "examples" / "specs"
FULL_SPEC = SPECS / "elevenlabs-openapi.json"


def _generate(spec: Path, out: Path, package: str, **changes: Any) -> tuple[str, list[str]]:
    log: list[str] = []
    config = replace(config_for(spec, out, package=package, root=SPECS), **changes)
    result = generate(config, log.append)
    return result.summary, log


def _mypy(out: Path, package: str) -> str:
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if typed.returncode == 0 else typed.stdout[-3000:]


@pytest.mark.slow
def test_the_published_full_spec_generates_and_every_operation_module_imports(
    tmp_path: Path,
) -> None:
    """Without the overlay: no servers (base_url is required) and the key per operation."""
    out = tmp_path / "out"
    summary, _ = _generate(
        FULL_SPEC, out, "elevenlabs_full", cache_dir=REPO / ".cache" / "generator"
    )
    assert "387 operation(s), 1472 schema(s)" in summary
    assert not (out / "elevenlabs_full" / "environment.py").exists()
    code = (
        "import importlib, inspect, pkgutil\n"
        "import elevenlabs_full._operations as ops\n"
        "from elevenlabs_full import Tiny\n"
        "names = [m.name for m in pkgutil.iter_modules(ops.__path__)]\n"
        "for name in names:\n"
        "    importlib.import_module('elevenlabs_full._operations.' + name)\n"
        "print(len(names), inspect.signature(Tiny).parameters['base_url'].default)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(out)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "387 <class 'inspect._empty'>"


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("petstore") / "out"
    _generate(SPECS / "oai-petstore-expanded-3.0.yaml", out, "petstore", auth=None)
    sys.path.insert(0, str(out))
    return out


@pytest.fixture
def pets(petstore: Path, loopback: LoopbackServer) -> Iterator[Any]:
    package = importlib.import_module("petstore")
    with package.Tiny(base_url=loopback.url) as client:
        yield client


def test_petstore_passes_mypy_strict(petstore: Path) -> None:
    assert _mypy(petstore, "petstore") == ""


def test_petstore_all_of_model_and_array_query(pets: Any, loopback: LoopbackServer) -> None:
    models = importlib.import_module("petstore.models")
    loopback.respond(json=[{"name": "Rex", "tag": "dog", "id": 1}])
    (pet,) = pets.find_pets(tags=["dog", "cat"], limit=5)
    assert isinstance(pet, models.Pet) and (pet.id, pet.name, pet.tag) == (1, "Rex", "dog")
    assert loopback.requests[0].query == [("tags", "dog"), ("tags", "cat"), ("limit", "5")]
    loopback.respond(json={"name": "Tom", "id": 2})
    assert pets.add_pet(name="Tom").id == 2  # the NewPet body, flattened into arguments
    assert loopback.requests[1].json() == {"name": "Tom"}


def test_petstore_default_error_response_is_raised_with_its_body(
    pets: Any, loopback: LoopbackServer
) -> None:
    errors = importlib.import_module("petstore.errors")
    models = importlib.import_module("petstore.models")
    loopback.respond(404, json={"code": 404, "message": "no pet"})
    with pytest.raises(errors.ApiError) as failure:
        pets.find_pet_by_id(9, request_options={"max_retries": 0})
    assert failure.value.status_code == 404
    assert failure.value.body == models.Error(code=404, message="no pet")
    assert loopback.requests[0].path == "/pets/9"


def test_a_spec_with_only_webhooks_gives_a_client_with_the_webhooks_helper(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary, log = _generate(
        SPECS / "oai-webhook-example-3.1.yaml", out, "webhooks_only", auth=None
    )
    assert "0 operation(s), 1 schema(s)" in summary
    assert log == []
    probe = (
        "from webhooks_only import Tiny\n"
        "from webhooks_only.models import Pet\n"
        "client = Tiny(base_url='http://x')\n"
        "print(client, Pet(id=1, name='n').name, callable(client.webhooks.construct_event))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "Tiny(base_url='http://x') n True"
    assert _mypy(out, "webhooks_only") == ""

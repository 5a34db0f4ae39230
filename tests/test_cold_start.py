"""Cold start: what a new process imports, and the models worker forked before the spec is read.

The worker changes nothing but time: the same files, log lines, diagnostics and exceptions as
running every step in this process.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from generator import forked
from generator.config import Config
from generator.diagnostics import GenerationFailed
from generator.models import modules as models
from generator.models import step as models_step
from generator.output.write import read_tree
from generator.pipeline import generate
from generator.spec import load_spec, validate
from tests.support.generation import REPO, config_for, minimal_spec, write_spec
from tests.support.processes import children

HEAVY = (
    "black",
    "datamodel_code_generator",
    "httpx",
    "jinja2",
    "openapi_spec_validator",
    "pydantic",
)


def _imported_by(code: str) -> list[str]:
    """The HEAVY packages a new process has imported after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    names: list[str] = json.loads(result.stdout)
    return names


def test_importing_the_package_and_its_cli_imports_no_heavy_package() -> None:
    assert _imported_by("import generator, generator.cli") == []


def test_the_pipeline_imports_the_jsonpath_package_only_for_overlays() -> None:
    probe = "import generator.pipeline, sys\nprint('jsonpath_rfc9535' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "False"


def test_the_readme_step_reads_the_runtime_defaults_without_importing_the_runtime() -> None:
    code = "import generator.emit.readme as r\nr.runtime_defaults()\nassert 'generator.runtime' not in sys.modules"
    assert _imported_by("import sys\n" + code) == []


def test_the_runtime_defaults_the_readme_reads_are_the_runtimes() -> None:
    from generator.emit.readme import runtime_defaults
    from generator.runtime import _constants

    read = runtime_defaults()
    assert read is not _constants
    assert {n: getattr(read, n) for n in _constants.__all__} == {
        n: getattr(_constants, n) for n in _constants.__all__
    }


def _twice(value: int) -> dict[str, int]:
    return {"twice": 2 * value}


def _fails(message: str) -> int:
    raise ValueError(message)


def test_a_worker_runs_the_function_it_is_handed(single_threaded: None) -> None:
    worker = forked.Worker(["json"])
    assert worker.run(partial(_twice, 21)).result() == {"twice": 42}


def test_the_function_handed_to_a_worker_runs_in_the_worker_not_here(
    single_threaded: None,
) -> None:
    assert forked.Worker(["json"]).run(os.getpid).result() != os.getpid()


def test_a_worker_leaves_no_file_behind(
    single_threaded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the function is handed over
    assert forked.Worker(["json"]).run(partial(_twice, 3)).result() == {"twice": 6}
    assert list(tmp_path.iterdir()) == []


def test_a_worker_whose_function_fails_raises_here_what_the_function_raises(
    single_threaded: None,
) -> None:
    with pytest.raises(ValueError, match="bad input"):
        forked.Worker(["json"]).run(partial(_fails, "bad input")).result()


def test_a_function_that_cannot_be_handed_over_runs_here(single_threaded: None) -> None:
    assert forked.Worker([]).run(lambda: 7).result() == 7  # a lambda does not pickle


def test_a_worker_that_cannot_import_a_module_still_runs_its_function(
    single_threaded: None,
) -> None:
    worker = forked.Worker(["generator.no_such_module"])
    assert worker.run(partial(_twice, 1)).result() == {"twice": 2}


def test_a_worker_closed_unused_leaves_no_process(single_threaded: None) -> None:
    before = children()
    worker = forked.Worker(["json"])
    assert len(children() - before) == 1
    worker.close()
    assert children() == before


def test_a_worker_is_handed_its_function_while_a_child_forked_later_still_runs(
    single_threaded: None,
) -> None:
    worker = forked.Worker([])
    later = forked.Forked(partial(time.sleep, 30))  # holds a copy of the worker's request pipe
    started = time.monotonic()
    try:
        assert worker.run(partial(_twice, 2)).result() == {"twice": 4}
    finally:
        later.cancel()
    assert time.monotonic() - started < 20


def test_prepared_gives_one_worker_and_ends_it_unclaimed(single_threaded: None) -> None:
    with forked.prepared("models", ["json"]):
        worker = forked.claim("models")
        assert worker is not None
        assert forked.claim("models") is None
        worker.close()
    with forked.prepared("models", ["json"]):
        pass
    assert forked.claim("models") is None


def test_nothing_is_prepared_where_forking_is_unsafe() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with forked.prepared("models", ["json"]):
            assert forked.claim("models") is None
    finally:
        release.set()
        other.join()


Outcome = tuple[dict[str, str] | None, list[str], list[str] | str]


def _generate(config: Config, *, worker: bool) -> Outcome:
    """(files written, log lines, diagnostics or the exception) of one generation."""
    lines: list[str] = []
    failure: list[str] | str = []
    try:
        if worker:
            with forked.prepared("models", models_step.IMPORTS):
                generate(config, lines.append)
        else:
            generate(config, lines.append)
    except GenerationFailed as exc:
        failure = [d.render() for d in exc.diagnostics]
    except Exception as exc:
        failure = f"{type(exc).__name__}: {exc}"
    written = read_tree(config.out) if config.out.exists() else None
    return written, lines, failure


def _both(
    tmp_path: Path, spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch, *, strict: bool = False
) -> list[Outcome]:
    spec_path = write_spec(tmp_path, spec)
    # The serial path: the validator first, then every step here.
    monkeypatch.setattr(validate, "BACKGROUND_MIN_SIZE", 10**9)
    return [
        _generate(
            config_for(spec_path, tmp_path / name, cache_dir=None, strict=strict),
            worker=name == "apart",
        )
        for name in ("apart", "serial")
    ]


def _with_warnings() -> dict[str, Any]:
    spec = minimal_spec(
        webhooks={"thingMade": {"post": {"responses": {"200": {"description": "OK"}}}}}
    )
    responses = spec["paths"]["/things/{thing_id}"]["get"]["responses"]
    responses["202"] = {"description": "Accepted", "content": {"application/json": {}}}
    return spec


def test_a_generation_with_the_models_worker_gives_the_same_files_and_lines(
    tmp_path: Path, single_threaded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    apart, serial = _both(tmp_path, _with_warnings(), monkeypatch)
    assert apart[1] == serial[1]
    assert any("warning: response 202" in line for line in serial[1])
    assert apart == serial
    assert serial[0] is not None and serial[2] == []


def _invalid(kind: str) -> dict[str, Any]:
    spec = _with_warnings()
    thing = spec["components"]["schemas"]["Thing"]
    if kind == "bad type":  # only openapi-spec-validator sees this one
        thing["properties"]["size"]["type"] = 5
    elif kind == "dangling ref":  # our own checks, before the validator
        thing["properties"]["other"] = {"$ref": "#/components/schemas/Missing"}
    elif kind == "parameter twice":  # our own check and the validator's, merged
        parameters = spec["paths"]["/things/{thing_id}"]["get"]["parameters"]
        parameters.append(copy.deepcopy(parameters[1]))
    return spec


@pytest.mark.parametrize("kind", ["bad type", "dangling ref", "parameter twice"])
def test_validation_problems_found_while_the_worker_runs_are_the_serial_ones(
    tmp_path: Path, kind: str, single_threaded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Strict: by default these defects are worked around, each a warning (see test_policy).
    apart, serial = _both(tmp_path, _invalid(kind), monkeypatch, strict=True)
    assert serial[2] and serial[0] is None and serial[1] == []
    assert apart == serial


def test_a_models_step_that_fails_in_the_worker_fails_as_it_does_here(
    tmp_path: Path, single_threaded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(model_document: dict[str, Any]) -> str:
        raise RuntimeError(f"no models for {sorted(model_document['components']['schemas'])}")

    monkeypatch.setattr(models, "run_dcg", broken)  # before the worker is forked: it has it too
    apart, serial = _both(tmp_path, _with_warnings(), monkeypatch)
    assert serial[2] == "RuntimeError: no models for ['Thing']"
    assert apart == serial


def test_a_worker_not_needed_because_the_models_are_cached_is_ended(
    tmp_path: Path, single_threaded: None
) -> None:
    spec_path = write_spec(tmp_path, minimal_spec())
    cache = tmp_path / "cache"
    first = _generate(config_for(spec_path, tmp_path / "a", cache_dir=cache), worker=True)
    before = children()
    again = _generate(config_for(spec_path, tmp_path / "b", cache_dir=cache), worker=True)
    assert children() == before
    assert first == again


def test_a_prepared_validation_runs_the_validator_when_asked(tmp_path: Path) -> None:
    source = load_spec(write_spec(tmp_path, _invalid("bad type")), display="x", max_bytes=10**7)
    expected = validate.validate(source, source.data)
    prepared = validate.prepare(source, source.data)
    assert not prepared.running and not prepared.settled
    assert prepared.problems() == expected != []
    assert prepared.settled


def test_a_prepared_validation_whose_own_checks_fail_is_settled_at_once(tmp_path: Path) -> None:
    spec = _invalid("dangling ref")
    source = load_spec(write_spec(tmp_path, spec), display="x", max_bytes=10**7)
    prepared = validate.prepare(source, source.data)
    assert prepared.settled
    assert prepared.problems() == validate.validate(source, source.data) != []


def _python_m_generator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *(str(a) for a in args)]
    # Buffered output, as on most machines: what is printed must still arrive.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env, check=False)


def test_python_m_generator_ends_with_its_report_written_and_its_exit_code(
    tmp_path: Path,
) -> None:
    spec = write_spec(tmp_path, _with_warnings())
    out = tmp_path / "out"
    done = _python_m_generator("generate", "--spec", spec, "--package", "tiny", "--out", out)
    assert done.returncode == 0
    assert done.stdout.startswith("validated openapi.yaml (OpenAPI 3.1.0: 1 operation(s)")
    assert "warning: response 202 has content but no schema" in done.stderr
    assert (out / "tiny" / "__init__.py").is_file()
    drift = _python_m_generator("check", "--spec", spec, "--package", "other", "--out", out)
    assert drift.returncode == 1
    assert "DRIFT" in drift.stdout

"""MANIFEST.json: check and generate skip regenerating only while it vouches for the output."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.config import AuthConfig, Config
from generator.emit.render import TEMPLATES
from generator.output import manifest
from generator.pipeline import check, generate
from tests.support.generation import REPO, config_for, minimal_spec, run_cli, write_spec

THING = {
    "Thing": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "size": {"type": "integer"}},
        "required": ["id"],
    }
}
OPERATION = "tiny_client/_operations/get_thing.py"


@dataclass(frozen=True)
class Project:
    """A spec whose Thing schema comes from schemas.yaml through a $ref, and one overlay."""

    folder: Path
    spec: Path
    schemas: Path
    overlay: Path
    config: Config

    @property
    def out(self) -> Path:
        return self.config.out

    def cli(self, command: str, *extra: str) -> list[str]:
        return [
            command,
            *("--spec", str(self.spec), "--out", str(self.out), "--overlay", str(self.overlay)),
            *("--package", "tiny_client", "--config", "/nonexistent/pyproject.toml", *extra),
        ]


def _spec() -> dict[str, Any]:
    spec = minimal_spec()
    response = spec["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]
    response["content"]["application/json"]["schema"] = {"$ref": "schemas.yaml#/Thing"}
    del spec["components"]
    return spec


def _write_overlay(path: Path, url: str) -> Path:
    document = {
        "overlay": "1.0.0",
        "info": {"title": "servers", "version": "1"},
        "actions": [
            {"target": "$", "update": {"servers": [{"url": url, "x-fern-server-name": "Alpha"}]}}
        ],
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    schemas = tmp_path / "schemas.yaml"
    schemas.write_text(yaml.safe_dump(THING, sort_keys=False), encoding="utf-8")
    spec = write_spec(tmp_path, _spec())
    overlay = _write_overlay(tmp_path / "servers.overlay.yaml", "https://a.example")
    config = config_for(spec, tmp_path / "out", overlays=(overlay,))
    return Project(tmp_path, spec, schemas, overlay, config)


@pytest.fixture
def generated(project: Project) -> Project:
    generate(project.config)
    return project


def _falls_back(result_summary: str, reason: str) -> bool:
    return f"regenerated in full (MANIFEST.json does not vouch for it: {reason}" in result_summary


def _mark(out: Path) -> Path:
    """A file in a folder the comparison ignores: a write (which swaps the folder) removes it."""
    marker = out / "__pycache__" / "marker"
    marker.parent.mkdir(exist_ok=True)
    marker.write_text("", encoding="utf-8")
    return marker


def _patch_version(monkeypatch: pytest.MonkeyPatch, package: str, fake: str) -> None:
    real: Callable[[str], str] = manifest.version
    monkeypatch.setattr(manifest, "version", lambda name: fake if name == package else real(name))


# --- the fast path --------------------------------------------------------------------------------

CHILD = """
import json, sys
from generator.cli import main
code = main(sys.argv[1:])
heavy = ("black", "datamodel_code_generator", "openapi_spec_validator", "generator.pipeline")
print(json.dumps({"code": code, "imported": [m for m in heavy if m in sys.modules]}))
"""


def test_check_of_a_fresh_generation_answers_from_the_manifest_without_generating(
    project: Project,
) -> None:
    assert run_cli(*project.cli("generate")) == 0
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *project.cli("check")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path.cwd(),
        env={**os.environ, "PYTHONPATH": str(REPO), "OPENAPI_CLIENT_GENERATOR_CACHE": "off"},
    )
    summary, outcome = child.stdout.strip().splitlines()[-2:]
    assert json.loads(outcome) == {"code": 0, "imported": []}
    assert summary.startswith("out/ is up to date (")
    assert "MANIFEST.json vouched for it, nothing was regenerated, --full regenerates" in summary


def test_generate_with_nothing_changed_writes_nothing(generated: Project) -> None:
    marker = _mark(generated.out)
    result = generate(generated.config)
    assert not result.written
    assert result.summary.startswith("nothing changed: out/ is what a generation would write")
    assert marker.exists()


def test_generate_with_nothing_changed_returns_the_files_a_generation_makes(
    generated: Project,
) -> None:
    assert generate(generated.config).files == generate(generated.config, full=True).files


def test_generate_full_regenerates_and_writes(generated: Project) -> None:
    marker = _mark(generated.out)
    result = generate(generated.config, full=True)
    assert result.written and result.summary.startswith("validated ")
    assert not marker.exists()


def test_check_full_regenerates_and_compares(generated: Project) -> None:
    result = check(generated.config, full=True)
    assert result.diff.clean
    assert result.summary.startswith("validated ")
    assert result.summary.endswith("regenerated in full (--full)")


def test_generate_rewrites_an_incomplete_output(generated: Project) -> None:
    (generated.out / OPERATION).unlink()
    result = generate(generated.config)
    assert result.written
    assert (generated.out / OPERATION).is_file()


def test_manifest_bytes_are_the_same_across_hash_seeds(project: Project) -> None:
    texts = []
    for seed in ("1", "4242"):
        out = project.folder / f"out{seed}"
        args = project.cli("generate")
        args[args.index("--out") + 1] = str(out)
        subprocess.run(
            [sys.executable, "-m", "generator", *args],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
        )
        texts.append((out / "MANIFEST.json").read_bytes())
    assert texts[0] == texts[1]
    assert texts[0].endswith(b"}\n")


def test_the_manifest_records_every_input_by_its_displayed_name(generated: Project) -> None:
    recorded = json.loads((generated.out / "MANIFEST.json").read_text(encoding="utf-8"))

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert recorded["inputs"]["spec"] == {"openapi.yaml": digest(generated.spec)}
    assert recorded["inputs"]["referenced"] == {"schemas.yaml": digest(generated.schemas)}
    assert recorded["inputs"]["overlays"] == {"servers.overlay.yaml": digest(generated.overlay)}
    assert recorded["outputs"][OPERATION] == digest(generated.out / OPERATION)
    assert "MANIFEST.json" not in recorded["outputs"]


# --- each change falls back to the full comparison ------------------------------------------------


def test_an_edited_spec_makes_check_regenerate_and_report_the_drift(generated: Project) -> None:
    spec = _spec()
    spec["paths"]["/things/{thing_id}"]["get"]["parameters"].pop()  # drop `verbose`
    write_spec(generated.folder, spec)
    result = check(generated.config)
    assert _falls_back(result.summary, "openapi.yaml changed")
    assert OPERATION in result.diff.changed
    assert result.diff == check(generated.config, full=True).diff


def test_an_edited_referenced_file_makes_check_regenerate_and_report_the_drift(
    generated: Project,
) -> None:
    grown = json.loads(json.dumps(THING))
    grown["Thing"]["properties"]["weight"] = {"type": "number"}
    generated.schemas.write_text(yaml.safe_dump(grown, sort_keys=False), encoding="utf-8")
    result = check(generated.config)
    assert _falls_back(result.summary, "schemas.yaml changed")
    assert "+    weight: float | None = None\n" in result.diff.unified
    assert result.diff == check(generated.config, full=True).diff


def test_an_edited_overlay_makes_check_regenerate_and_report_the_drift(
    generated: Project,
) -> None:
    _write_overlay(generated.overlay, "https://b.example")
    result = check(generated.config)
    assert _falls_back(result.summary, "servers.overlay.yaml changed")
    assert "tiny_client/environment.py" in result.diff.changed
    assert result.diff == check(generated.config, full=True).diff


def test_a_changed_setting_makes_check_regenerate_and_report_the_drift(
    generated: Project,
) -> None:
    config = generated.config.with_overrides(client="Small")
    result = check(config)
    assert _falls_back(result.summary, "the configuration changed")
    assert "tiny_client/_client.py" in result.diff.changed
    assert result.diff == check(config, full=True).diff


def test_an_edited_output_file_makes_check_regenerate_and_report_it(generated: Project) -> None:
    edited = generated.out / "tiny_client" / "errors.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# local edit\n", encoding="utf-8")
    result = check(generated.config)
    assert _falls_back(result.summary, "tiny_client/errors.py was edited")
    assert result.diff.changed == ("tiny_client/errors.py",)
    assert "-# local edit" in result.diff.unified


def test_an_added_output_file_makes_check_regenerate_and_report_it(generated: Project) -> None:
    (generated.out / "tiny_client" / "extra.py").write_text("x = 1\n", encoding="utf-8")
    result = check(generated.config)
    assert _falls_back(result.summary, "1 file(s) not generated, e.g. tiny_client/extra.py")
    assert (result.diff.added, result.diff.removed, result.diff.changed) == (
        (),
        ("tiny_client/extra.py",),
        (),
    )


def test_a_removed_output_file_makes_check_regenerate_and_report_it(generated: Project) -> None:
    (generated.out / OPERATION).unlink()
    result = check(generated.config)
    assert _falls_back(result.summary, f"1 file(s) missing, e.g. {OPERATION}")
    assert (result.diff.added, result.diff.removed, result.diff.changed) == ((OPERATION,), (), ())


def test_a_changed_generator_makes_check_regenerate(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        _patch_version(patched, "black", "0.0")
        generate(project.config)
    result = check(project.config)
    assert _falls_back(result.summary, "black changed (0.0 -> 26.10.1)")
    assert result.diff.clean


def test_a_manifest_differing_only_in_its_generator_is_not_drift_but_noted(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with monkeypatch.context() as patched:
        _patch_version(patched, "black", "0.0")
        assert run_cli(*project.cli("generate")) == 0
    capsys.readouterr()
    assert run_cli(*project.cli("check")) == 0
    printed = capsys.readouterr()
    assert "DRIFT" not in printed.out
    assert (
        "note: out/MANIFEST.json was written by another version of the generator, which generates"
        " the same files: run python -m generator generate to refresh it"
    ) in printed.err


def test_a_hand_edited_manifest_vouches_for_nothing(generated: Project) -> None:
    """Editing a file and its digest in MANIFEST.json (or merging two manifests) breaks the seal."""
    edited = generated.out / "tiny_client" / "errors.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# local edit\n", encoding="utf-8")
    path = generated.out / "MANIFEST.json"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    recorded["outputs"]["tiny_client/errors.py"] = hashlib.sha256(edited.read_bytes()).hexdigest()
    path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    result = check(generated.config)
    assert _falls_back(result.summary, "its seal does not match: edited by hand, or merged")
    assert result.diff.changed == ("MANIFEST.json", "tiny_client/errors.py")


# --- what the fingerprint and the configuration digest cover -------------------------------------


def test_the_fingerprint_changes_with_any_generator_source_or_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = shutil.copytree(manifest.GENERATOR, tmp_path / "generator")
    templates = shutil.copytree(manifest.TEMPLATES, tmp_path / "templates")
    monkeypatch.setattr(manifest, "GENERATOR", source)
    monkeypatch.setattr(manifest, "TEMPLATES", templates)
    seen = {manifest.fingerprint()["sources"]}
    for changed in (source / "runtime" / "_http.py", templates / "operation.py.jinja"):
        changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        seen.add(manifest.fingerprint()["sources"])
    assert len(seen) == 3


def test_the_fingerprint_reads_the_templates_the_renderer_reads() -> None:
    assert manifest.TEMPLATES == TEMPLATES


def _other(value: Any) -> Any:
    """A different value of the same type, for each kind of Config setting."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):
        return (*value, ("https://other.example", "OTHER"))
    if value is None or isinstance(value, AuthConfig):
        return AuthConfig("x-other", "other", None)
    raise AssertionError(f"no other value for {value!r}")


def test_every_setting_changes_the_configuration_digest(project: Project) -> None:
    config = project.config
    digest = manifest.config_digest(config, "openapi.yaml", ["o.yaml"])
    settings = [f.name for f in dataclasses.fields(Config) if f.name not in manifest._NOT_SETTINGS]
    assert "package" in settings and "strict" in settings and "auth" in settings
    for name in settings:
        changed = dataclasses.replace(config, **{name: _other(getattr(config, name))})
        assert manifest.config_digest(changed, "openapi.yaml", ["o.yaml"]) != digest, name
    assert manifest.config_digest(config, "openapi.yaml", ["p.yaml"]) != digest
    assert manifest.config_digest(config, "spec.yaml", ["o.yaml"]) != digest

"""MANIFEST.json records the AsyncAPI documents read beside the spec: a change to one is drift."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import AsyncApiInput
from generator.output import manifest
from tests.support.generation import REPO, config_for, run_cli

CONVAI = REPO / "examples" / "specs" / "elevenlabs-convai-asyncapi.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(REPO / "spec" / "openapi.yaml", tmp_path / "openapi.yaml")
    shutil.copy(CONVAI, tmp_path / "convai.yml")
    return tmp_path


def _cli(project: Path, command: str) -> int:
    return run_cli(
        command,
        *("--config", project / "none.toml", "--spec", project / "openapi.yaml"),
        *("--asyncapi", project / "convai.yml", "--out", project / "out", "--package", "c"),
    )


def test_check_of_a_generation_with_an_asyncapi_document_answers_from_the_manifest(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(project, "generate") == 0
    capsys.readouterr()
    assert _cli(project, "check") == 0
    assert "vouched for it" in capsys.readouterr().out


def test_a_changed_asyncapi_document_is_not_vouched_for(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(project, "generate") == 0
    with (project / "convai.yml").open("a", encoding="utf-8") as document:
        document.write("\n# edited\n")
    capsys.readouterr()
    _cli(project, "check")
    printed = capsys.readouterr().out
    assert "convai.yml changed" in printed


def test_the_asyncapi_documents_are_settings_of_the_configuration_digest(project: Path) -> None:
    config = config_for(project / "openapi.yaml", project / "out")
    without = manifest.config_digest(config, "openapi.yaml", [])
    beside = config.with_overrides(asyncapi=(AsyncApiInput(project / "convai.yml"),))
    assert manifest.config_digest(beside, "openapi.yaml", []) != without

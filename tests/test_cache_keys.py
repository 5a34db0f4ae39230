"""Every cached step is keyed on the code that computes it: a changed check is never skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cache, pipeline
from generator.pipeline import generate
from tests.support.generation import config_for, minimal_spec, write_spec


def _entries(folder: Path, namespace: str) -> set[str]:
    return {p.name for p in (folder / namespace).rglob("*") if p.is_file()}


@pytest.fixture
def warm(tmp_path: Path) -> tuple[Path, Path]:
    """A spec generated once with a cache: its validation and models are in the cache."""
    spec = write_spec(tmp_path, minimal_spec())
    store = tmp_path / "cache"
    generate(config_for(spec, tmp_path / "out", cache_dir=store), full=True)
    return spec, store


def _changed_code(monkeypatch: pytest.MonkeyPatch, changed: str) -> None:
    """As if the source of the package `changed` had been edited since the cache was filled."""
    real = cache.code_digest

    def digest(*modules: str) -> str:
        return real(*modules) + ("-edited" if changed in modules else "")

    monkeypatch.setattr(pipeline, "code_digest", digest)


@pytest.mark.parametrize("namespace", ["validate", "dcg"])
def test_unchanged_code_reuses_the_cached_step(warm: tuple[Path, Path], namespace: str) -> None:
    spec, store = warm
    before = _entries(store, namespace)
    generate(config_for(spec, spec.parent / "again", cache_dir=store), full=True)
    assert before and _entries(store, namespace) == before


def test_a_change_to_the_validation_code_validates_again(
    warm: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, store = warm
    before = _entries(store, "validate")
    _changed_code(monkeypatch, "generator.spec")
    generate(config_for(spec, spec.parent / "again", cache_dir=store), full=True)
    assert _entries(store, "validate") - before


def test_a_change_to_the_models_code_runs_the_models_step_again(
    warm: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, store = warm
    before = _entries(store, "dcg")
    _changed_code(monkeypatch, "generator.models")
    generate(config_for(spec, spec.parent / "again", cache_dir=store), full=True)
    assert _entries(store, "dcg") - before

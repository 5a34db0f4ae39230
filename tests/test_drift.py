"""The committed generated/ is the golden record: a fresh generation must match it byte for byte."""

from __future__ import annotations

from generator.config import load_config
from generator.pipeline import check
from tests.support.generation import REPO


def test_committed_client_matches_a_fresh_generation() -> None:
    """Always the full path (a real generation, compared file by file), never the manifest's word."""
    result = check(load_config(REPO / "pyproject.toml"), full=True)
    assert "regenerated in full (--full)" in result.summary
    assert result.diff.clean, (
        "generated/ drifted from spec/openapi.yaml; run `make generate`:\n" + result.diff.report()
    )

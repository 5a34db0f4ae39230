"""The committed generated/ is the golden record: a fresh generation must match it byte for byte."""

from __future__ import annotations

from pathlib import Path

from generator.config import load_config
from generator.diff import diff_trees
from generator.pipeline import generate
from generator.write import read_tree
from tests.support.generation import REPO


def test_committed_client_matches_a_fresh_generation(tmp_path: Path) -> None:
    config = load_config(REPO / "pyproject.toml")
    fresh_out = tmp_path / "generated"
    generate(config.with_overrides(out=fresh_out))
    result = diff_trees(read_tree(config.out), read_tree(fresh_out), out_name="generated")
    assert result.clean, (
        "generated/ drifted from spec/openapi.yaml; run `make generate`:\n" + result.report()
    )

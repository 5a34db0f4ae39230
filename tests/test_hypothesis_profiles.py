"""Hypothesis profiles (tests/conftest.py): the same examples on every CI run, new ones locally."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import hypothesis_profile
from tests.support.generation import REPO


def _drawn(profile: str) -> list[bytes]:
    """The examples one run of a property draws under `profile`."""
    drawn: list[bytes] = []

    @settings(settings.get_profile(profile), max_examples=20)
    @given(st.binary(min_size=8))
    def record(value: bytes) -> None:
        drawn.append(value)

    record()
    return drawn


def test_the_ci_profile_draws_the_same_examples_on_every_run() -> None:
    assert _drawn("ci") == _drawn("ci")


def test_the_dev_profile_draws_new_examples_on_every_run() -> None:
    assert _drawn("dev") != _drawn("dev")


def test_a_failure_under_the_ci_profile_prints_how_to_reproduce_it() -> None:
    assert settings.get_profile("ci").print_blob


def test_the_profile_is_hypothesis_profile_else_ci_under_ci_else_dev() -> None:
    assert hypothesis_profile({"HYPOTHESIS_PROFILE": "dev", "CI": "true"}) == "dev"
    assert hypothesis_profile({"HYPOTHESIS_PROFILE": "ci"}) == "ci"
    assert hypothesis_profile({"CI": "true"}) == "ci"
    assert hypothesis_profile({}) == "dev"


def test_this_run_uses_the_profile_its_environment_chooses() -> None:
    assert settings.get_current_profile_name() == hypothesis_profile(os.environ)


def test_the_ci_script_runs_the_tests_under_the_ci_profile() -> None:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "export HYPOTHESIS_PROFILE=ci" in lines[: lines.index("make test")]

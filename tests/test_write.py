"""Writing and reading the output folder: tool folders are ignored only where tools put them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import GenerationFailed
from generator.output.write import read_tree, write_tree
from generator.pipeline import check, generate
from tests.support.generation import config_for, minimal_spec, write_spec


def test_a_tag_named_like_a_tool_folder_generates_and_then_checks_clean(tmp_path: Path) -> None:
    spec = minimal_spec()
    spec["paths"]["/things/{thing_id}"]["get"]["tags"] = ["build"]
    config = config_for(write_spec(tmp_path, spec), tmp_path / "out", cache_dir=None)
    written = generate(config, full=True)
    assert any(path.startswith("tiny_client/resources/build/") for path in written.files)

    result = check(config, full=True)

    assert result.diff.clean, result.diff.report()


def test_tool_folders_at_the_top_of_the_output_are_not_read(tmp_path: Path) -> None:
    write_tree(tmp_path / "out", {"pkg/__init__.py": ""})
    for folder in ("build/lib", "dist", ".mypy_cache/3.11", "pkg.egg-info", ".pytest_cache"):
        (tmp_path / "out" / folder).mkdir(parents=True)
        (tmp_path / "out" / folder / "left.txt").write_text("by a tool")

    assert read_tree(tmp_path / "out") == {"pkg/__init__.py": ""}


def test_folders_named_like_tool_folders_below_the_top_are_read(tmp_path: Path) -> None:
    files = {
        "pkg/resources/build/__init__.py": "",
        "pkg/resources/dist/client.py": "x = 1\n",
        "pkg/resources/thing.egg-info/a.py": "",
    }
    write_tree(tmp_path / "out", files)

    assert read_tree(tmp_path / "out") == files


def test_pycache_is_not_read_at_any_depth(tmp_path: Path) -> None:
    write_tree(tmp_path / "out", {"pkg/sub/__init__.py": ""})
    (tmp_path / "out" / "pkg" / "sub" / "__pycache__").mkdir()
    (tmp_path / "out" / "pkg" / "sub" / "__pycache__" / "x.pyc").write_bytes(b"\0")

    assert read_tree(tmp_path / "out") == {"pkg/sub/__init__.py": ""}


@pytest.mark.parametrize("package", ["build", "dist", "thing.egg-info"])
def test_a_file_under_a_top_level_tool_folder_is_refused(tmp_path: Path, package: str) -> None:
    with pytest.raises(GenerationFailed, match="choose another package name"):
        write_tree(tmp_path / "out", {f"{package}/__init__.py": ""})

    assert not (tmp_path / "out").exists()

"""What a regeneration takes from the cache after a spec change: pieces of the document found
valid, the models step's result, laid-out modules; never a different output or warning."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.cache import Cache
from generator.config import Config
from generator.diagnostics import Diagnostic
from generator.layout import Unsupported, lay_out_module, lay_out_module_cached
from generator.models import step
from generator.output.write import read_tree_bytes
from generator.pipeline import generate, render_files
from generator.spec.pieces import Facts, PieceKey, all_valid
from tests.support.generation import config_for, minimal_spec, write_spec


def _run(config: Config) -> list[str]:
    warnings: list[Diagnostic] = []
    generate(config, warn=warnings.append, full=True)
    return [w.render() for w in warnings]


def _two_paths(*, bad_response: bool) -> dict[str, Any]:
    spec = minimal_spec()
    thing = spec["paths"]["/things/{thing_id}"]
    spec["paths"]["/other/{thing_id}"] = copy.deepcopy(thing)
    spec["paths"]["/other/{thing_id}"]["get"]["operationId"] = "getOther"
    if bad_response:
        del thing["get"]["responses"]["200"]["description"]
    return spec


def _same_as_cold(folder: Path, spec: dict[str, Any], cache: Path) -> list[str]:
    path = write_spec(folder, spec)
    warm = _run(config_for(path, folder / "warm", cache_dir=cache))
    cold = _run(config_for(path, folder / "cold"))
    assert warm == cold
    assert read_tree_bytes(folder / "warm") == read_tree_bytes(folder / "cold")
    return warm


def test_validator_warnings_are_the_same_warm_as_cold_whichever_piece_changes(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    spec = _two_paths(bad_response=True)
    first = _same_as_cold(tmp_path, spec, cache)
    assert any("'description' is a required property" in w for w in first)
    # Another path item changes: the warning about the unchanged one is still given, located.
    param = {"name": "extra", "in": "query", "schema": {"type": "string"}}
    spec["paths"]["/other/{thing_id}"]["get"]["parameters"].append(param)
    assert _same_as_cold(tmp_path, spec, cache) == first
    # The bad piece is mended, then broken again: each time as a cold generation says.
    spec["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["description"] = "OK"
    assert _same_as_cold(tmp_path, spec, cache) == []
    del spec["paths"]["/other/{thing_id}"]["get"]["responses"]["200"]["description"]
    assert _same_as_cold(tmp_path, spec, cache)


class _Recorder:
    """A checker that finds everything valid and records what it was asked to walk."""

    def __init__(self) -> None:
        self.walked: list[PieceKey] = []

    def schema_errors(self, document: dict[str, Any], pieces: list[PieceKey]) -> bool:
        return False

    def walk_errors(self, document: dict[str, Any], piece: PieceKey) -> bool:
        self.walked.append(piece)
        return False


def test_a_changed_schema_has_every_piece_that_reaches_it_validated_again(
    tmp_path: Path,
) -> None:
    spec = minimal_spec()
    schemas = spec["components"]["schemas"]
    schemas["Box"] = {
        "type": "object",
        "properties": {"thing": {"$ref": "#/components/schemas/Thing"}},
    }
    schemas["Crate"] = {
        "type": "object",
        "properties": {"box": {"$ref": "#/components/schemas/Box"}},
    }
    schemas["Alone"] = {"type": "string"}
    facts = Facts(Cache(tmp_path), "validator 1")
    first = _Recorder()
    assert all_valid(spec, facts, first)
    assert len(first.walked) == 6  # the top level, one path item, four schemas
    again = _Recorder()
    assert all_valid(spec, facts, again) and again.walked == []
    schemas["Thing"]["properties"]["colour"] = {"type": "string"}
    changed = _Recorder()
    assert all_valid(spec, facts, changed)
    assert sorted(changed.walked) == sorted(
        [
            ("paths", "/things/{thing_id}"),
            ("components", "schemas", "Thing"),
            ("components", "schemas", "Box"),
            ("components", "schemas", "Crate"),
        ]
    )
    # Another version of the validator notes nothing the first one found.
    other = _Recorder()
    assert all_valid(spec, Facts(Cache(tmp_path), "validator 2"), other)
    assert len(other.walked) == 6


def test_a_document_with_refs_it_cannot_follow_is_validated_whole(tmp_path: Path) -> None:
    spec = minimal_spec()
    spec["components"]["schemas"]["Thing"]["$id"] = "https://example.com/thing"
    assert not all_valid(spec, Facts(Cache(tmp_path), "v"), _Recorder())


def test_corrupt_cache_entries_change_nothing(tmp_path: Path) -> None:
    spec = _two_paths(bad_response=True)
    path = write_spec(tmp_path, spec)
    cache = tmp_path / "cache"
    first = _run(config_for(path, tmp_path / "warm", cache_dir=cache))
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert entries
    for entry in entries:  # every entry edited: one byte of its value changed
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0x01
        entry.write_bytes(bytes(data))
    assert all(
        Cache(cache).get(p.parent.parent.name, p.parent.name + p.name) is None for p in entries
    )
    assert _run(config_for(path, tmp_path / "again", cache_dir=cache)) == first
    assert _run(config_for(path, tmp_path / "cold")) == first
    assert read_tree_bytes(tmp_path / "again") == read_tree_bytes(tmp_path / "cold")


def test_the_models_step_result_survives_the_cache(tmp_path: Path) -> None:
    spec = minimal_spec()
    spec["components"]["schemas"]["Node"] = {
        "type": "object",
        "properties": {"next": {"$ref": "#/components/schemas/Node"}},
    }
    path = write_spec(tmp_path, spec)
    cold = render_files(config_for(path, tmp_path / "cold"))
    warm = config_for(path, tmp_path / "warm", cache_dir=tmp_path / "cache")
    render_files(warm)
    assert render_files(warm)[0] == cold[0]
    assert list((tmp_path / "cache" / "models").rglob("*"))


def test_a_models_step_result_reads_back_as_it_was_written() -> None:
    from generator.models import ModelModule, ModelSet
    from generator.models.closure import Snapshot

    model_set = ModelSet(
        (ModelModule("thing", ("Thing", "ThingKind"), "class Thing: ...\n", True),),
        {"Thing": "thing", "ThingKind": "thing"},
        (("/components/schemas/Thing", "a warning"), (None, "another")),
    )
    made = Snapshot(
        "rest", {"Thing": "d1"}, {"Thing": "d2"}, (("Thing2", ("Thing",)),), ("import x",), True, 1
    )
    assert step.loads(step.dumps(model_set, ["Missing"], made)) == (
        None,
        model_set,
        ["Missing"],
        made,
    )


@pytest.mark.parametrize(
    "header",
    [
        "# Generated by openapi-client-generator from spec.yaml (sha256 0123). Do not edit.",
        "# Generated from ☃ spec.yaml, and a very long line that black would never wrap " * 3,
        "#no space",
        "# trailing space ",
        "# a\ttab",
    ],
)
def test_a_module_laid_out_from_the_cache_is_laid_out_as_without_it(
    tmp_path: Path, header: str
) -> None:
    body = 'def f(a: int, b: str = "x") -> dict[str, int]:\n    return {"a": a, "b": len(b)}\n'
    store = Cache(tmp_path)
    for text in (f"{header}\n{body}", f"{header}\nclass A: pass\n# late comment\n"):
        try:
            expected: str | None = lay_out_module(text)
        except Unsupported:
            expected = None
        for _ in range(2):  # computed, then read back
            try:
                got: str | None = lay_out_module_cached(text, store)
            except Unsupported:
                got = None
            assert got == expected

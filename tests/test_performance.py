"""The speed-ups change nothing but time: background validation, its precedence, parallel black."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.cache import Cache
from generator.diagnostics import GenerationFailed
from generator.layout import fallback as format_step
from generator.pipeline import generate
from generator.spec import load_spec, validate
from tests.support.generation import config_for, minimal_spec, write_spec
from tests.support.processes import children


def _broken(kind: str) -> dict[str, Any]:
    spec = minimal_spec()
    thing = spec["components"]["schemas"]["Thing"]
    if kind == "bad type":  # only openapi-spec-validator sees this one
        thing["properties"]["size"]["type"] = 5
    elif kind == "bad default":
        thing["properties"]["size"]["default"] = "large"
    elif kind == "dangling ref":  # our own checks, before the validator
        thing["properties"]["other"] = {"$ref": "#/components/schemas/Missing"}
    elif kind == "parameter twice":  # our own check and the validator's, merged
        parameters = spec["paths"]["/things/{thing_id}"]["get"]["parameters"]
        parameters.append(copy.deepcopy(parameters[1]))
    return spec


KINDS = ["valid", "bad type", "bad default", "dangling ref", "parameter twice"]


@pytest.fixture
def always_background(single_threaded: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validation runs in the background for any document (in a process without other threads)."""
    monkeypatch.setattr(validate, "BACKGROUND_MIN_SIZE", 0)


@pytest.mark.parametrize("kind", KINDS)
def test_background_validation_finds_what_validate_finds(
    tmp_path: Path, kind: str, always_background: None
) -> None:
    spec = _broken(kind) if kind != "valid" else minimal_spec()
    source = load_spec(write_spec(tmp_path, spec), display="openapi.yaml", max_bytes=10**7)
    expected = validate.validate(source, source.data)
    assert bool(expected) == (kind != "valid")
    started = validate.begin(source, source.data)
    # Our own checks answer at once; only the validator's run is left to the other process.
    assert started.running == (kind != "dangling ref")
    assert started.problems() == expected
    assert not started.running


def test_a_cancelled_background_validation_leaves_nothing_running(
    tmp_path: Path, always_background: None
) -> None:
    source = load_spec(write_spec(tmp_path, minimal_spec()), display="x", max_bytes=10**7)
    before = children()
    started = validate.begin(source, source.data)
    assert started.running
    assert len(children() - before) == 1
    started.cancel()
    assert children() == before  # ended and waited for


def test_the_validator_patch_is_undone_after_validation(tmp_path: Path) -> None:
    from referencing import Registry

    crawl = Registry.crawl
    source = load_spec(write_spec(tmp_path, _broken("bad type")), display="x", max_bytes=10**7)
    assert validate.validate(source, source.data)
    assert Registry.crawl is crawl


@pytest.mark.parametrize("kind", ["bad type", "bad default", "parameter twice"])
def test_validation_problems_win_over_later_steps_and_nothing_is_written(
    tmp_path: Path, kind: str, always_background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_path = write_spec(tmp_path, _broken(kind))
    out = tmp_path / "out"
    # Strict: by default these defects are worked around, each a warning (see test_policy).
    config = config_for(spec_path, out, cache_dir=None, strict=True)
    with pytest.raises(GenerationFailed) as background:
        generate(config)
    monkeypatch.setattr(validate, "BACKGROUND_MIN_SIZE", 10**9)
    with pytest.raises(GenerationFailed) as inline:
        generate(config)
    assert [d.render() for d in background.value.diagnostics] == [
        d.render() for d in inline.value.diagnostics
    ]
    assert not out.exists()


def test_log_lines_of_later_steps_are_the_same_with_background_validation(
    tmp_path: Path, always_background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = minimal_spec()
    ok = spec["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]
    ok["links"] = {"self": {"operationId": "getThing"}}
    spec_path = write_spec(tmp_path, spec)
    background: list[str] = []
    generate(config_for(spec_path, tmp_path / "a", cache_dir=None), background.append)
    monkeypatch.setattr(validate, "BACKGROUND_MIN_SIZE", 10**9)
    inline: list[str] = []
    generate(config_for(spec_path, tmp_path / "b", cache_dir=None), inline.append)
    assert any("response links are not generated" in line for line in inline)
    assert background == inline


def test_parallel_black_gives_the_serial_result(monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        f"pkg/m{i}.py": f"x{i} = {{'a':{i},  'b' : [1,2,3]}}\ndef f{i}(a,b = 'q'):\n  return a\n"
        for i in range(12)
    }
    files["pkg/README.md"] = "not python  \n"
    serial = format_step.format_files(files, Cache(None))
    monkeypatch.setattr(format_step, "_PARALLEL_MIN_CHARS", 0)
    parallel = format_step.format_files(files, Cache(None))
    assert parallel == serial
    assert serial["pkg/README.md"] == files["pkg/README.md"]
    assert serial["pkg/m3.py"].startswith('x3 = {"a": 3, "b": [1, 2, 3]}\n')


def test_models_in_a_child_process_give_the_same_files(
    tmp_path: Path, always_background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import schedule
    from generator.output.write import read_tree

    spec_path = write_spec(tmp_path, minimal_spec())
    monkeypatch.setattr(schedule, "MODELS_APART_MIN_SCHEMAS", 0)
    generate(config_for(spec_path, tmp_path / "apart", cache_dir=None))
    monkeypatch.setattr(schedule, "MODELS_APART_MIN_SCHEMAS", 10**9)
    monkeypatch.setattr(validate, "BACKGROUND_MIN_SIZE", 10**9)
    generate(config_for(spec_path, tmp_path / "here", cache_dir=None))
    assert read_tree(tmp_path / "apart") == read_tree(tmp_path / "here")


def _fails() -> int:
    raise ValueError("bad input")


def test_a_failing_child_raises_here_what_the_function_raises(always_background: None) -> None:
    from generator.forked import Forked

    assert Forked(lambda: {"a": [1, 2]}).result() == {"a": [1, 2]}
    with pytest.raises(ValueError, match="bad input"):
        Forked(_fails).result()


def test_located_positions_come_back_from_the_cache_without_parsing_again(tmp_path: Path) -> None:
    from generator.spec.load import Locator

    text = '{\n  "a": {"b": [1, {"c": 2}]},\n  "d": 3\n}\n'
    pointers = ["/a/b/1/c", "/d", "/a/missing", "", "/a/b/9"]
    plain = [Locator(text).locate(p) for p in pointers]
    cache = Cache(tmp_path / "cache")
    first = Locator(text)
    first.use_cache(cache)
    assert [first.locate(p) for p in pointers] == plain
    again = Locator(text)
    again.use_cache(cache)
    assert [again.locate(p) for p in pointers] == plain
    assert not again._parsed  # every position was in the cache
    assert plain[0] == (2, 24)


def test_schemas_equal_to_one_found_valid_or_invalid_are_judged_alike(tmp_path: Path) -> None:
    spec = minimal_spec()
    schemas = spec["components"]["schemas"]
    bad = {"type": "object", "properties": {"n": {"type": 5}}}
    schemas.update(
        {"Bad1": bad, "Bad2": copy.deepcopy(bad), "Good2": copy.deepcopy(schemas["Thing"])}
    )
    source = load_spec(write_spec(tmp_path, spec), display="openapi.yaml", max_bytes=10**7)
    problems = validate.validate(source, source.data)
    # Each copy of the invalid schema is reported where it is; the valid copy adds nothing.
    assert [pointer for pointer, _ in problems] == [
        "/components/schemas/Bad1/properties/n/type",
        "/components/schemas/Bad2/properties/n/type",
    ]


def test_referencings_url_functions_are_urllibs_again_after_validation(tmp_path: Path) -> None:
    import urllib.parse

    from referencing import _core

    source = load_spec(write_spec(tmp_path, _broken("bad type")), display="x", max_bytes=10**7)
    assert validate.validate(source, source.data)
    assert _core.urljoin is urllib.parse.urljoin
    assert _core.urldefrag is urllib.parse.urldefrag

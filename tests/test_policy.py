"""The spec policy: defects are located warnings by default, grouped by kind; --strict refuses them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.config import load_config
from generator.diagnostics import GenerationFailed
from tests.support.generation import minimal_spec, run_cli, write_spec

ARGS = ("--package", "tiny_client", "--config", "none/pyproject.toml")


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAPI_CLIENT_GENERATOR_CACHE", "off")


def _with_defaults(count: int) -> dict[str, Any]:
    """A spec whose Thing has `count` integer properties with string defaults."""
    spec = minimal_spec()
    properties = spec["components"]["schemas"]["Thing"]["properties"]
    for index in range(count):
        properties[f"n{index}"] = {"type": "integer", "default": "x"}
    return spec


def _run(tmp_path: Path, spec: dict[str, Any] | str, *extra: str) -> int:
    path = write_spec(tmp_path, spec)
    return run_cli("generate", "--spec", path, "--out", tmp_path / "out", *ARGS, *extra)


def test_a_defect_is_a_located_warning_and_the_client_is_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, _with_defaults(1)) == 0
    assert capsys.readouterr().err.splitlines() == [
        "openapi.yaml:39:20 (at /components/schemas/Thing/properties/n0/default): warning:"
        ' default "x" is not of type integer; the default is ignored'
    ]
    assert (tmp_path / "out" / "tiny_client").is_dir()


def test_warnings_of_one_kind_show_the_first_three_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, _with_defaults(5)) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4
    assert lines[-1] == "  ... and 2 more like it (--verbose lists them)"


def test_verbose_lists_every_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, _with_defaults(5), "--verbose") == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 5
    assert all(": warning: " in line for line in lines)


def test_the_summary_line_counts_the_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, _with_defaults(5)) == 0
    assert capsys.readouterr().out.strip().endswith("; 5 warning(s)")


def test_strict_refuses_a_defect_with_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, _with_defaults(1), "--strict") == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        "openapi.yaml:39:20 (at /components/schemas/Thing/properties/n0/default): error:"
    )
    assert not (tmp_path / "out").exists()


def test_strict_in_the_config_refuses_a_defect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.generator]\nstrict = true\n", encoding="utf-8")
    path = write_spec(tmp_path, _with_defaults(1))
    code = run_cli(
        "generate", "--spec", path, "--out", tmp_path / "out", "--package", "t", "--config", config
    )
    assert code == 2


# Each defect the repairs work around, as (what to change in the minimal spec).
def _fragment(spec: dict[str, Any]) -> None:
    spec["paths"]["/things/{thing_id}#other"] = {
        "post": {"operationId": "postThing", "responses": {"200": {"description": "OK"}}}
    }


def _express(spec: dict[str, Any]) -> None:
    spec["paths"]["/users/:id"] = {
        "get": {"operationId": "getUser", "responses": {"200": {"description": "OK"}}}
    }


def _number_string(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Thing"]["properties"]["size"]["minimum"] = "1e-08"


def _stray_content(spec: dict[str, Any]) -> None:
    spec["paths"]["/things/{thing_id}"]["post"] = {
        "operationId": "postThing",
        "requestBody": {"content": {"application/json": {"schema": {}}, "examples": {}}},
        "responses": {"200": {"description": "OK"}},
    }


def _required_optional(spec: dict[str, Any]) -> None:
    spec["paths"]["/things/{thing_id}"]["get"]["parameters"][1]["required"] = "optional"


def _server_variable(spec: dict[str, Any]) -> None:
    spec["servers"] = [{"url": "https://x.example/v{v}", "variables": {"v": {"default": 1}}}]


def _duplicate_required(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Thing"]["required"] = ["id", "id"]


def _remote_ref(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Thing"]["properties"]["size"] = {
        "$ref": "https://example.com/x.yaml"
    }


DEFECTS = {
    "path-fragment": _fragment,
    "express-path": _express,
    "number-as-string": _number_string,
    "content-not-media-type": _stray_content,
    "parameter-required-not-boolean": _required_optional,
    "server-variable-not-string": _server_variable,
    "required-duplicates": _duplicate_required,
    "remote-ref": _remote_ref,
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_is_a_warning_by_default_and_an_error_when_strict(
    defect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = minimal_spec()
    DEFECTS[defect](spec)
    assert _run(tmp_path / "", spec) == 0
    assert ": warning: " in capsys.readouterr().err
    assert _run(tmp_path, spec, "--strict", "--out", tmp_path / "strict") == 2
    err = capsys.readouterr().err
    assert ": error: " in err and "nothing was written" in err
    assert not (tmp_path / "strict").exists()


def test_a_ref_inside_an_x_extension_is_never_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = minimal_spec()
    spec["info"]["x-docs"] = {"$ref": "docs/missing.md"}
    spec["components"]["schemas"]["Thing"]["x-meta"] = {"$ref": "#/nowhere"}
    assert _run(tmp_path, spec, "--strict") == 0
    assert capsys.readouterr().err == ""


def test_a_validator_crash_is_one_warning_and_the_client_is_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.spec import validate

    def crash(document: dict[str, Any]) -> list[tuple[str | None, str]]:
        raise TypeError("'<' not supported between instances of 'float' and 'str'")

    monkeypatch.setattr(validate, "_run_validator", lambda d: validate._validator_problems(d))
    monkeypatch.setattr(validate, "_located_validator", lambda v30: crash)
    assert _run(tmp_path, minimal_spec()) == 0
    assert capsys.readouterr().err.splitlines() == [
        "openapi.yaml: warning: the OpenAPI validator could not check this document: '<' not"
        " supported between instances of 'float' and 'str'; checked by the generator's own"
        " checks only"
    ]


def test_more_referenced_files_than_max_spec_files_is_an_error_even_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text("type: string\n", encoding="utf-8")
    spec = minimal_spec()
    spec["components"]["schemas"].update({n.upper(): {"$ref": f"{n}.yaml"} for n in "abc"})
    (tmp_path / "pyproject.toml").write_text(
        "[tool.generator]\nmax_spec_files = 1\n", encoding="utf-8"
    )
    path = write_spec(tmp_path, spec)
    code = run_cli(
        "generate",
        "--spec",
        path,
        "--out",
        tmp_path / "out",
        "--package",
        "t",
        "--config",
        tmp_path / "pyproject.toml",
    )
    assert code == 2
    assert "the spec already references 1 files (max_spec_files)" in capsys.readouterr().err


def test_max_spec_files_must_be_a_positive_integer(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.generator]\nmax_spec_files = 0\n", encoding="utf-8")
    with pytest.raises(GenerationFailed, match="max_spec_files must be a positive integer"):
        load_config(config)

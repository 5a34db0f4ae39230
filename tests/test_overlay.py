"""OpenAPI Overlay 1.0: update and remove actions with RFC 9535 targets, located errors, the
header digest, and the shipped ElevenLabs overlay."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.diagnostics import GenerationFailed
from generator.output.write import read_tree
from generator.spec.overlay import apply_overlays
from tests.support.generation import REPO, minimal_spec, run_cli, write_spec

EXAMPLE = REPO / "examples" / "elevenlabs.overlay.yaml"
ARGS = ("--package", "tiny_client", "--config", "/nonexistent/pyproject.toml")


def _overlay(folder: Path, *actions: Any, name: str = "overlay.yaml", **top: Any) -> Path:
    document: dict[str, Any] = {
        "overlay": "1.0.0",
        "info": {"title": "test", "version": "1"},
        "actions": list(actions),
    }
    document.update(top)
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _apply(document: dict[str, Any], *paths: Path) -> dict[str, Any]:
    return apply_overlays(document, [(p, p.name) for p in paths]).document


def _errors(document: dict[str, Any], path: Path) -> list[str]:
    with pytest.raises(GenerationFailed) as failure:
        apply_overlays(document, [(path, path.name)])
    return [d.render() for d in failure.value.diagnostics]


# --- Semantics -----------------------------------------------------------------------------------


def test_update_merges_objects_recursively_concatenates_arrays_and_replaces_the_rest(
    tmp_path: Path,
) -> None:
    document: dict[str, Any] = {
        "info": {"title": "A", "contact": {"name": "x"}, "tags": ["a"]},
        "paths": {},
    }
    overlay = _overlay(
        tmp_path,
        {
            "target": "$.info",
            "update": {"title": "B", "contact": {"email": "e@x"}, "tags": ["b"], "new": 1},
        },
    )
    assert _apply(document, overlay)["info"] == {
        "title": "B",
        "contact": {"name": "x", "email": "e@x"},
        "tags": ["a", "b"],
        "new": 1,
    }
    assert document["info"]["title"] == "A", "the input document is never changed"


def test_update_of_an_array_appends_the_value(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$.servers", "update": {"url": "https://b"}})
    result = _apply({"servers": [{"url": "https://a"}]}, overlay)
    assert result["servers"] == [{"url": "https://a"}, {"url": "https://b"}]


def test_update_applies_to_every_selected_node_with_separate_copies(tmp_path: Path) -> None:
    document: dict[str, Any] = {"paths": {"/a": {"get": {}}, "/b": {"get": {}}}}
    overlay = _overlay(tmp_path, {"target": "$.paths.*.get", "update": {"tags": ["t"]}})
    result = _apply(document, overlay)
    assert result["paths"]["/a"]["get"] == {"tags": ["t"]} == result["paths"]["/b"]["get"]
    result["paths"]["/a"]["get"]["tags"].append("changed")
    assert result["paths"]["/b"]["get"]["tags"] == ["t"]


def test_remove_takes_nodes_out_of_maps_and_arrays_and_wins_over_update(tmp_path: Path) -> None:
    document = {
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {"name": "a", "in": "query"},
                        {"name": "dummy", "in": "query"},
                        {"name": "b", "in": "query"},
                        {"name": "dummy", "in": "header"},
                    ]
                },
                "post": {},
            }
        }
    }
    overlay = _overlay(
        tmp_path,
        {"target": "$.paths.*.get.parameters[?@.name == 'dummy']", "remove": True},
        {"target": "$.paths['/x'].post", "remove": True, "update": {"ignored": True}},
    )
    result = _apply(document, overlay)
    assert result["paths"]["/x"] == {
        "get": {"parameters": [{"name": "a", "in": "query"}, {"name": "b", "in": "query"}]}
    }


def test_a_node_selected_twice_is_removed_once(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$.tags[0, 0]", "remove": True})
    tags = [{"name": "a"}, {"name": "b"}, {"name": "c"}]
    assert _apply({"tags": tags}, overlay)["tags"] == tags[1:]


def test_actions_apply_in_order_each_to_the_result_of_the_previous(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path,
        {"target": "$.servers", "remove": True},
        {"target": "$", "update": {"servers": [{"url": "https://new"}]}},
        {"target": "$.servers[0]", "update": {"description": "added"}},
    )
    result = _apply({"servers": [{"url": "https://old"}]}, overlay)
    assert result["servers"] == [{"url": "https://new", "description": "added"}]


def test_overlays_apply_in_the_order_given_and_json_overlays_work(tmp_path: Path) -> None:
    first = _overlay(tmp_path, {"target": "$.info", "update": {"title": "one"}}, name="1.yaml")
    second = _overlay(tmp_path, {"target": "$.info", "update": {"title": "two"}}, name="2.json")
    assert _apply({"info": {}}, first, second)["info"]["title"] == "two"
    assert _apply({"info": {}}, second, first)["info"]["title"] == "one"


def test_removing_what_is_absent_is_fine_and_silent(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$.servers", "remove": True})
    result = apply_overlays({"info": {}}, [(overlay, "o.yaml")])
    assert result.document == {"info": {}} and result.warnings == ()


def test_an_update_that_selects_nothing_is_a_located_warning(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path, {"target": "$.info", "update": {}}, {"target": "$.nope", "update": {"a": 1}}
    )
    result = apply_overlays({"info": {}}, [(overlay, "o.yaml")])
    assert [w.render() for w in result.warnings] == [
        "o.yaml:8:11 (at /actions/1/target): warning: target '$.nope' selects nothing:"
        " this update changed nothing (did the spec change?)"
    ]


# --- Errors: located in the overlay file ---------------------------------------------------------


def test_a_target_that_is_not_jsonpath_is_located(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$.paths[", "update": {}})
    assert _errors({}, overlay) == [
        "overlay.yaml:6:11 (at /actions/0/target): error: target '$.paths[' is not an RFC 9535"
        " JSONPath query: unbalanced brackets, line 1, column 8"
    ]


def test_a_target_selecting_a_primitive_is_refused(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$.info.title", "update": "New"})
    assert _errors({"info": {"title": "Old"}}, overlay) == [
        "overlay.yaml:6:11 (at /actions/0/target): error: target '$.info.title' selects"
        " $['info']['title'], a str; targets must select objects or arrays (select the object"
        " holding it and update that)"
    ]


def test_an_update_that_is_not_an_object_for_an_object_target_is_refused(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$.info", "update": ["a"]})
    (message,) = _errors({"info": {}}, overlay)
    assert message.startswith("overlay.yaml:8:3 ")
    assert "(at /actions/0/update): error: target '$.info' selects an object" in message


def test_the_root_cannot_be_removed(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"target": "$", "remove": True})
    (message,) = _errors({}, overlay)
    assert message.endswith("error: the root of the document cannot be removed")


def test_a_malformed_overlay_document_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "overlay: 2.0.0\n"
        "info: {title: t}\n"
        "unknown: 1\n"
        "actions:\n"
        "  - description: no target\n"
        "    update: {}\n"
        "  - target: $.info\n"
        "    remove: yes please\n"
        "  - target: $.info\n"
        "    copy: $.paths\n",
        encoding="utf-8",
    )
    assert _errors({}, path) == [
        "bad.yaml:1:10 (at /overlay): error: unsupported overlay version '2.0.0': only 1.0.x is"
        " supported",
        "bad.yaml:2:7 (at /info): error: info.version is required and must be a string",
        "bad.yaml:3:10 (at /unknown): error: unknown overlay field 'unknown'",
        "bad.yaml:5:5 (at /actions/0): error: the action has no 'target' string (a JSONPath query)",
        "bad.yaml:8:13 (at /actions/1/remove): error: 'remove' must be true or false",
        "bad.yaml:7:5 (at /actions/1): error: the action has neither 'update' nor 'remove: true'",
        "bad.yaml:9:5 (at /actions/2): error: the action has neither 'update' nor 'remove: true'",
        "bad.yaml:10:11 (at /actions/2/copy): error: unknown action field 'copy'",
    ]


def test_an_openapi_document_passed_as_an_overlay_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = write_spec(tmp_path, minimal_spec(), name="api.yaml")
    assert _errors({}, path) == [
        "api.yaml:1:1 (at /): error: this is an OpenAPI document, not an overlay: pass it as the"
        " spec"
    ]


def test_overlay_files_are_read_safely(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("overlay: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    (message,) = _errors({}, path)
    assert message.startswith("evil.yaml:1:10: error: invalid YAML")
    missing = tmp_path / "missing.yaml"
    with pytest.raises(GenerationFailed) as failure:
        apply_overlays({}, [(missing, "missing.yaml")])
    assert "cannot read overlay" in failure.value.diagnostics[0].render()


# --- Through the command line ---------------------------------------------------------------------


def _spec_with_server(tmp_path: Path) -> Path:
    return write_spec(tmp_path, minimal_spec(servers=[{"url": "https://old.example"}]))


def _servers_overlay(tmp_path: Path, name: str, url: str, member: str) -> Path:
    return _overlay(
        tmp_path,
        {"target": "$.servers", "remove": True},
        {"target": "$", "update": {"servers": [{"url": url, "x-fern-server-name": member}]}},
        name=name,
    )


def test_cli_applies_repeated_overlays_in_order_before_validation(tmp_path: Path) -> None:
    spec = _spec_with_server(tmp_path)
    first = _servers_overlay(tmp_path, "a.yaml", "https://a.example", "Alpha")
    second = _overlay(
        tmp_path,
        {
            "target": "$.servers",
            "update": {"url": "https://b.example", "x-fern-server-name": "Beta"},
        },
        name="b.yaml",
    )
    out = tmp_path / "out"
    assert run_cli("generate", "--spec", spec, "--out", out, "--overlay", first,
                   "--overlay", second, *ARGS) == 0  # fmt: skip
    environment = (out / "tiny_client" / "environment.py").read_text(encoding="utf-8")
    assert 'ALPHA = "https://a.example"' in environment
    assert 'BETA = "https://b.example"' in environment
    assert "old.example" not in environment


def test_the_header_names_each_overlay_with_its_digest_and_check_sees_an_overlay_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec_with_server(tmp_path)
    overlay = _servers_overlay(tmp_path, "o.yaml", "https://a.example", "Alpha")
    out = tmp_path / "out"
    common = ("--spec", spec, "--out", out, "--overlay", overlay, *ARGS)
    assert run_cli("generate", *common) == 0
    digest = __import__("hashlib").sha256(overlay.read_bytes()).hexdigest()
    first_line = (out / "tiny_client" / "__init__.py").read_text(encoding="utf-8").splitlines()[0]
    assert f"with overlay o.yaml (sha256 {digest})." in first_line
    assert run_cli("check", *common) == 0
    _servers_overlay(tmp_path, "o.yaml", "https://a.example", "Gamma")
    capsys.readouterr()
    assert run_cli("check", *common) == 1
    assert "GAMMA" in capsys.readouterr().out


def test_a_bad_overlay_exits_2_and_leaves_the_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec_with_server(tmp_path)
    out = tmp_path / "out"
    assert run_cli("generate", "--spec", spec, "--out", out, *ARGS) == 0
    before = read_tree(out)
    bad = _overlay(tmp_path, {"target": "$..[", "update": {}}, name="bad.yaml")
    capsys.readouterr()
    assert run_cli("generate", "--spec", spec, "--out", out, "--overlay", bad, *ARGS) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:6:11 (at /actions/0/target): error: target '$..[' is not an RFC 9535" in err
    assert "nothing was written" in err
    assert read_tree(out) == before


def test_overlays_listed_in_the_config_apply_relative_to_the_project(tmp_path: Path) -> None:
    _spec_with_server(tmp_path)
    (tmp_path / "overlays").mkdir()
    _servers_overlay(tmp_path / "overlays", "o.yaml", "https://a.example", "Alpha")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.generator]\n"
        'spec = "openapi.yaml"\nout = "out"\npackage = "tiny_client"\n'
        'overlays = ["overlays/o.yaml"]\n',
        encoding="utf-8",
    )
    assert run_cli("generate", "--config", tmp_path / "pyproject.toml") == 0
    environment = (tmp_path / "out" / "tiny_client" / "environment.py").read_text(encoding="utf-8")
    assert 'ALPHA = "https://a.example"' in environment
    first_line = environment.splitlines()[0]
    assert "with overlay overlays/o.yaml (sha256 " in first_line


def test_overlays_in_the_config_must_be_a_list_of_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.generator]\noverlays = "o.yaml"\n', encoding="utf-8")
    assert run_cli("generate", "--config", config) == 2
    assert "overlays must be a list of file paths" in capsys.readouterr().err


# --- The shipped ElevenLabs overlay ---------------------------------------------------------------


def test_the_elevenlabs_overlay_gives_the_named_servers_and_the_api_key(tmp_path: Path) -> None:
    """Applied to the bundled spec (whose servers have no names); the full spec's end-to-end test
    applies it to the whole published API."""
    spec = tmp_path / "openapi.yaml"
    shutil.copy(REPO / "spec" / "openapi.yaml", spec)
    out = tmp_path / "out"
    code = run_cli(
        "generate", "--spec", spec, "--out", out, "--overlay", EXAMPLE,
        "--package", "el", "--config", "/nonexistent/pyproject.toml",
    )  # fmt: skip
    assert code == 0
    environment = (out / "el" / "environment.py").read_text(encoding="utf-8")
    assert [line.strip() for line in environment.splitlines() if " = " in line] == [
        'PRODUCTION = "https://api.elevenlabs.io"',
        'PRODUCTION_US = "https://api.us.elevenlabs.io"',
        'PRODUCTION_EU = "https://api.eu.residency.elevenlabs.io"',
        'PRODUCTION_INDIA = "https://api.in.residency.elevenlabs.io"',
    ]
    client = (out / "el" / "_client.py").read_text(encoding="utf-8")
    assert "api_key: str | None = None" in client
    assert 'parameter="xi-api-key"' in client and "key=secret(api_key" in client
    operation = (out / "el" / "_operations" / "get_signed_url.py").read_text(encoding="utf-8")
    assert 'security=(("ApiKeyAuth",),)' in operation
    operation = (out / "el" / "_operations" / "get_signed_url.py").read_text(encoding="utf-8")
    assert "xi-api-key" not in operation and "xi_api_key" not in operation
    probe = (
        "import httpx\n"
        "from el import Client\n"
        "def answer(request):\n"
        "    print(request.url.host, request.headers.get('xi-api-key'))\n"
        "    return httpx.Response(200, json={'signed_url': 'wss://x'})\n"
        "transport = httpx.Client(transport=httpx.MockTransport(answer))\n"
        "Client(api_key='k', httpx_client=transport).conversational_ai.conversations"
        ".get_signed_url(agent_id='a')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=out, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "api.elevenlabs.io k"

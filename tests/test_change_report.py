"""The change report: `generate` and `check` print what changed in the client's API surface
against the committed output, breaking changes marked; `--fail-on-breaking` exits 3."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from generator.emit import ChannelSurface, ParameterSurface, Surface
from generator.emit.surface import FILE, dumps, loads
from generator.output.changes import compare, relation
from generator.output.write import read_tree
from tests.support.generation import minimal_spec, run_cli, write_spec

ARGS = ("--package", "tiny_client", "--config", "/nonexistent/pyproject.toml")
THING = "/things/{thing_id}"


def _before() -> dict[str, Any]:
    """The committed spec: getThing, listThings (with an enum and a limit), Thing, Colour."""
    spec = minimal_spec()
    spec["paths"]["/things"] = {
        "get": {
            "operationId": "listThings",
            "tags": ["things"],
            "parameters": [
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["small", "large"]},
                },
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {"200": {"description": "OK"}},
        },
        "delete": {
            "operationId": "deleteThings",
            "tags": ["things"],
            "responses": {"204": {"description": "Gone"}},
        },
    }
    schemas = spec["components"]["schemas"]
    schemas["Thing"]["properties"]["colour"] = {"$ref": "#/components/schemas/Colour"}
    schemas["Thing"]["properties"]["label"] = {"type": "string"}
    schemas["Thing"]["required"] = ["id", "label"]
    schemas["Colour"] = {"type": "string", "enum": ["red", "green", "blue"]}
    schemas["Legacy"] = {"type": "object", "properties": {"x": {"type": "string"}}}
    return spec


def _after() -> dict[str, Any]:
    """Every kind of change at once, breaking and not."""
    spec = _before()
    paths = spec["paths"]
    del paths["/things"]["delete"]
    get_thing = paths[THING]["get"]
    get_thing["parameters"].append(
        {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    get_thing["responses"]["404"] = {"description": "No such thing"}
    list_things = paths["/things"]["get"]
    list_things["parameters"] = [
        {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["small", "huge"]}},
        {"name": "limit", "in": "query", "schema": {"type": ["integer", "string"]}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
    ]
    paths["/shapes"] = {
        "get": {
            "operationId": "listShapes",
            "tags": ["shapes"],
            "responses": {"200": {"description": "OK"}},
        }
    }
    schemas = spec["components"]["schemas"]
    del schemas["Legacy"]
    thing = schemas["Thing"]
    del thing["properties"]["size"]
    thing["properties"]["weight"] = {"type": "number"}
    thing["required"] = ["id"]
    schemas["Colour"]["enum"] = ["red", "blue", "violet"]
    return spec


def _generate(spec: dict[str, Any], folder: Path, *extra: str) -> int:
    return run_cli(
        "generate", "--spec", write_spec(folder, spec), "--out", folder / "out", *ARGS, *extra
    )


def _check(spec: dict[str, Any], folder: Path, *extra: str) -> int:
    return run_cli(
        "check", "--spec", write_spec(folder, spec), "--out", folder / "out", *ARGS, *extra
    )


EXPECTED = """\
API changes against the committed out/: 14 change(s), 7 breaking (marked !)
operations:
  + shapes.list_shapes: added (GET /shapes)
  ! things.delete_things: removed (was DELETE /things)
  ! things.get_thing: required parameter region added (str)
  ~ things.list_things: parameter limit widened: int | str (was int)
  + things.list_things: optional parameter cursor added (str)
models:
  ! Colour: enum value(s) 'green' removed
  ~ Colour: enum value(s) 'violet' added (not breaking: clients decode unknown values)
  ! Legacy: removed
  ! ListThingsKind: enum value(s) 'large' removed
  ~ ListThingsKind: enum value(s) 'huge' added (not breaking: requests may send more values)
  ! Thing: field size removed
  ! Thing: field label is now optional
  + Thing: optional field weight added (float | None)
errors:
  + NotFoundError: error class added (404)"""


def test_generate_reports_every_change_grouped_with_breaking_ones_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _generate(_before(), tmp_path) == 0
    capsys.readouterr()
    assert _generate(_after(), tmp_path) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == EXPECTED
    assert captured.out.startswith("validated ") and "wrote" in captured.out
    assert "huge" in (tmp_path / "out" / FILE).read_text()


def test_fail_on_breaking_exits_3_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(_before(), tmp_path)
    before = read_tree(tmp_path / "out")
    capsys.readouterr()
    assert _generate(_after(), tmp_path, "--fail-on-breaking") == 3
    captured = capsys.readouterr()
    assert captured.err.strip() == EXPECTED
    assert captured.out.strip().endswith("7 breaking change(s) to the API; nothing was written")
    assert read_tree(tmp_path / "out") == before


def test_fail_on_breaking_accepts_additions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(_before(), tmp_path)
    grown = _before()
    grown["paths"]["/shapes"] = {
        "get": {"operationId": "listShapes", "responses": {"200": {"description": "OK"}}}
    }
    capsys.readouterr()
    assert _generate(grown, tmp_path, "--fail-on-breaking") == 0
    assert capsys.readouterr().err.strip().splitlines() == [
        "API changes against the committed out/: 1 change(s), 0 breaking",
        "operations:",
        "  + list_shapes: added (GET /shapes)",
    ]


def test_check_prints_the_report_with_the_drift_and_exits_1_or_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(_before(), tmp_path)
    capsys.readouterr()
    assert _check(_after(), tmp_path) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == EXPECTED
    assert "DRIFT" in captured.out and "changed: surface.json" in captured.out
    assert _check(_after(), tmp_path, "--fail-on-breaking") == 3
    assert _check(_before(), tmp_path, "--fail-on-breaking") == 0


def test_nothing_is_reported_without_a_committed_output_or_without_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _generate(_before(), tmp_path, "--fail-on-breaking") == 0
    assert capsys.readouterr().err == ""
    assert _generate(_before(), tmp_path, "--fail-on-breaking") == 0
    assert capsys.readouterr().err == ""


def test_quiet_prints_only_the_breaking_changes_it_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(_before(), tmp_path)
    capsys.readouterr()
    assert _check(_after(), tmp_path, "--quiet") == 1
    assert capsys.readouterr().err == ""
    assert _check(_after(), tmp_path, "--quiet", "--fail-on-breaking") == 3
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0] == "API changes against the committed out/: 14 change(s), 7 breaking (marked !)"
    assert all(line.startswith("  ! ") for line in lines if line.startswith("  "))
    assert len([line for line in lines if line.startswith("  ")]) == 7


def test_an_unreadable_committed_surface_gives_a_note_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _generate(_before(), tmp_path)
    (tmp_path / "out" / FILE).write_text("{not json")
    capsys.readouterr()
    assert _generate(_after(), tmp_path, "--fail-on-breaking") == 0
    err = capsys.readouterr().err
    assert "note: the committed surface.json cannot be compared" in err
    assert "API changes" not in err


# --- Pairs of small specs, one kind of change each -----------------------------------------------


def _report(before: dict[str, Any], after: dict[str, Any], tmp_path: Path) -> list[str]:
    """The report lines (without the heading) from generating `before`, then `after`."""
    pair = Path(tempfile.mkdtemp(dir=tmp_path))
    old, new = pair / "old", pair / "new"
    for spec, folder in ((before, old), (after, new)):
        folder.mkdir()
        assert _generate(spec, folder) == 0
    report = compare(
        loads((old / "out" / FILE).read_text()), loads((new / "out" / FILE).read_text())
    )
    return [c.line().strip() for c in report.changes]


def _with_body(schema: dict[str, Any]) -> dict[str, Any]:
    """A spec whose only operation takes a `Thing` inside its JSON body: Thing is a request model."""
    spec = minimal_spec()
    spec["components"]["schemas"]["Thing"] = schema
    body = {
        "type": "object",
        "properties": {"thing": {"$ref": "#/components/schemas/Thing"}},
        "required": ["thing"],
    }
    spec["paths"] = {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": body}},
                },
                "responses": {"204": {"description": "Created"}},
            }
        }
    }
    return spec


def test_a_parameter_that_becomes_required_is_breaking(tmp_path: Path) -> None:
    after = minimal_spec()
    after["paths"][THING]["get"]["parameters"][1]["required"] = True
    assert _report(minimal_spec(), after, tmp_path) == [
        "! things.get_thing: parameter verbose is now required"
    ]


def test_a_narrowed_parameter_type_is_breaking_a_widened_one_is_not(tmp_path: Path) -> None:
    wide = minimal_spec()
    wide["paths"][THING]["get"]["parameters"][1]["schema"] = {"type": ["boolean", "string"]}
    assert _report(wide, minimal_spec(), tmp_path) == [
        "! things.get_thing: parameter verbose narrowed: bool (was bool | str)"
    ]
    assert _report(minimal_spec(), wide, tmp_path) == [
        "~ things.get_thing: parameter verbose widened: bool | str (was bool)"
    ]


def test_a_parameter_moved_out_of_the_path_is_breaking(tmp_path: Path) -> None:
    after = minimal_spec()
    after["paths"]["/things"] = after["paths"].pop(THING)
    after["paths"]["/things"]["get"]["parameters"][0]["in"] = "query"
    assert _report(minimal_spec(), after, tmp_path) == [
        "~ things.get_thing: now GET /things (was GET /things/{thing_id})",
        "! things.get_thing: parameter thing_id moved from path to query",
    ]


def test_a_result_that_may_now_be_none_is_breaking_a_narrowed_result_is_not(
    tmp_path: Path,
) -> None:
    nullable = minimal_spec()
    ok = nullable["paths"][THING]["get"]["responses"]["200"]["content"]["application/json"]
    ok["schema"] = {"anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]}
    assert _report(minimal_spec(), nullable, tmp_path) == [
        "! things.get_thing: result widened: Thing | None (was Thing)"
    ]
    assert _report(nullable, minimal_spec(), tmp_path) == [
        "~ things.get_thing: result narrowed: Thing (was Thing | None)"
    ]


def test_request_models_break_on_new_required_fields_response_models_on_optional_ones(
    tmp_path: Path,
) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    grown = copy.deepcopy(base)
    grown["properties"]["name"] = {"type": "string"}
    grown["required"] = ["id", "name"]
    assert _report(_with_body(base), _with_body(grown), tmp_path) == [
        "! Thing: required field name added (str)"
    ]
    # Thing only as a response: a new required field is fine, a field turning optional is not.
    assert _report(
        minimal_spec(components={"schemas": {"Thing": base}}),
        minimal_spec(components={"schemas": {"Thing": grown}}),
        tmp_path,
    ) == ["+ Thing: required field name added (str)"]
    loosened = copy.deepcopy(base)
    loosened["required"] = []
    assert _report(
        minimal_spec(components={"schemas": {"Thing": base}}),
        minimal_spec(components={"schemas": {"Thing": loosened}}),
        tmp_path,
    ) == ["! Thing: field id is now optional"]


def test_the_surface_file_is_part_of_the_output_and_lists_every_operation_and_model(
    tmp_path: Path,
) -> None:
    _generate(_before(), tmp_path)
    data = json.loads((tmp_path / "out" / FILE).read_text())
    assert list(data) == ["comment", "version", "operations", "models", "errors", "environments"]
    assert data["operations"]["things.get_thing"] == {
        "method": "GET",
        "path": THING,
        "parameters": [
            {"name": "thing_id", "in": "path", "required": True, "type": "str"},
            {"name": "verbose", "in": "query", "required": False, "type": "bool"},
        ],
        "result": "Thing",
    }
    assert data["models"]["Colour"] == {
        "type": "Literal['red', 'green', 'blue']",
        "used_in": ["response"],
    }
    assert data["models"]["Thing"]["fields"][0] == {"name": "id", "type": "str", "required": True}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("str", "str", "same"),
        ("str | int", "int | str", "same"),
        ("str", "str | None", "widened"),
        ("str | int", "str", "narrowed"),
        ("Literal['a', 'b']", "Literal['a']", "narrowed"),
        ("Literal['a']", "str", "widened"),
        ("int", "float", "widened"),
        ("list[str]", "list[str | int]", "widened"),
        ("dict[str, Any]", "dict[str, int]", "narrowed"),
        ("Any", "str", "narrowed"),
        ("Thing", "Other", "changed"),
        ("list[str]", "str", "changed"),
    ],
)
def test_type_relations(old: str, new: str, expected: str) -> None:
    assert relation(old, new) == expected


# --- Channels ------------------------------------------------------------------------------------


def _surface(**channel: Any) -> Surface:
    fields: dict[str, Any] = {
        "name": "rooms.connect",
        "address": "/v1/rooms",
        "parameters": (ParameterSurface("room_id", "query", True, "str"),),
        "sends": ("Hello", "Pong"),
        "receives": ("Welcome", "Ping"),
        "servers": ("wss://api.example.com",),
    }
    fields.update(channel)
    return Surface((), (), (), (), (ChannelSurface(**fields),))


def _channel_lines(old: Surface, new: Surface) -> list[tuple[str, bool]]:
    return [(c.text, c.breaking) for c in compare(old, new).changes if c.section == "channels"]


def test_a_channel_removed_is_breaking_one_added_is_not() -> None:
    one = _surface()
    none = Surface((), (), (), (), ())
    assert _channel_lines(one, none) == [("removed (was /v1/rooms)", True)]
    assert _channel_lines(none, one) == [("added (/v1/rooms)", False)]


def test_a_required_channel_argument_added_is_breaking() -> None:
    more = (*_surface().channels[0].parameters, ParameterSurface("token", "query", True, "str"))
    assert _channel_lines(_surface(), _surface(parameters=more)) == [
        ("required argument token added (str)", True)
    ]


def test_a_client_message_removed_is_breaking_a_server_message_removed_is_not() -> None:
    assert _channel_lines(_surface(), _surface(sends=("Hello",))) == [
        ("client message Pong removed", True)
    ]
    assert _channel_lines(_surface(), _surface(receives=("Welcome",))) == [
        ("server message Ping removed", False)
    ]


def test_the_channels_of_a_surface_survive_its_json() -> None:
    surface = _surface()
    assert loads(dumps(surface, "comment")).channels == surface.channels

"""The generated code as code: docstrings numpydoc can read (every variant documenting what it
returns), signature types that keep the schema's format, inline enums named once in models/,
and imports that ruff finds used and sorted."""

from __future__ import annotations

import ast
import datetime
import inspect
import re
import subprocess
import sys
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from numpydoc.docscrape import NumpyDocString

from generator.config import load_config
from generator.pipeline import generate
from tests.support.generation import config_for, minimal_spec, write_spec
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

ERRORS = {"404": json_response(ref("Problem"), "Not found")}
FORMATS = "Output format.\n\nOne of:\n- mp3_44100: MP3\n- pcm_16000: PCM\n\nDefaults to mp3_44100."

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Code", "version": "1"},
    "paths": {
        "/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["things"],
                "summary": "Get a thing",
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "description": "The thing's id.\nAs returned by list.",
                        "schema": {"type": "string", "format": "uuid"},
                    },
                    {
                        "name": "output_format",
                        "in": "query",
                        "description": FORMATS,
                        "schema": {"type": "string", "enum": ["mp3_44100", "pcm_16000"]},
                    },
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    {"name": "on", "in": "query", "schema": {"type": "string", "format": "date"}},
                ],
                "responses": {
                    "200": json_response(ref("Thing"), "The thing.\nWith its size."),
                    **ERRORS,
                },
            },
            "put": {
                "operationId": "putThing",
                "tags": ["things"],
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "output_format",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["mp3_44100", "pcm_16000"]},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["colour"],
                                "properties": {
                                    "colour": {
                                        "type": "string",
                                        "enum": ["red", "green"],
                                        "description": "Its colour.\n\nRed or green.",
                                    },
                                    "size": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": json_response(ref("Thing")), **ERRORS},
            },
        },
        "/things/{thing_id}/audio": {
            "get": {
                "operationId": "getAudio",
                "tags": ["things"],
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The audio.",
                        "content": {
                            "audio/mpeg": {"schema": {"type": "string", "format": "binary"}}
                        },
                    }
                },
            }
        },
        "/people": {
            "get": {
                "operationId": "listPeople",
                "tags": ["people"],
                "parameters": [
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["asc", "desc"]},
                    }
                ],
                "responses": {"200": json_response({"type": "array", "items": ref("Thing")})},
            }
        },
        "/voices/settings": {
            "get": {
                "operationId": "getVoiceSettings",
                "x-fern-sdk-group-name": ["voices", "settings"],
                "responses": {
                    "200": json_response({"oneOf": [ref("Gpt2Request"), ref("Gpt15Request")]})
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "created": {"type": "string", "format": "date-time"},
                    "kind": {"type": "string", "enum": ["big", "small"]},
                },
            },
            "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}},
            "Gpt2Request": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Gpt15Request": {"type": "object", "properties": {"b": {"type": "string"}}},
        }
    },
}


@pytest.fixture(scope="module")
def code(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("code"), SPEC, "gen_code")


def things(code: Generated, name: str = "ThingsClient") -> Any:
    return getattr(code.load("resources.things.client"), name)


def numpydoc(method: Callable[..., Any]) -> NumpyDocString:
    doc = inspect.getdoc(method)
    assert doc is not None
    return NumpyDocString(doc)


def test_a_description_of_several_lines_stays_inside_its_parameter_entry(code: Generated) -> None:
    doc = numpydoc(things(code).get_thing)
    signature = [p for p in inspect.signature(things(code).get_thing).parameters if p != "self"]
    assert [p.name for p in doc["Parameters"]] == signature
    by_name = {p.name: p.desc for p in doc["Parameters"]}
    assert by_name["thing_id"] == ["The thing's id.", "As returned by list."]
    assert by_name["output_format"] == FORMATS.split("\n")


def test_a_body_field_description_of_several_lines_stays_inside_its_entry(code: Generated) -> None:
    doc = numpydoc(things(code).put_thing)
    by_name = {p.name: p.desc for p in doc["Parameters"]}
    assert by_name["colour"] == ["Its colour.", "", "Red or green."]
    assert by_name["size"] == ["(undocumented)"]


def test_returns_and_raises_are_documented_sections(code: Generated) -> None:
    doc = numpydoc(things(code).get_thing)
    [returns] = doc["Returns"]
    assert (returns.type, returns.desc) == ("Thing", ["The thing.", "With its size."])
    assert [(r.type, r.desc) for r in doc["Raises"]] == [("NotFoundError", ["HTTP 404: Not found"])]


@pytest.mark.parametrize("cls", ["RawThingsClient", "AsyncRawThingsClient"])
def test_the_raw_variant_documents_that_it_returns_a_raw_response(
    code: Generated, cls: str
) -> None:
    [returns] = numpydoc(things(code, cls).get_thing)["Returns"]
    assert returns.type == "RawResponse[Thing]"
    assert returns.desc[0].startswith("The status code, headers and parsed body")


@pytest.mark.parametrize(
    ("cls", "returned"),
    [
        ("StreamingThingsClient", "Iterator[bytes]"),
        ("AsyncStreamingThingsClient", "AsyncIterator[bytes]"),
    ],
)
def test_the_streaming_variant_documents_the_chunks_it_yields(
    code: Generated, cls: str, returned: str
) -> None:
    [returns] = numpydoc(things(code, cls).get_audio)["Returns"]
    assert (returns.type, returns.desc) == (
        returned,
        ["The response body in chunks as they arrive."],
    )


def test_the_imports_are_used_and_sorted_as_ruff_sorts_them(code: Generated) -> None:
    # The client has no operations of its own, the group voices only a subgroup: neither uses
    # the transport or RequestOptions. The runtime is linted where it is written (make lint).
    package = code.out / code.package
    files = [
        str(path.relative_to(code.out))
        for path in sorted(package.rglob("*.py"))
        if path.parent.name != "_runtime"
    ]
    assert any("/models/" in f and not f.endswith("__init__.py") for f in files)
    run = subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache"),
            *("--select", "F401,I", *files),
        ],
        cwd=code.out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


USAGE = """
import datetime
import uuid

from gen_code import AsyncTiny, Tiny
from gen_code.models import Thing


def use(client: Tiny, thing: Thing) -> None:
    when: datetime.datetime | None = thing.created
    client.things.get_thing(uuid.uuid4(), since=when, on=datetime.date(2024, 1, 2))
    client.things.get_thing(thing.id, output_format="pcm_16000")


async def use_async(client: AsyncTiny) -> None:
    await client.things.put_thing("t", colour="red")
"""


def test_the_package_and_code_passing_model_values_to_parameters_pass_mypy_strict(
    code: Generated,
) -> None:
    assert code.mypy(USAGE) == ""


def test_a_formatted_string_parameter_has_its_format_s_type_in_the_signature(
    code: Generated,
) -> None:
    parameters = inspect.signature(things(code).get_thing).parameters
    assert parameters["thing_id"].annotation == "uuid.UUID"
    assert parameters["since"].annotation == "datetime.datetime | None"
    assert parameters["on"].annotation == "datetime.date | None"
    by_name = {p.name: p.type for p in numpydoc(things(code).get_thing)["Parameters"]}
    assert by_name["since"] == "datetime.datetime | None"


def test_formatted_and_enum_values_are_sent_as_their_iso_text(
    code: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"id": "6b3c1c1e-7e4b-4c57-9d51-2d9f7f1a3a10"})
    thing_id = uuid.UUID("6b3c1c1e-7e4b-4c57-9d51-2d9f7f1a3a10")
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    with code.module.Tiny(api_key="k", base_url=loopback.url) as client:
        thing = client.things.get_thing(
            thing_id, output_format="pcm_16000", since=when, on=datetime.date(2024, 1, 2)
        )
    sent = loopback.requests[0]
    assert sent.path == f"/things/{thing_id}"
    assert sent.query == [
        ("output_format", "pcm_16000"),
        ("since", "2024-01-02T03:04:05+00:00"),
        ("on", "2024-01-02"),
    ]
    assert thing.id == thing_id


@pytest.mark.parametrize(
    ("group", "method", "argument", "alias", "values"),
    [
        (
            "things",
            "get_thing",
            "output_format",
            "GetThingOutputFormat",
            "'mp3_44100', 'pcm_16000'",
        ),
        (
            "things",
            "put_thing",
            "output_format",
            "PutThingOutputFormat",
            "'mp3_44100', 'pcm_16000'",
        ),
        ("things", "put_thing", "colour", "PutThingColour", "'red', 'green'"),
        ("people", "list_people", "sort", "ListPeopleSort", "'asc', 'desc'"),
    ],
)
def test_an_inline_enum_is_a_model_alias_named_after_its_operation_and_argument(
    code: Generated, group: str, method: str, argument: str, alias: str, values: str
) -> None:
    client = getattr(code.load(f"resources.{group}.client"), f"{group.title()}Client")
    annotation = inspect.signature(getattr(client, method)).parameters[argument].annotation
    assert annotation.split(" | ")[0] == alias
    documented = {p.name: p.type for p in numpydoc(getattr(client, method))["Parameters"]}
    assert documented[argument] == annotation
    assert f"Literal[{values}]" in str(getattr(code.load("models"), alias).__value__)


def test_no_enum_is_written_out_in_a_client_module(code: Generated) -> None:
    for group in ("things", "people"):
        assert "Literal[" not in code.file(f"resources/{group}/client.py")


def test_every_third_party_module_the_code_imports_is_a_declared_dependency(
    code: Generated,
) -> None:
    project = tomllib.loads((code.out / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["realtime"]]
    declared = {
        re.split(r"[<>=!~ ;\[]", requirement)[0].lower().replace("-", "_")
        for requirement in requirements
    }
    imported: set[str] = set()
    for path in (code.out / code.package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"__future__", code.package}
    assert "typing_extensions" in third_party
    assert third_party <= declared


def test_the_header_says_how_the_output_is_regenerated(code: Generated) -> None:
    first = code.file("_client.py").splitlines()[0]
    assert first.endswith("Do not edit: regenerate with `python -m generator generate`.")
    assert "make generate" not in first


def test_the_regenerate_command_is_a_setting_of_tool_generator(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.generator]\nregenerate_command = "tox -e client\\nimport os"\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.regenerate_command == "tox -e client\nimport os"
    spec = write_spec(tmp_path, minimal_spec())
    generate(config_for(spec, tmp_path / "out", regenerate_command=config.regenerate_command))
    header = (tmp_path / "out" / "tiny_client" / "_client.py").read_text().splitlines()[0]
    assert header.endswith("regenerate with `tox -e client import os`."), "one comment line"

"""The generated README.md: every Python example in it runs, sync and async, against a loopback
server that answers like the API would, and calls the operation its section documents."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.api import Api, build_api
from generator.config import Config, load_config
from generator.pipeline import generate
from generator.spec import load_spec, normalize
from tests.support.generation import REPO, config_for, write_spec
from tests.support.loopback import LoopbackServer
from tests.support.samples import Responder

_FENCE = re.compile(r"^(`{3,})(\w*)\s*$")
REALTIME_SECTION = "Real-time conversations"


def blocks(readme: str) -> Iterator[tuple[str, str, str]]:
    """(## section, ### heading, code) of every ```python block."""
    section = heading = ""
    lines = iter(readme.splitlines())
    for line in lines:
        if line.startswith("## "):
            section, heading = line[3:].strip(), ""
        elif line.startswith("### "):
            heading = line[4:].strip()
        fence = _FENCE.match(line)
        if fence is None:
            continue
        body = []
        for inner in lines:
            if inner.startswith(fence.group(1)) and not inner.strip("`").strip():
                break
            body.append(inner)
        if fence.group(2) == "python":
            yield section, heading, "\n".join(body)


def _prose(readme: str) -> str:
    """The README without its fenced code blocks."""
    kept, fence = [], ""
    for line in readme.splitlines():
        match = _FENCE.match(line)
        if not fence and match:
            fence = match.group(1)
        elif fence and line.startswith(fence) and not line.strip("`").strip():
            fence = ""
        elif not fence:
            kept.append(line)
    return "\n".join(kept)


def pointed_at(code: str, url: str, clients: tuple[str, ...]) -> str:
    """The example with every client created against `url` (as a reader would for a proxy)."""
    code = re.sub(r'base_url="[^"]*"', f"base_url={url!r}", code)
    for cls in clients:
        code = re.sub(rf"\b{cls}\((?![^)]*base_url=)", f"{cls}(base_url={url!r}, ", code)
    return code


def _api(config: Config) -> tuple[Api, dict[str, Any]]:
    source = load_spec(config.spec, display=config.spec.name, max_bytes=config.max_spec_bytes)
    document = normalize(source.data).document
    built = build_api(document, config)
    assert not built.problems
    return built.api, document


def run_examples(
    readme: str, config: Config, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> dict[str, int]:
    """Run every example; returns how many ran per section. Reference examples must each make
    exactly one request, to the operation of their heading."""
    api, document = _api(config)
    responder = Responder(api.operations, document)
    server.answer_with(responder)
    clients = (config.client, config.async_client)
    ran: dict[str, int] = {}
    for section, heading, code in blocks(readme):
        if (
            section == REALTIME_SECTION
        ):  # needs a WebSocket server: tests/test_generated_realtime.py
            continue
        if section == "Errors":
            server.respond(404, json={"detail": "not found"})
        before = len(server.requests)
        program = pointed_at(code, server.url, clients)
        exec(compile(program, f"README.md ({section}: {heading})", "exec"), {"__name__": "example"})
        requests = server.requests[before:]
        if section == "Reference":
            assert len(requests) == 1, (heading, requests)
            op = responder.operation_for(requests[0])
            assert op is not None
            assert heading == "client." + ".".join((*op.groups, op.method_name))
        ran[section] = ran.get(section, 0) + 1
    return ran


def test_every_example_of_the_committed_readme_runs(
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.syspath_prepend(str(REPO / "generated"))
    monkeypatch.chdir(tmp_path)
    config = load_config(REPO / "pyproject.toml")
    readme = (REPO / "generated" / "README.md").read_text(encoding="utf-8")
    ran = run_examples(readme, config, loopback, monkeypatch)
    surface = json.loads((REPO / "generated" / "surface.json").read_text())
    assert ran == {
        "Usage": 1,
        "Environments": 1,
        "Errors": 1,
        "Retries": 1,
        "Timeouts": 1,
        "Async": 1,
        "Raw responses": 1,
        "Request hooks and logging": 1,
        "Identification headers": 1,
        "Reference": 2 * len(surface["operations"]),
    }
    printed = capsys.readouterr().out
    assert "signed_url='x'" in printed  # the parsed model, printed by the examples
    assert "attempt 1 GET /v1/convai/conversation/get-signed-url" in printed  # the hook ran
    assert "404 {'detail': 'not found'}" in printed  # the Errors example caught the error


# A spec with one of each: path, query, header parameters; enums; a nested model in a JSON body;
# multipart with a file; a form body; a whole (array) body; binary, text, SSE, JSON-lines and
# empty results; a root operation; nested groups; a deprecated operation; two servers.
DEMO: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pet Store", "version": "2.0", "description": "Pets | and | owners."},
    "servers": [
        {"url": "https://api.pets.test", "x-fern-server-name": "Production"},
        {"url": "https://sandbox.pets.test", "x-fern-server-name": "Sandbox"},
    ],
    "paths": {
        "/health": {
            "get": {
                "operationId": "health",
                "summary": "Is the service up",
                "responses": {
                    "200": {"description": "OK", "content": {"text/plain": {"schema": {}}}}
                },
            }
        },
        "/pets/{pet_id}": {
            "get": {
                "operationId": "getPet",
                "tags": ["pets"],
                "summary": "Get a pet",
                "description": "Looks a pet up.\n\n```\nnot a fence\n<!-- not a comment",
                "parameters": [
                    {
                        "name": "pet_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Kind"},
                    },
                    {
                        "name": "X-Trace",
                        "in": "header",
                        "required": True,
                        "description": "a | pipe",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The pet",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "404": {"description": "No such pet"},
                },
            },
            "delete": {
                "operationId": "deletePet",
                "tags": ["pets"],
                "deprecated": True,
                "parameters": [
                    {
                        "name": "pet_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {"204": {"description": "Gone"}},
            },
        },
        "/pets": {
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        },
        "/pets/{pet_id}/photo": {
            "put": {
                "operationId": "uploadPhoto",
                "tags": ["pets"],
                "parameters": [
                    {
                        "name": "pet_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file", "caption"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "caption": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "Stored"}},
            },
            "get": {
                "operationId": "getPhoto",
                "tags": ["pets"],
                "parameters": [
                    {
                        "name": "pet_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The photo",
                        "content": {
                            "image/png": {"schema": {"type": "string", "format": "binary"}}
                        },
                    }
                },
                "x-fern-streaming": True,
            },
        },
        "/pets/batch": {
            "post": {
                "operationId": "createPets",
                "tags": ["pets"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/NewPet"},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Created",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/events": {
            "get": {
                "operationId": "watchEvents",
                "tags": ["events"],
                "responses": {
                    "200": {
                        "description": "Events",
                        "content": {
                            "text/event-stream": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        },
        "/export": {
            "get": {
                "operationId": "exportPets",
                "x-fern-sdk-group-name": ["admin", "exports"],
                "x-fern-sdk-method-name": "pets",
                "x-fern-streaming": True,
                "responses": {
                    "200": {
                        "description": "One pet per line",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    }
                },
            }
        },
        "/login": {
            "post": {
                "operationId": "login",
                "tags": ["auth"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["user", "remember"],
                                "properties": {
                                    "user": {"type": "string"},
                                    "remember": {"type": "boolean"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "A session",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["token"],
                                    "properties": {"token": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Kind": {"type": "string", "enum": ["cat", "dog"]},
            "Owner": {
                "type": "object",
                "required": ["name", "since"],
                "properties": {
                    "name": {"type": "string"},
                    "since": {"type": "string", "format": "date-time"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name", "kind", "owner", "tag-list"],
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                    "tag-list": {"type": "array", "items": {"type": "string"}},
                    "age": {"type": "integer"},
                },
            },
            "Pet": {
                "type": "object",
                "required": ["id", "name", "kind"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
        }
    },
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, str]:
    folder = tmp_path_factory.mktemp("readme_demo")
    config = config_for(write_spec(folder, DEMO), folder / "out", package="readme_demo")
    generate(config)
    return config, (folder / "out" / "README.md").read_text(encoding="utf-8")


@pytest.mark.filterwarnings("ignore:delete_pet is deprecated by the API:DeprecationWarning")
def test_every_example_of_a_multi_feature_readme_runs(
    demo: tuple[Config, str],
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config, readme = demo
    monkeypatch.syspath_prepend(str(config.out))
    monkeypatch.chdir(tmp_path)
    ran = run_examples(readme, config, loopback, monkeypatch)
    assert ran["Reference"] == 2 * 10
    assert {
        "Usage",
        "Environments",
        "Errors",
        "Retries",
        "Timeouts",
        "Async",
        "Raw responses",
    } <= set(ran)
    printed = capsys.readouterr().out
    assert "token='x'" in printed
    assert (tmp_path / "output.bin").read_bytes() == b"\x00\x01bytes"
    uploads = [r for r in loopback.requests if r.method == "PUT"]
    assert len(uploads) == 2 and b'filename="' in uploads[0].body
    assert all(r.header("x-api-key") == "YOUR_API_KEY" for r in loopback.requests)


def test_the_reference_documents_every_operation_parameter_and_error(
    demo: tuple[Config, str],
) -> None:
    config, readme = demo
    surface = json.loads((config.out / "surface.json").read_text())
    for name, op in surface["operations"].items():
        section = readme.split(f"\n### client.{name}\n", 1)[1].split("\n### ", 1)[0]
        assert f"`{op['method']} {op['path']}`" in section
        for p in op["parameters"]:
            assert f"| `{p['name']}` | {p['in']} |" in section, (name, p)
        assert f"Returns `{op['result'].replace('|', chr(92) + '|')}`" in section
        assert section.count("```python") == 2
    get_pet = readme.split("\n### client.pets.get_pet\n", 1)[1].split("\n### ", 1)[0]
    assert "| 404 | `NotFoundError` | No such pet |" in get_pet
    assert "| `x_trace` | header | `str` | yes | a \\| pipe |" in get_pet
    assert "`DELETE /pets/{pet_id}` — **deprecated**" in readme
    assert "| `SANDBOX` | https://sandbox.pets.test |" in readme


def test_spec_text_cannot_open_a_fence_or_a_comment(demo: tuple[Config, str]) -> None:
    _, readme = demo
    assert readme.count("<!--") == 1 and readme.startswith("<!-- Generated by ")
    assert "\n\\```\nnot a fence" in readme
    assert "Pets \\| and \\| owners." not in readme  # a paragraph, not a table cell
    assert "Pets | and | owners." in readme


def test_hostile_spec_text_stays_out_of_the_examples_and_the_structure(tmp_path: Path) -> None:
    evil = "```\nimport os  # -->\n<!-- | `x` ```python\nraise SystemExit"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": evil, "version": "1", "description": evil},
        "servers": [{"url": "https://x.test", "description": evil}],
        "paths": {
            "/a/{id}": {
                "post": {
                    "operationId": "doIt",
                    "tags": ["things"],
                    "summary": evil,
                    "description": evil,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "description": evil,
                            "schema": {"type": "string", "enum": [evil, "b"]},
                        },
                        {
                            "name": "mode",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "enum": ["```", "'\"'"]},
                        },
                    ],
                    "responses": {"200": {"description": evil}, "404": {"description": evil}},
                }
            }
        },
    }
    out = tmp_path / "out"
    generate(config_for(write_spec(tmp_path, spec), out, package="evil_client"))
    readme = (out / "README.md").read_text(encoding="utf-8")
    # Outside code blocks and code spans (where it is text), only the header opens a comment.
    prose = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", _prose(readme))
    assert prose.count("<!--") == 1 and prose.startswith("<!-- Generated by ")
    found = list(blocks(readme))
    # Usage, Environments, Errors, Retries, Timeouts, Async, Raw responses, hooks, identification
    # headers, and the operation's two.
    assert [section for section, _, _ in found] == [
        "Usage",
        "Environments",
        "Errors",
        "Retries",
        "Timeouts",
        "Async",
        "Raw responses",
        "Request hooks and logging",
        "Identification headers",
        "Reference",
        "Reference",
    ]
    for _, _, code in found:
        tree = ast.parse(code)
        assert "SystemExit" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not any(isinstance(n, ast.Raise) for n in ast.walk(tree))
    reference = readme.split("\n### client.things.do_it\n", 1)[1]
    assert reference.count("\n| `") == 3  # the rows of id, mode and request_options
    assert reference.count("\n| 404 | `NotFoundError` | ") == 1

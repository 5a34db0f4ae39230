"""A request body offered in several media types, from a small inline spec end to end (generate,
import, mypy, call a loopback server): the caller picks JSON, urlencoded or multipart with a
`content_type` argument, each sent from the same arguments with its own `encoding`; differing
schemas keep the preferred media type and the warning; a binary body takes a file or a path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.test_bodies import parts
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

OK = json_response({"type": "object"})
ADDRESS = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
}
THING = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "address": ADDRESS,
    },
}


def _post(operation_id: str, content: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"required": True, "content": content},
            "responses": {"200": OK},
            **more,
        }
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Body choice", "version": "1"},
    "paths": {
        "/things": _post(
            "createThing",
            {
                "application/json": {"schema": ref("Thing")},
                "application/x-www-form-urlencoded": {
                    "schema": ref("Thing"),
                    "encoding": {"address": {"style": "deepObject", "explode": True}},
                },
                "multipart/form-data": {
                    "schema": ref("Thing"),
                    "encoding": {"address": {"contentType": "application/vnd.address+json"}},
                },
            },
        ),
        # A parameter already named content_type: the choice takes another name.
        "/labels": _post(
            "createLabel",
            {
                "application/json": {"schema": ref("Thing")},
                "application/x-www-form-urlencoded": {"schema": ref("Thing")},
            },
            parameters=[{"name": "content_type", "in": "query", "schema": {"type": "string"}}],
        ),
        # Schemas that differ: JSON only, as before, with the warning.
        "/notes": _post(
            "createNote",
            {
                "application/json": {"schema": ref("Thing")},
                "application/x-www-form-urlencoded": {"schema": ADDRESS},
            },
        ),
        "/blobs": {
            "put": {
                "operationId": "putBlob",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {"200": OK},
            }
        },
    },
    "components": {"schemas": {"Thing": THING}},
}

USAGE = """
from pathlib import Path

from feat_body_choice import Tiny

client = Tiny(base_url="http://127.0.0.1:9")
client.create_thing(name="a", address={"city": "x"})
client.create_thing(name="a", content_type="application/json")
client.create_thing(name="a", tags=["t"], content_type="application/x-www-form-urlencoded")
client.create_thing(name="a", content_type="multipart/form-data")
client.create_label(name="a", content_type="q", content_type_2="application/x-www-form-urlencoded")
client.put_blob(request=b"bytes")
client.put_blob(request=Path("blob.bin"))
with open("blob.bin", "rb") as file:
    client.put_blob(request=file)
"""

USAGE_WRONG = """
from feat_body_choice import Tiny

client = Tiny(base_url="http://127.0.0.1:9")
client.create_thing(name="a", content_type="text/plain")
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    folder = tmp_path_factory.mktemp("body_choice")
    return generate_package(request, folder, SPEC, "feat_body_choice", auth=None)


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_a_media_type_not_offered_is_a_type_error(generated: Generated) -> None:
    assert 'Argument "content_type"' in generated.mypy(USAGE_WRONG)


def test_json_is_the_default(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.create_thing(name="a", tags=["t", "u"], address={"city": "Paris"})
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/json"
    assert sent.body == b'{"name":"a","tags":["t","u"],"address":{"city":"Paris"}}'


def test_urlencoded_with_its_encoding(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.create_thing(
        name="a",
        tags=["t", "u"],
        address={"city": "Paris", "zip": "75001"},
        content_type="application/x-www-form-urlencoded",
    )
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/x-www-form-urlencoded"
    assert sent.body == b"name=a&tags=t&tags=u&address%5Bcity%5D=Paris&address%5Bzip%5D=75001"


def test_multipart_with_its_encoding(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.create_thing(
        name="a",
        tags=["t", "u"],
        address={"city": "Paris"},
        content_type="multipart/form-data",
    )
    sent = loopback.requests[0]
    assert (sent.header("content-type") or "").startswith("multipart/form-data; boundary=")
    assert parts(sent) == [
        ("name", None, "text/plain", b"a"),
        ("tags", None, "text/plain", b"t"),
        ("tags", None, "text/plain", b"u"),
        ("address", None, "application/vnd.address+json", b'{"city":"Paris"}'),
    ]


def test_the_choice_is_named_apart_from_parameters(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.create_label(
        name="a", content_type="q", content_type_2="application/x-www-form-urlencoded"
    )
    sent = loopback.requests[0]
    assert sent.query == [("content_type", "q")]
    assert (sent.header("content-type"), sent.body) == (
        "application/x-www-form-urlencoded",
        b"name=a",
    )


def test_request_shape_and_docstring(generated: Generated) -> None:
    module = generated.file("_operations/create_thing.py")
    assert (
        "    content_type: Literal[\n"
        '        "application/json", "application/x-www-form-urlencoded", "multipart/form-data"\n'
        '    ] = "application/json",\n'
    ) in module
    assert 'if content_type == "application/x-www-form-urlencoded":' in module
    assert '("address", Styled(address, "deepObject")),' in module
    assert '("address", Part(address, "application/vnd.address+json")),' in module
    client = generated.file("_client.py")
    assert "        content_type : Literal[" in client
    assert "The media type the body is sent as, from the same arguments" in client


def test_the_warning_stays_only_where_schemas_differ(generated: Generated) -> None:
    warned = [n for n in generated.notes if "the request body is sent as" in n]
    assert len(warned) == 1, generated.notes
    assert "/paths/~1notes/post/requestBody/content" in warned[0]
    assert "application/json only; not offered: application/x-www-form-urlencoded" in warned[0]
    note = generated.file("_operations/create_note.py")
    assert "content_type" not in note
    assert 'json={"name": name, "tags": tags, "address": address},' in note


def test_a_binary_body_takes_a_file_object_and_a_path(
    client: Any, loopback: LoopbackServer, tmp_path: Path
) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01binary")
    loopback.respond(json={})
    loopback.respond(json={})
    with blob.open("rb") as file:
        client.put_blob(request=file)
    client.put_blob(request=blob)
    for sent in loopback.requests:
        assert sent.header("content-type") == "application/octet-stream"
        assert sent.body == b"\x00\x01binary"

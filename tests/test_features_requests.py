"""Requests from a small inline spec, end to end (generate, import, mypy, call a loopback server):
parameters in path, query, header and cookie; JSON, multipart (files of every kind, repeated
fields), urlencoded and raw bodies; deprecated parameters."""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.test_bodies import parts
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

OK = json_response(ref("Echo"))

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Requests", "version": "1"},
    "paths": {
        "/items/{item_id}/parts/{part}": {
            "get": {
                "operationId": "getItem",
                "tags": ["items"],
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "part", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "tags",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                    {
                        "name": "legacy",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "integer"},
                    },
                    {"name": "X-Trace-Id", "in": "header", "schema": {"type": "string"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"name": "x-api-key", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": OK},
            }
        },
        "/items": {
            "post": {
                "operationId": "createItem",
                "tags": ["items"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "size": {"type": "integer"},
                                    "labels": {"type": "array", "items": {"type": "string"}},
                                    "meta": ref("Meta"),
                                    "id": {"type": "string", "readOnly": True},
                                    "old_name": {"type": "string", "deprecated": True},
                                },
                            }
                        }
                    },
                },
                "responses": {"201": OK},
            }
        },
        "/uploads": {
            "post": {
                "operationId": "upload",
                "tags": ["files"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": ref("Body_upload_uploads_post"),
                        }
                    },
                },
                "responses": {"200": OK},
            }
        },
        "/forms": {
            "post": {
                "operationId": "submitForm",
                "tags": ["files"],
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "a": {"type": "string"},
                                    "n": {"type": "integer"},
                                    "many": {"type": "array", "items": {"type": "string"}},
                                },
                            }
                        }
                    }
                },
                "responses": {"200": OK},
            }
        },
        "/raw": {
            "put": {
                "operationId": "putRaw",
                "tags": ["files"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {"204": {"description": "Stored"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Echo": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
            "Meta": {"type": "object", "properties": {"k": {"type": "string"}}},
            "Body_upload_uploads_post": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "extra": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    "name": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

USAGE = """
from pathlib import Path
from feat_requests import Tiny
from feat_requests.models import Echo, Meta

client = Tiny(api_key="k", base_url="http://127.0.0.1:9")
echo: Echo = client.items.get_item("a", 1, q="x", tags=["t"], flag=True, x_trace_id="t", session="s")
created: Echo = client.items.create_item(name="n", size=1, labels=["a"], meta=Meta(k="v"))
uploaded: Echo = client.files.upload(
    file=("a.wav", b"RIFF", "audio/wav"), extra=[b"x", Path("f.bin")], name="n", tags=["a", "b"]
)
client.files.put_raw(request=b"\\x00\\x01")
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("requests"), SPEC, "feat_requests")


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(api_key="sk-1", base_url=loopback.url) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_path_query_header_and_cookie_parameters(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={"ok": True})
    result = client.items.get_item(
        "a/b c", 7, q="x&y", tags=["t1", "t2"], flag=False, x_trace_id="tr-1", session="s1"
    )
    assert result.ok is True
    sent = loopback.requests[0]
    assert sent.method == "GET"
    assert sent.target.split("?")[0] == "/items/a%2Fb%20c/parts/7"
    assert sent.query == [("q", "x&y"), ("tags", "t1"), ("tags", "t2"), ("flag", "false")]
    assert sent.header("x-trace-id") == "tr-1"
    assert sent.header("cookie") == "session=s1"
    assert sent.header("x-api-key") == "sk-1", "the lifted credential header"


def test_a_deprecated_parameter_warns_only_when_given(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.items.get_item("a", 1, q="x")
    with pytest.warns(DeprecationWarning, match="'legacy' is deprecated") as caught:
        client.items.get_item("a", 1, q="x", legacy=2)
    assert caught[0].filename == __file__, "the warning points at the caller"
    assert loopback.requests[1].query == [("q", "x"), ("legacy", "2")]


def test_json_body_fields_are_keyword_arguments_and_unset_ones_are_not_sent(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(201, json={"ok": True})
    meta = generated.load("models").Meta(k="v")
    client.items.create_item(name="n", labels=["a"], meta=meta)
    sent = loopback.requests[0]
    assert (sent.method, sent.path, sent.header("content-type")) == (
        "POST",
        "/items",
        "application/json",
    )
    assert sent.json() == {"name": "n", "labels": ["a"], "meta": {"k": "v"}}


def test_read_only_body_properties_are_no_arguments_and_deprecated_ones_warn(
    client: Any, loopback: LoopbackServer
) -> None:
    with pytest.raises(TypeError, match="'id'"):
        client.items.create_item(name="n", id="x")
    loopback.respond(201, json={})
    with pytest.warns(DeprecationWarning, match="'old_name' is deprecated"):
        client.items.create_item(name="n", old_name="o")
    assert loopback.requests[0].json() == {"name": "n", "old_name": "o"}


def test_multipart_upload_with_every_kind_of_file_and_repeated_fields(
    client: Any, loopback: LoopbackServer, tmp_path: Path
) -> None:
    on_disk = tmp_path / "take.mp3"
    on_disk.write_bytes(b"ID3-on-disk")
    loopback.respond(json={"ok": True})
    client.files.upload(
        file=("voice.wav", b"RIFF-data", "audio/wav"),
        extra=[b"raw-bytes", io.BytesIO(b"file-object"), on_disk],
        name="sample",
        tags=["a", "b"],
    )
    sent = loopback.requests[0]
    assert (sent.header("content-type") or "").startswith("multipart/form-data; boundary=")
    assert parts(sent) == [
        ("name", None, "text/plain", b"sample"),
        ("tags", None, "text/plain", b"a"),
        ("tags", None, "text/plain", b"b"),
        ("file", "voice.wav", "audio/wav", b"RIFF-data"),
        ("extra", "upload", "application/octet-stream", b"raw-bytes"),
        ("extra", "upload", "application/octet-stream", b"file-object"),
        ("extra", "take.mp3", "audio/mpeg", b"ID3-on-disk"),
    ]


def test_urlencoded_form_with_a_repeated_field(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.files.submit_form(a="x y", n=2, many=["1", "2"])
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/x-www-form-urlencoded"
    assert sent.body == b"a=x%20y&n=2&many=1&many=2"


def test_raw_bytes_body_and_an_empty_204(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(204)
    assert client.files.put_raw(request=b"\x00\x01\x02") is None
    sent = loopback.requests[0]
    assert (sent.method, sent.header("content-type"), sent.body) == (
        "PUT",
        "application/octet-stream",
        b"\x00\x01\x02",
    )


def test_the_async_client_sends_the_same_request(
    generated: Generated, loopback: LoopbackServer
) -> None:
    async def run() -> Any:
        async with generated.module.AsyncTiny(api_key="sk-1", base_url=loopback.url) as client:
            return await client.items.get_item("a", 1, q="x", session="s")

    loopback.respond(json={"ok": False})
    assert asyncio.run(run()).ok is False
    sent = loopback.requests[0]
    assert (sent.path, sent.header("cookie"), sent.header("x-api-key")) == (
        "/items/a/parts/1",
        "session=s",
        "sk-1",
    )

"""Header parameters named Accept, Content-Type or Authorization: OpenAPI says they "SHALL be
ignored". They are no arguments and are not sent from the signature; one grouped warning says so.
An Accept or Content-Type that declares its one value (a default, const or one-value enum) is
sent as that constant (APIs version by it), Content-Type only where no body sets its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from tests.support.generation import config_for
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package

_HEADERS = [
    {"name": "Accept", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "content-type", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
]


def _spec() -> dict[str, Any]:
    ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Headers", "version": "1"},
        "paths": {
            "/things": {
                "parameters": _HEADERS[:1],
                "get": {
                    "operationId": "listThings",
                    "parameters": _HEADERS[1:],
                    "responses": {"200": ok},
                },
                "post": {
                    "operationId": "addThing",
                    "parameters": _HEADERS[:2],
                    "responses": {"200": ok},
                },
            }
        },
    }


def test_the_ignored_headers_leave_the_signature_with_one_warning_kind() -> None:
    config = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"), auth=None)
    built = build_api(_spec(), config)
    parameters = {op.operation_id: [p.name for p in op.parameters] for op in built.api.operations}
    assert parameters == {"listThings": ["X-Trace"], "addThing": []}
    notes = [(pointer, message) for pointer, message in built.warnings if "Accept" in message]
    assert len({message for _, message in notes}) == 1, "one kind: grouped as one warning"
    assert sorted(pointer for pointer, _ in notes) == [
        "/paths/~1things/get/parameters/0",
        "/paths/~1things/get/parameters/1",
        "/paths/~1things/parameters/0",
        "/paths/~1things/post/parameters/0",
        "/paths/~1things/post/parameters/1",
    ]
    assert "the client sets Accept and Content-Type itself" in notes[0][1]
    assert not built.problems


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(
        request, tmp_path_factory.mktemp("headers"), _spec(), "ignored_headers", auth=None
    )


def test_the_client_sends_its_own_accept_and_no_authorization(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(200, json={})
    with generated.module.Tiny(base_url=loopback.url) as client:
        client.list_things(x_trace="t")
    sent = loopback.requests[0]
    assert sent.header("accept") is not None, "the client's own (httpx's) Accept"
    assert sent.header("authorization") is None
    assert sent.header("x-trace") == "t"


_VERSIONED = {"application/json": {"schema": {"type": "object"}}}


def _versioned_spec() -> dict[str, Any]:
    accept = {
        "name": "Accept",
        "in": "header",
        "required": True,
        "schema": {"type": "string", "default": "application/vnd.things+json;version=2"},
    }
    content_type = {
        "name": "Content-Type",
        "in": "header",
        "required": True,
        "schema": {"$ref": "#/components/schemas/JsonOnly"},
    }
    broken = {  # a value no header may carry: ignored as before
        "name": "Accept",
        "in": "header",
        "schema": {"type": "string", "enum": ["text/plain\r\nX-Injected: 1"]},
    }
    ok = {"description": "OK", "content": _VERSIONED}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Versioned", "version": "1"},
        "paths": {
            "/things": {
                "parameters": [accept, content_type],
                "get": {"operationId": "listThings", "responses": {"200": ok}},
                "post": {
                    "operationId": "addThing",
                    "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
                    "responses": {"200": ok},
                },
            },
            "/other": {
                "get": {"operationId": "getOther", "parameters": [broken], "responses": {"200": ok}}
            },
        },
        "components": {"schemas": {"JsonOnly": {"type": "string", "enum": ["application/json"]}}},
    }


def test_accept_and_content_type_with_one_declared_value_become_constants_of_the_ir() -> None:
    config = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"), auth=None)
    built = build_api(_versioned_spec(), config)
    constants = {op.operation_id: op.constant_headers for op in built.api.operations}
    assert constants == {
        "listThings": (
            ("Accept", "application/vnd.things+json;version=2"),
            ("Content-Type", "application/json"),
        ),
        "addThing": (("Accept", "application/vnd.things+json;version=2"),),
        "getOther": (),
    }
    notes = {message for _, message in built.warnings if "Accept" in message}
    assert len(notes) == 2, "the constants and the ignored ones: two kinds"
    assert any("sends as a constant" in note for note in notes)


@pytest.fixture(scope="module")
def versioned(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(
        request, tmp_path_factory.mktemp("versioned"), _versioned_spec(), "versioned", auth=None
    )


def test_a_declared_accept_and_content_type_are_sent_without_a_body(
    versioned: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(200, json={})
    with versioned.module.Tiny(base_url=loopback.url) as client:
        client.list_things()
    sent = loopback.requests[0]
    assert sent.header("accept") == "application/vnd.things+json;version=2"
    assert sent.header("content-type") == "application/json"


def test_the_body_sets_content_type_where_there_is_one(
    versioned: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(200, json={})
    with versioned.module.Tiny(base_url=loopback.url) as client:
        client.add_thing(request="hello")
    sent = loopback.requests[0]
    assert sent.header("accept") == "application/vnd.things+json;version=2"
    assert (sent.header("content-type") or "").startswith("text/plain")
    assert sent.body == b"hello"


def test_a_declared_value_no_header_may_carry_is_not_sent(
    versioned: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(200, json={})
    with versioned.module.Tiny(base_url=loopback.url) as client:
        client.get_other()
    sent = loopback.requests[0]
    assert sent.header("x-injected") is None
    assert "text/plain" not in (sent.header("accept") or ""), "the client's own Accept"
    assert "X-Injected" not in versioned.file("_operations/get_other.py")

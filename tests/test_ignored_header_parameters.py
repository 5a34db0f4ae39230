"""Header parameters named Accept, Content-Type or Authorization: OpenAPI says they "SHALL be
ignored". They are no arguments and are not sent from the signature; one grouped warning says so."""

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

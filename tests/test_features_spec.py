"""Document-level features from small inline specs: x-fern-ignore, operations without an
operationId, security schemes, servers; and the located diagnostic for each thing the client
does not do (a warning when the client is still right, an error when it would not be)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from tests.support.generation import config_for, minimal_spec, run_cli, write_spec
from tests.support.loopback import LoopbackServer
from tests.test_features_common import generate_package, json_response

CONFIG = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))
NO_AUTH = CONFIG.with_overrides()
object.__setattr__(NO_AUTH, "auth", None)
OK = {"200": {"description": "OK"}}


def _spec(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return minimal_spec(paths=paths, **top)


def _findings(spec: dict[str, Any], config: Any = NO_AUTH) -> tuple[list[Any], list[Any]]:
    built = build_api(spec, config)
    return list(built.problems), list(built.warnings)


# --- Operations ----------------------------------------------------------------------------------


def test_ignored_operations_are_skipped_and_unnamed_ones_get_stable_names(
    request: pytest.FixtureRequest, tmp_path: Path, loopback: LoopbackServer
) -> None:
    spec = _spec(
        {
            "/internal": {"get": {"x-fern-ignore": True, "responses": OK}},
            "/v1/voices/{voice_id}/settings": {
                "parameters": [
                    {
                        "name": "voice_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "get": {
                    "tags": ["voices"],
                    "responses": {"200": json_response({"type": "object"})},
                },
                "post": {"tags": ["voices"], "responses": OK},
            },
        }
    )
    generated = generate_package(request, tmp_path, spec, "feat_ops", auth=None)
    assert not (generated.out / "feat_ops" / "_operations" / "get_internal.py").exists()
    assert "skipped 1 operation(s) marked x-fern-ignore" in generated.notes
    voices = generated.load("resources.voices.client").VoicesClient
    assert hasattr(voices, "get_v1_voices_voice_id_settings")
    assert hasattr(voices, "post_v1_voices_voice_id_settings")
    loopback.respond(json={"stability": 0.5})
    with generated.module.Tiny(base_url=loopback.url) as client:
        assert client.voices.get_v1_voices_voice_id_settings("v1") == {"stability": 0.5}
    assert loopback.requests[0].path == "/v1/voices/v1/settings"
    assert generated.mypy() == ""


def test_a_path_item_given_by_ref_is_generated(
    request: pytest.FixtureRequest, tmp_path: Path, loopback: LoopbackServer
) -> None:
    spec = _spec({"/ping": {"$ref": "#/components/pathItems/Ping"}})
    spec["components"]["pathItems"] = {
        "Ping": {
            "get": {"operationId": "ping", "responses": {"200": json_response({"type": "string"})}}
        }
    }
    generated = generate_package(request, tmp_path, spec, "feat_path_ref", auth=None)
    loopback.respond(json="pong")
    with generated.module.Tiny(base_url=loopback.url) as client:
        assert client.ping() == "pong"
    assert loopback.requests[0].path == "/ping"


# --- Security schemes ----------------------------------------------------------------------------


def _secured(scheme: dict[str, Any], **top: Any) -> dict[str, Any]:
    spec = _spec(
        {
            "/me": {
                "get": {
                    "operationId": "me",
                    "responses": {"200": json_response({"type": "object"})},
                }
            }
        },
        security=[{"auth": []}],
        **top,
    )
    spec["components"]["securitySchemes"] = {"auth": scheme}
    return spec


def test_an_api_key_header_scheme_becomes_the_client_credential(
    request: pytest.FixtureRequest, tmp_path: Path, loopback: LoopbackServer
) -> None:
    spec = _secured({"type": "apiKey", "in": "header", "name": "X-Token"})
    generated = generate_package(request, tmp_path, spec, "feat_apikey", auth=None)
    loopback.respond(json={})
    with generated.module.Tiny(api_key="k-1", base_url=loopback.url) as client:
        client.me()
    assert loopback.requests[0].header("x-token") == "k-1"


def test_a_bearer_scheme_sends_the_token_as_authorization(
    request: pytest.FixtureRequest, tmp_path: Path, loopback: LoopbackServer
) -> None:
    spec = _secured({"type": "http", "scheme": "bearer"})
    generated = generate_package(request, tmp_path, spec, "feat_bearer", auth=None)
    loopback.respond(json={})
    with generated.module.Tiny(token="t0k", base_url=loopback.url) as client:
        client.me()
    assert loopback.requests[0].header("authorization") == "Bearer t0k"
    assert generated.mypy() == ""


def test_a_scheme_nothing_requires_is_a_warning() -> None:
    spec = _secured({"type": "http", "scheme": "bearer"})
    del spec["security"]
    problems, warnings = _findings(spec)
    assert problems == []
    assert warnings == [
        (
            "/components/securitySchemes/auth",
            "security scheme 'auth' is not required by any operation (no `security` names it);"
            " ignored",
        )
    ]


# --- Servers --------------------------------------------------------------------------------------


def test_server_variables_are_client_arguments_and_relative_servers_no_environment() -> None:
    spec = minimal_spec(
        servers=[
            {
                "url": "https://{region}.example.com/{version}",
                "variables": {
                    "region": {"default": "eu", "enum": ["eu", "us"]},
                    "version": {"default": "v2"},
                },
            },
            {"url": "/relative"},
        ]
    )
    built = build_api(spec, NO_AUTH)
    assert [(s.member, s.url) for s in built.api.servers] == [
        ("EU_EXAMPLE_COM", "https://{region}.example.com/{version}")
    ]
    assert [(v.name, v.default, v.enum) for v in built.api.variables] == [
        ("region", "eu", ("eu", "us")),
        ("version", "v2", ()),
    ]
    assert built.warnings == (
        (
            "/servers/1/url",
            "server URL '/relative' is relative: it is no environment; pass base_url= with the"
            " scheme and host",
        ),
    )


# --- What is not generated -------------------------------------------------------------------------


def test_links_and_body_alternatives_are_located_warnings_and_webhooks_no_longer() -> None:
    spec = _spec(
        {
            "/subscribe": {
                "post": {
                    "operationId": "subscribe",
                    "callbacks": {"onEvent": {"{$request.body#/url}": {"post": {"responses": OK}}}},
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"type": "object"}},
                            "application/xml": {"schema": {"type": "object"}},
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "links": {"self": {"operationId": "subscribe"}},
                        }
                    },
                }
            },
            "/upload": {
                "post": {
                    "operationId": "upload",
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"f": {"type": "string", "format": "binary"}},
                                },
                                "encoding": {"f": {"contentType": "image/png"}},
                            }
                        }
                    },
                    "responses": OK,
                }
            },
        },
        webhooks={"newThing": {"post": {"responses": OK}}},
    )
    problems, warnings = _findings(spec)
    assert problems == []
    assert [(pointer, message.split(":")[0]) for pointer, message in warnings] == [
        (
            "/paths/~1subscribe/post/requestBody/content",
            "the request body is sent as application/json only; not offered",
        ),
        (
            "/paths/~1subscribe/post/responses/200/links",
            "response links are not generated; ignored",
        ),
    ]  # a multipart encoding is applied (test_features_bodies): no warning


def test_parameter_styles_openapi_defines_are_no_problems() -> None:
    """deepObject and form with explode false are sent as the spec says (test_features_styles)."""
    spec = _spec(
        {
            "/x": {
                "get": {
                    "operationId": "x",
                    "parameters": [
                        {
                            "name": "filter",
                            "in": "query",
                            "style": "deepObject",
                            "schema": {"type": "object"},
                        },
                        {
                            "name": "ids",
                            "in": "query",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "integer"}},
                        },
                        {
                            "name": "one",
                            "in": "query",
                            "explode": False,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": OK,
                }
            }
        }
    )
    problems, _ = _findings(spec)
    assert problems == []


def test_warnings_are_printed_located_and_generation_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = minimal_spec()
    ok = document["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]
    ok["links"] = {"self": {"operationId": "getThing"}}
    spec = write_spec(tmp_path, document)
    out = tmp_path / "out"
    code = run_cli(
        "generate", "--spec", spec, "--out", out, "--package", "w",
        "--config", "/nonexistent/pyproject.toml",
    )  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "openapi.yaml:" in err
    assert (
        "(at /paths/~1things~1{thing_id}/get/responses/200/links): warning: response links" in err
    )

"""Credential arguments are unique across the legacy [tool.generator.auth] header and the spec's
schemes: a scheme whose argument would be the legacy one's gets another name."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from tests.support.generation import config_for
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package


def _spec() -> dict[str, Any]:
    """Like PagerDuty: one apiKey scheme (named api_key, in Authorization) required everywhere."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Keys", "version": "1"},
        "security": [{"api_key": []}],
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "-"}}}}
        },
        "components": {
            "securitySchemes": {
                "api_key": {"type": "apiKey", "in": "header", "name": "Authorization"}
            }
        },
    }


def test_a_scheme_does_not_take_the_legacy_headers_argument() -> None:
    # The test config's legacy auth: header x-api-key, argument api_key, env TINY_API_KEY.
    config = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))
    api = build_api(_spec(), config).api
    assert api.credential is not None and api.credential.argument == "api_key"
    ((key,),) = [s.credentials for s in api.schemes]
    assert key.argument != "api_key"
    assert key.env != "TINY_API_KEY"


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("keys"), _spec(), "credential_names")


def test_the_client_takes_both_credentials_and_sends_each_in_its_header(
    generated: Generated, loopback: LoopbackServer
) -> None:
    arguments = inspect.signature(generated.module.Tiny).parameters
    (scheme_argument,) = [a for a in arguments if a.startswith("api_key") and a != "api_key"]
    loopback.respond(204)
    with generated.module.Tiny(
        base_url=loopback.url, api_key="legacy", **{scheme_argument: "Token token=t"}
    ) as client:
        client.ping()
    sent = loopback.requests[0]
    assert sent.header("x-api-key") == "legacy"
    assert sent.header("authorization") == "Token token=t"

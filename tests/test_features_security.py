"""Security schemes end to end: each scheme type and requirement shape from an inline spec,
generated, imported and called against a loopback server; what goes on the wire, from where."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.api import build_api
from tests.support.generation import config_for
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package

NONE = {"204": {"description": "No content"}}


def _op(name: str, **more: Any) -> dict[str, Any]:
    return {"get": {"operationId": name, "responses": NONE, **more}}


def _spec(token_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Secure", "version": "1"},
        "security": [{"ApiKeyAuth": []}],
        "paths": {
            "/default": _op(
                "useDefault",
                parameters=[{"name": "X-Api-Key", "in": "header", "schema": {"type": "string"}}],
            ),
            "/none": _op("useNone", security=[]),
            "/both": _op("useBoth", security=[{"ApiKeyAuth": [], "QueryKey": []}]),
            "/either": _op("useEither", security=[{"basicAuth": []}, {"bearerAuth": []}]),
            "/optional": _op("useOptional", security=[{}, {"CookieKey": []}]),
            "/digest": _op("useDigest", security=[{"digest": []}]),
            "/oidc": _op("useOidc", security=[{"oidc": []}]),
            "/oauth": _op("useOauth", security=[{"oauth": ["read"]}]),
            "/odd": _op("useOdd", security=[{"tls": []}, {"nope": []}, {"QueryKey": []}]),
        },
        "components": {
            "securitySchemes": {
                "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "QueryKey": {"type": "apiKey", "in": "query", "name": "key"},
                "CookieKey": {"type": "apiKey", "in": "cookie", "name": "sid"},
                "basicAuth": {"type": "http", "scheme": "basic"},
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "digest": {"type": "http", "scheme": "Digest"},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example/.wk"},
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {"tokenUrl": token_url, "scopes": {"read": "r"}}
                    },
                },
                "tls": {"type": "mutualTLS"},
            }
        },
    }


@pytest.fixture(scope="module")
def token_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    token_server: LoopbackServer,
) -> Generated:
    spec = _spec(token_server.url + "/token")
    return generate_package(
        request, tmp_path_factory.mktemp("security"), spec, "feat_security", auth=None
    )


def _client(generated: Generated, loopback: LoopbackServer, **credentials: str) -> Any:
    return generated.module.Tiny(base_url=loopback.url, **credentials)


USAGE = """
from feat_security import Tiny, AsyncTiny

client = Tiny(api_key="k", query_key="q", username="u", password="p", bearer_token="b",
              cookie_key="c", digest_token="d", oidc_token="o", access_token="a",
              client_id="i", client_secret="s", base_url="http://x")
client.use_default()
AsyncTiny(base_url="http://x")
"""


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_the_documents_requirement_sends_the_api_key_header_and_lifts_its_parameter(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    with _client(generated, loopback, api_key="k-1") as client:
        client.use_default()
    assert loopback.requests[0].header("x-api-key") == "k-1"
    assert "x_api_key" not in generated.file("_operations/use_default.py")


def test_schemes_required_together_are_all_sent(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    with _client(generated, loopback, api_key="k-1", query_key="q 1") as client:
        client.use_both()
    sent = loopback.requests[0]
    assert sent.header("x-api-key") == "k-1"
    assert sent.target == "/both?key=q%201"


def test_alternatives_send_the_first_one_configured(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    loopback.respond(204)
    with _client(generated, loopback, username="u", password="p:w", api_key="k") as client:
        client.use_either()
    with _client(generated, loopback, bearer_token="t0k") as client:
        client.use_either()
    basic, bearer = loopback.requests
    assert basic.header("authorization") == "Basic " + base64.b64encode(b"u:p:w").decode()
    assert basic.header("x-api-key") is None, "the operation's own requirement overrides"
    assert bearer.header("authorization") == "Bearer t0k"


def test_optional_credentials_are_sent_when_configured_only(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    loopback.respond(204)
    with _client(generated, loopback) as client:
        client.use_optional()
    with _client(generated, loopback, cookie_key="c-1") as client:
        client.use_optional()
    assert loopback.requests[0].header("cookie") is None
    assert loopback.requests[1].header("cookie") == "sid=c-1"


def test_an_empty_requirement_sends_no_credentials(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    with _client(generated, loopback, api_key="k-1", bearer_token="t") as client:
        client.use_none()
    sent = loopback.requests[0]
    assert sent.header("x-api-key") is None and sent.header("authorization") is None


def test_other_http_schemes_and_open_id_connect_send_authorization(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    loopback.respond(204)
    with _client(generated, loopback, digest_token="d-1", oidc_token="o-1") as client:
        client.use_digest()
        client.use_oidc()
    assert loopback.requests[0].header("authorization") == "Digest d-1"
    assert loopback.requests[1].header("authorization") == "Bearer o-1"


def test_an_oauth2_access_token_is_sent_as_bearer(
    generated: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(204)
    with _client(generated, loopback, access_token="a-1") as client:
        client.use_oauth()
    assert loopback.requests[0].header("authorization") == "Bearer a-1"


def test_oauth2_client_credentials_fetch_a_token_from_the_token_url_with_the_scopes(
    generated: Generated, loopback: LoopbackServer, token_server: LoopbackServer
) -> None:
    token_server.respond(json={"access_token": "fetched", "expires_in": 3600})
    loopback.respond(204)
    with _client(generated, loopback, client_id="id", client_secret="sec") as client:
        client.use_oauth()
    asked = token_server.requests[-1]
    assert asked.path == "/token"
    assert asked.header("authorization") == "Basic " + base64.b64encode(b"id:sec").decode()
    assert asked.body == b"grant_type=client_credentials&scope=read"
    assert loopback.requests[0].header("authorization") == "Bearer fetched"


def test_credentials_fall_back_to_environment_variables_named_from_the_package(
    generated: Generated, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEAT_SECURITY_API_KEY", "from-env")
    loopback.respond(204)
    with _client(generated, loopback) as client:
        client.use_default()
    assert loopback.requests[0].header("x-api-key") == "from-env"


def test_a_missing_credential_raises_before_anything_is_sent(
    generated: Generated, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FEAT_SECURITY_API_KEY", raising=False)
    errors = generated.load("_runtime")
    with _client(generated, loopback) as client, pytest.raises(errors.MissingCredentialsError) as e:
        client.use_default()
    assert loopback.requests == []
    assert "api_key=" in str(e.value) and "FEAT_SECURITY_API_KEY" in str(e.value)


def test_the_async_client_sends_the_same_credentials(
    generated: Generated, loopback: LoopbackServer
) -> None:
    async def run() -> None:
        async with generated.module.AsyncTiny(base_url=loopback.url, api_key="k-2") as client:
            await client.use_default()

    loopback.respond(204)
    asyncio.run(run())
    assert loopback.requests[0].header("x-api-key") == "k-2"


def test_no_credential_appears_in_the_clients_repr(
    generated: Generated, loopback: LoopbackServer
) -> None:
    with _client(generated, loopback, api_key="sekret-1", password="sekret-2") as client:
        assert "sekret" not in repr(client) and "sekret" not in repr(client._http)


def test_unsendable_and_undefined_schemes_are_located_warnings_and_the_rest_is_kept(
    generated: Generated, loopback: LoopbackServer
) -> None:
    notes = "\n".join(generated.notes)
    assert "(at /components/securitySchemes/tls): warning: mutualTLS scheme 'tls'" in notes
    assert (
        "(at /paths/~1odd/get/security/1): warning: security scheme 'nope' is not defined" in notes
    )
    assert 'security=(("QueryKey",),)' in generated.file("_operations/use_odd.py")


def test_credential_names_and_variables_are_renamable_in_config() -> None:
    spec = _spec("https://auth.example/token")
    config = config_for(
        Path("/nonexistent/openapi.yaml"),
        Path("/nonexistent/out"),
        auth_env_prefix="ACME",
        auth_names=(("QueryKey", "key", "query_secret", None), ("CookieKey", "key", None, "SID")),
    )
    schemes = {s.name: s for s in build_api(spec, config).api.schemes}
    (query,) = schemes["QueryKey"].credentials
    (cookie,) = schemes["CookieKey"].credentials
    assert (query.argument, query.env) == ("query_secret", "ACME_QUERY_SECRET")
    assert (cookie.argument, cookie.env) == ("cookie_key", "SID")


def test_the_legacy_auth_header_names_the_matching_api_key_scheme() -> None:
    spec = _spec("https://auth.example/token")
    spec["components"]["securitySchemes"]["ApiKeyAuth"]["name"] = "x-api-key"
    config = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"))
    built = build_api(spec, config)
    assert built.api.credential is None, "no second header beside the scheme"
    (key,) = next(s for s in built.api.schemes if s.name == "ApiKeyAuth").credentials
    assert (key.argument, key.env) == ("api_key", "TINY_API_KEY")


def test_strict_refuses_an_undefined_scheme_and_an_unknown_scheme_type() -> None:
    spec = _spec("https://auth.example/token")
    spec["components"]["securitySchemes"]["Odd"] = {"type": "magic"}
    spec["paths"]["/weird"] = _op("use_weird", security=[{"Odd": []}])
    config = config_for(Path("/nonexistent/openapi.yaml"), Path("/nonexistent/out"), strict=True)
    problems = dict(build_api(spec, config).problems)
    assert problems["/paths/~1odd/get/security/1"].startswith("security scheme 'nope' is not")
    assert "unknown type 'magic'" in problems["/components/securitySchemes/Odd"]

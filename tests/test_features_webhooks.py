"""Webhook verification through the generated client's `webhooks.construct_event`, for each
scheme: an HMAC header declared by `x-webhook-signature` (as the ElevenLabs overlay declares
its own), beside the API's webhook-management operations, with a typed payload; and Standard
Webhooks (no scheme declared) with an untyped one. Good, tampered, expired and malformed
deliveries, and an empty secret, on the sync and the async client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

SECRET = "wsec_test_secret"
BODY = json.dumps({"type": "item.created", "data": {"id": "i-1"}})

HMAC_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Hooks", "version": "1"},
    "x-webhook-signature": {"scheme": "hmac", "header": "Example-Signature", "tolerance": 1800},
    "paths": {
        "/webhooks": {
            "get": {
                "operationId": "listWebhooks",
                "tags": ["webhooks"],
                "responses": {"200": json_response({"type": "array", "items": ref("Item")})},
            }
        }
    },
    "webhooks": {
        "itemCreated": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": ref("ItemEvent")}}},
                "responses": {"200": {"description": "OK"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            },
            "ItemEvent": {
                "type": "object",
                "required": ["type", "data"],
                "properties": {"type": {"type": "string"}, "data": ref("Item")},
            },
        }
    },
}

STANDARD_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Standard", "version": "1"},
    "paths": {},
    "webhooks": {"ping": {"post": {"responses": {"200": {"description": "OK"}}}}},
}

USAGE = """\
from feat_hmac_hooks import AsyncTiny, Tiny
from feat_hmac_hooks.models import Item, ItemEvent

client = Tiny(base_url="http://localhost")
event: ItemEvent = client.webhooks.construct_event(rawBody="{}", sig_header="t=1", secret="s")
also: ItemEvent = AsyncTiny(base_url="http://x").webhooks.construct_event(
    rawBody=b"{}", sig_header="t=1,v0=00", secret="s"
)
items: list[Item] = client.webhooks.list_webhooks()
"""


@pytest.fixture(scope="module")
def hmac_package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    folder = tmp_path_factory.mktemp("hmac_hooks")
    return generate_package(request, folder, HMAC_SPEC, "feat_hmac_hooks")


@pytest.fixture(scope="module")
def standard_package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    folder = tmp_path_factory.mktemp("standard_hooks")
    return generate_package(request, folder, STANDARD_SPEC, "feat_std_hooks", auth=None)


def _hmac_header(body: str, timestamp: int, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v0={digest.hexdigest()}"


KEY = b"standard-webhooks-key-0123456789"
STANDARD_SECRET = "whsec_" + base64.b64encode(KEY).decode()


def _standard_headers(body: str, timestamp: int, msg_id: str = "msg_1") -> dict[str, str]:
    digest = hmac.new(KEY, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


def _client(package: Generated, async_: bool) -> Any:
    cls = package.module.AsyncTiny if async_ else package.module.Tiny
    return cls(base_url="http://127.0.0.1:9")


def _errors(package: Generated) -> Any:
    return package.load("_runtime")


def test_the_package_and_code_verifying_events_pass_mypy_strict(hmac_package: Generated) -> None:
    assert hmac_package.mypy(USAGE) == ""


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_good_hmac_signature_gives_the_typed_event(hmac_package: Generated, async_: bool) -> None:
    client = _client(hmac_package, async_)
    event = client.webhooks.construct_event(
        rawBody=BODY, sig_header=_hmac_header(BODY, int(time.time())), secret=SECRET
    )
    assert isinstance(event, hmac_package.load("models").ItemEvent)
    assert (event.type, event.data.id) == ("item.created", "i-1")


def test_the_hmac_signature_may_come_in_the_request_headers(hmac_package: Generated) -> None:
    headers = {"example-signature": _hmac_header(BODY, int(time.time()))}
    event = _client(hmac_package, False).webhooks.construct_event(
        BODY.encode(), secret=SECRET, headers=headers
    )
    assert event.data.id == "i-1"


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_tampered_body_is_refused_as_an_invalid_signature(
    hmac_package: Generated, async_: bool
) -> None:
    header = _hmac_header(BODY, int(time.time()))
    tampered = BODY.replace("i-1", "i-2")
    with pytest.raises(_errors(hmac_package).InvalidSignatureError):
        _client(hmac_package, async_).webhooks.construct_event(
            rawBody=tampered, sig_header=header, secret=SECRET
        )


def test_a_signature_made_with_another_secret_is_refused(hmac_package: Generated) -> None:
    header = _hmac_header(BODY, int(time.time()), secret="another")
    with pytest.raises(_errors(hmac_package).InvalidSignatureError):
        _client(hmac_package, False).webhooks.construct_event(BODY, header, SECRET)


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_timestamp_older_than_the_declared_30_minutes_is_refused(
    hmac_package: Generated, async_: bool
) -> None:
    header = _hmac_header(BODY, int(time.time()) - 31 * 60)
    with pytest.raises(_errors(hmac_package).TimestampToleranceError):
        _client(hmac_package, async_).webhooks.construct_event(
            rawBody=BODY, sig_header=header, secret=SECRET
        )


def test_a_timestamp_within_the_declared_30_minutes_is_accepted(hmac_package: Generated) -> None:
    header = _hmac_header(BODY, int(time.time()) - 29 * 60)
    event = _client(hmac_package, False).webhooks.construct_event(BODY, header, SECRET)
    assert event.type == "item.created"


@pytest.mark.parametrize(
    "header", ["garbage", "t=notanumber,v0=00", "v0=abcdef", "t=1700000000"], ids=repr
)
def test_a_malformed_signature_header_is_refused_as_malformed(
    hmac_package: Generated, header: str
) -> None:
    with pytest.raises(_errors(hmac_package).MalformedHeaderError):
        _client(hmac_package, False).webhooks.construct_event(BODY, header, SECRET)


@pytest.mark.parametrize("secret", ["", None])
def test_an_empty_secret_is_refused_before_anything_is_checked(
    hmac_package: Generated, secret: str | None
) -> None:
    header = _hmac_header(BODY, int(time.time()))
    with pytest.raises(_errors(hmac_package).EmptySecretError):
        _client(hmac_package, False).webhooks.construct_event(BODY, header, secret)


def test_the_helper_lives_beside_the_webhook_management_operations(
    hmac_package: Generated, loopback: LoopbackServer
) -> None:
    loopback.respond(json=[{"id": "w-1"}])
    with hmac_package.module.Tiny(base_url=loopback.url) as client:
        assert [item.id for item in client.webhooks.list_webhooks()] == ["w-1"]
        assert callable(client.webhooks.construct_event)


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_good_standard_webhooks_delivery_gives_the_parsed_json(
    standard_package: Generated, async_: bool
) -> None:
    headers = _standard_headers(BODY, int(time.time()))
    event = _client(standard_package, async_).webhooks.construct_event(
        BODY, secret=STANDARD_SECRET, headers=headers
    )
    assert event == json.loads(BODY)


def test_a_tampered_standard_webhooks_delivery_is_refused(standard_package: Generated) -> None:
    headers = _standard_headers(BODY, int(time.time()))
    with pytest.raises(_errors(standard_package).InvalidSignatureError):
        _client(standard_package, False).webhooks.construct_event(
            BODY + " ", secret=STANDARD_SECRET, headers=headers
        )


def test_an_expired_standard_webhooks_delivery_is_refused(standard_package: Generated) -> None:
    headers = _standard_headers(BODY, int(time.time()) - 600)  # the scheme allows 5 minutes
    with pytest.raises(_errors(standard_package).TimestampToleranceError):
        _client(standard_package, False).webhooks.construct_event(
            BODY, secret=STANDARD_SECRET, headers=headers
        )


def test_a_standard_webhooks_delivery_without_its_headers_is_refused_as_malformed(
    standard_package: Generated,
) -> None:
    headers = _standard_headers(BODY, int(time.time()))
    del headers["webhook-id"]
    with pytest.raises(_errors(standard_package).MalformedHeaderError):
        _client(standard_package, False).webhooks.construct_event(
            BODY, secret=STANDARD_SECRET, headers=headers
        )


def test_a_spec_without_webhooks_gets_no_webhooks_helper(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    spec = {**STANDARD_SPEC}
    del spec["webhooks"]
    folder = tmp_path_factory.mktemp("no_hooks")
    package = generate_package(request, folder, spec, "feat_no_hooks", auth=None)
    assert not hasattr(package.module.Tiny(base_url="http://x"), "webhooks")

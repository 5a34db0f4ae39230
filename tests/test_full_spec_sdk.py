"""The full published ElevenLabs API, generated with the shipped overlay and this project's own
[tool.generator] settings, offers what the official SDK's users call: the cursor-paginated list
with the official call shape, `client.webhooks.construct_event(rawBody=..., sig_header=...,
secret=...)` with the official signature beside the webhook-management operations, and the
official SDK's identification headers."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.config import load_config
from generator.pipeline import generate
from tests.support.generation import REPO
from tests.support.loopback import LoopbackServer

PACKAGE = "elevenlabs_sdk_e2e"
SECRET = "wsec_official_shape"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("elevenlabs_sdk") / "out"
    config = replace(
        load_config(REPO / "pyproject.toml"),
        spec=REPO / "examples" / "specs" / "elevenlabs-openapi.json",
        spec_display="elevenlabs-openapi.json",
        overlays=(REPO / "examples" / "elevenlabs.overlay.yaml",),
        out=out,
        package=PACKAGE,
        cache_dir=REPO / ".cache" / "generator",
    )
    generate(config)
    sys.path.insert(0, str(out))
    yield importlib.import_module(PACKAGE)
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture
def client(package: ModuleType, loopback: LoopbackServer) -> Iterator[Any]:
    with package.ElevenLabs(api_key="sk-e2e", base_url=loopback.url) as client:
        yield client


def _conversation(number: int) -> dict[str, Any]:
    return {
        "agent_id": "agent_1",
        "conversation_id": f"conv_{number}",
        "start_time_unix_secs": 1,
        "call_duration_secs": 1,
        "message_count": 1,
        "status": "done",
        "call_successful": "success",
        "agent_name": "Agent",
    }


def _signature(body: str, timestamp: int) -> str:
    digest = hmac.new(SECRET.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v0={digest.hexdigest()}"


def test_conversations_list_keeps_the_official_call_shape_and_pages_on(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(
        json={"conversations": [_conversation(1)], "next_cursor": "cur_2", "has_more": True}
    )
    loopback.respond(
        json={"conversations": [_conversation(2)], "next_cursor": None, "has_more": False}
    )
    page = client.conversational_ai.conversations.list(page_size=50)
    assert [c.conversation_id for c in page.conversations] == ["conv_1"]
    assert page.next_cursor == "cur_2" and len(loopback.requests) == 1
    assert [c.conversation_id for c in page] == ["conv_1", "conv_2"]
    assert [dict(r.query).get("cursor") for r in loopback.requests] == [None, "cur_2"]


def test_construct_event_checks_the_official_signature_and_returns_the_json(
    client: Any,
) -> None:
    body = json.dumps({"type": "post_call_transcription", "data": {"agent_id": "a"}})
    event = client.webhooks.construct_event(
        rawBody=body, sig_header=_signature(body, int(time.time())), secret=SECRET
    )
    assert event == json.loads(body)


def test_construct_event_refuses_a_delivery_older_than_30_minutes(
    package: ModuleType, client: Any
) -> None:
    body = "{}"
    with pytest.raises(package.WebhookVerificationError) as refused:
        client.webhooks.construct_event(
            rawBody=body, sig_header=_signature(body, int(time.time()) - 31 * 60), secret=SECRET
        )
    assert refused.value.code == "timestamp_out_of_tolerance"


def test_construct_event_lives_beside_the_webhook_management_operations(client: Any) -> None:
    assert callable(client.webhooks.list) and callable(client.webhooks.construct_event)


def test_every_request_carries_the_official_sdks_identification_headers(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"signed_url": "wss://x"})
    client.conversational_ai.conversations.get_signed_url(agent_id="agent_1")
    sent = loopback.requests[0]
    assert sent.header("X-Fern-Language") == "Python"
    assert sent.header("X-Fern-SDK-Name") == "elevenlabs"
    assert (sent.header("User-Agent") or "").startswith("elevenlabs-sdk-e2e/0.1.0 python/3.")


def test_the_35_cursor_lists_of_the_overlay_page(package: ModuleType) -> None:
    operations = Path(package.__file__).parent / "_operations"
    paged = [p for p in operations.glob("*.py") if "pagination=Pagination(" in p.read_text()]
    assert len(paged) == 35

"""Responses from a small inline spec, end to end (generate, import, mypy, call a loopback server):
JSON models; binary bodies as bytes and, through with_streaming_response, in chunks; server-sent
events; x-fern-streaming bytes and JSON lines; empty 204; several media types or 2xx statuses;
error statuses by number, range and default."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response, ref

AUDIO = {"description": "Audio", "content": {"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}}}  # fmt: skip


def _post(operation_id: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"post": {"operationId": operation_id, "tags": ["media"], "responses": responses, **extra}}  # fmt: skip


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Responses", "version": "1"},
    "paths": {
        "/voices/{voice_id}": {
            "get": {
                "operationId": "getVoice",
                "tags": ["voices"],
                "parameters": [
                    {
                        "name": "voice_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": json_response(ref("Voice")),
                    "404": json_response(ref("NotFound"), "Missing"),
                    "4XX": json_response(ref("Problem"), "Client error"),
                    "default": json_response(ref("Problem"), "Any other error"),
                },
            },
            "delete": {
                "operationId": "deleteVoice",
                "tags": ["voices"],
                "parameters": [
                    {
                        "name": "voice_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"204": {"description": "Deleted"}},
            },
        },
        "/speech": _post("speak", {"200": AUDIO}),
        "/speech/stream": _post("speakStream", {"200": AUDIO}, **{"x-fern-streaming": True}),
        "/speech/lines": _post(
            "speakLines", {"200": json_response(ref("Chunk"))}, **{"x-fern-streaming": True}
        ),
        "/events": _post(
            "events",
            {
                "200": {
                    "description": "Events",
                    "content": {"text/event-stream": {"schema": ref("Chunk")}},
                }
            },
        ),
        "/events/raw": _post(
            "rawEvents",
            {
                "200": {
                    "description": "Events",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                }
            },
        ),
        "/export": _post(
            "export",
            {
                "200": {
                    "description": "An archive",
                    "content": {
                        "application/zip": {"schema": {"type": "string", "format": "binary"}}
                    },
                }
            },
        ),
        "/transcript": _post(
            "transcript",
            {
                "200": {
                    "description": "JSON or subtitles",
                    "content": {
                        "application/json": {"schema": ref("Transcript")},
                        "text/plain": {"schema": {"type": "string"}},
                    },
                }
            },
        ),
        "/jobs": _post(
            "startJob",
            {
                "200": json_response(ref("Transcript"), "Done at once"),
                "202": json_response(ref("Accepted"), "Queued"),
                "204": {"description": "Nothing to do"},
            },
        ),
    },
    "components": {
        "schemas": {
            "Voice": {
                "type": "object",
                "required": ["voice_id", "name"],
                "properties": {
                    "voice_id": {"type": "string"},
                    "name": {"type": "string"},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
            "Chunk": {
                "type": "object",
                "required": ["audio_base64"],
                "properties": {"audio_base64": {"type": "string"}, "final": {"type": "boolean"}},
            },
            "Transcript": {"type": "object", "properties": {"text": {"type": "string"}}},
            "Accepted": {"type": "object", "properties": {"job_id": {"type": "string"}}},
            "NotFound": {"type": "object", "properties": {"detail": {"type": "string"}}},
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
        }
    },
}

USAGE = """
from collections.abc import Iterator
from feat_responses import Tiny
from feat_responses._runtime import ServerSentEvent
from feat_responses.models import Accepted, Chunk, Transcript, Voice

client = Tiny(base_url="http://127.0.0.1:9")
voice: Voice = client.voices.get_voice("v")
client.voices.delete_voice("v")
audio: bytes = client.media.speak()
chunks: Iterator[bytes] = client.media.with_streaming_response.speak()
streamed: Iterator[bytes] = client.media.speak_stream()
lines: Iterator[Chunk] = client.media.speak_lines()
events: Iterator[Chunk] = client.media.events()
raw_events: Iterator[ServerSentEvent] = client.media.raw_events()
archive: bytes = client.media.export()
transcript: Transcript | str = client.media.transcript()
job: Transcript | Accepted | None = client.media.start_job()
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    return generate_package(request, tmp_path_factory.mktemp("responses"), SPEC, "feat_responses")


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_a_json_response_becomes_its_model(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"voice_id": "v1", "name": "Rachel", "labels": {"accent": "us"}})
    voice = client.voices.get_voice("v1")
    assert isinstance(voice, generated.load("models").Voice)
    assert (voice.name, voice.labels) == ("Rachel", {"accent": "us"})


def test_error_statuses_by_number_then_range_then_default(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    errors, models = generated.load("errors"), generated.load("models")
    loopback.respond(404, json={"detail": "no such voice"})
    loopback.respond(409, json={"title": "conflict"})
    loopback.respond(503, json={"title": "later"})
    with pytest.raises(errors.NotFoundError) as missing:
        client.voices.get_voice("v", request_options={"max_retries": 0})
    assert missing.value.body == models.NotFound(detail="no such voice")
    for status in (409, 503):
        with pytest.raises(errors.ApiError) as other:
            client.voices.get_voice("v", request_options={"max_retries": 0})
        assert other.value.status_code == status
        assert isinstance(other.value.body, models.Problem)


def test_an_empty_204_returns_none(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(204)
    assert client.voices.delete_voice("v") is None
    assert (loopback.requests[0].method, loopback.requests[0].path) == ("DELETE", "/voices/v")


def test_a_binary_response_is_bytes_and_its_streaming_variant_yields_chunks_as_they_arrive(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(body=b"ID3-whole", headers=[("content-type", "audio/mpeg")])
    assert client.media.speak() == b"ID3-whole"
    resume = threading.Event()
    loopback.respond(parts=[b"ID3-first", b"-second", b"-third"], resume=resume)
    chunks = client.media.with_streaming_response.speak()
    assert next(chunks) == b"ID3-first"  # while the server still holds back the rest
    resume.set()
    assert b"".join(chunks) == b"-second-third"
    assert [r.path for r in loopback.requests] == ["/speech", "/speech"]


def test_other_binary_types_are_bytes_too(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(body=b"PK\x03\x04", headers=[("content-type", "application/zip")])
    assert client.media.export() == b"PK\x03\x04"
    loopback.respond(parts=[b"PK", b"\x03\x04"])
    assert list(client.media.with_streaming_response.export()) == [b"PK", b"\x03\x04"]


def test_x_fern_streaming_audio_is_an_iterator_of_chunks(
    client: Any, loopback: LoopbackServer
) -> None:
    resume = threading.Event()
    loopback.respond(parts=[b"a", b"b"], resume=resume)
    chunks = client.media.speak_stream()
    assert next(chunks) == b"a"
    resume.set()
    assert list(chunks) == [b"b"]


def test_x_fern_streaming_json_is_parsed_line_by_line(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    lines = [json.dumps({"audio_base64": c, "final": c == "b"}).encode() + b"\n" for c in "ab"]
    loopback.respond(parts=lines)
    chunks = list(client.media.speak_lines())
    assert [(c.audio_base64, c.final) for c in chunks] == [("a", False), ("b", True)]
    assert isinstance(chunks[0], generated.load("models").Chunk)


def test_server_sent_events_are_parsed_into_models_or_given_as_events(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(
        parts=[b'data: {"audio_base64": "x"}\n\n', b'event: end\ndata: {"audio_base64": "y"}\n\n'],
        headers=[("content-type", "text/event-stream")],
    )
    assert [c.audio_base64 for c in client.media.events()] == ["x", "y"]
    loopback.respond(parts=[b"event: note\ndata: hello\nid: 1\n\n"])
    (event,) = list(client.media.raw_events())
    assert (event.event, event.data, event.id) == ("note", "hello", "1")


def test_a_response_in_several_media_types_is_decoded_by_its_content_type(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"text": "hello"})
    loopback.respond(body="1\n00:00:00,000 --> 00:00:01,000\nhello\n", headers=[("content-type", "text/plain; charset=utf-8")])  # fmt: skip
    assert client.media.transcript() == generated.load("models").Transcript(text="hello")
    assert client.media.transcript().startswith("1\n00:00:00,000")


def test_2xx_responses_that_differ_are_decoded_by_status(
    generated: Generated, client: Any, loopback: LoopbackServer
) -> None:
    models = generated.load("models")
    loopback.respond(200, json={"text": "done"})
    loopback.respond(202, json={"job_id": "j1"})
    loopback.respond(204)
    assert client.media.start_job() == models.Transcript(text="done")
    assert client.media.start_job() == models.Accepted(job_id="j1")
    assert client.media.start_job() is None


def test_async_streaming_variant(generated: Generated, loopback: LoopbackServer) -> None:
    async def run() -> list[bytes]:
        async with generated.module.AsyncTiny(base_url=loopback.url) as client:
            return [chunk async for chunk in client.media.with_streaming_response.speak()]

    loopback.respond(parts=[b"one", b"two"])
    assert asyncio.run(run()) == [b"one", b"two"]

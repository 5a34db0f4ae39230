"""Streamed responses: raw byte chunks, server-sent events and JSON lines, as they arrive."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from generator.runtime import (
    ApiError,
    Endpoint,
    Request,
    ResponseValidationError,
    ServerSentEvent,
    SseResult,
)
from tests.runtime.conftest import Driver
from tests.runtime.schema import (
    AUDIO,
    CHUNKS_JSONL,
    CHUNKS_SSE,
    ERRORS,
    Chunk,
    UnprocessableEntityError,
)
from tests.support.loopback import LoopbackServer

V = Request(path_params={"voice_id": "v"})


def sse(*payloads: Any) -> list[bytes]:
    return [f"data: {json.dumps(payload)}\n\n".encode() for payload in payloads]


def test_stream_bytes_yields_each_chunk_as_it_arrives(
    http: Driver, loopback: LoopbackServer
) -> None:
    resume = threading.Event()
    loopback.respond(parts=[b"first", b"second", b"third"], resume=resume)
    chunks = http.stream_bytes(AUDIO, V)
    assert next(chunks) == b"first"  # while the server still holds back the rest
    resume.set()
    assert b"".join(chunks) == b"secondthird"


def test_stream_bytes_sends_nothing_until_iterated(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(body=b"x")
    chunks = http.stream_bytes(AUDIO, V)
    assert loopback.requests == []
    assert list(chunks) == [b"x"]


def test_stream_bytes_raises_documented_errors_with_body(
    http: Driver, loopback: LoopbackServer
) -> None:
    endpoint: Endpoint[bytes] = Endpoint(
        method="POST", path=AUDIO.path, result=AUDIO.result, errors=ERRORS
    )
    loopback.respond(422, json={"detail": []})
    with pytest.raises(UnprocessableEntityError) as caught:
        list(http.stream_bytes(endpoint, V))
    assert caught.value.body.detail == []


def test_stream_bytes_retries_before_the_body_starts(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(503)
    loopback.respond(parts=[b"ok"])
    assert list(http.stream_bytes(AUDIO, V)) == [b"ok"]
    assert len(loopback.requests) == 2


def test_sse_items_are_parsed_into_the_item_type(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(
        parts=sse({"text": "a"}, {"text": "b"}), headers=[("content-type", "text/event-stream")]
    )
    assert list(http.stream_items(CHUNKS_SSE)) == [Chunk(text="a"), Chunk(text="b")]


def test_sse_items_arrive_before_the_stream_ends(http: Driver, loopback: LoopbackServer) -> None:
    resume = threading.Event()
    parts = [*sse({"text": "a"}), b": waiting\n", *sse({"text": "b"})]
    loopback.respond(parts=parts, resume=resume)
    items = http.stream_items(CHUNKS_SSE)
    assert next(items) == Chunk(text="a")  # while the server still holds back the rest
    resume.set()
    assert list(items) == [Chunk(text="b")]


def test_sse_stops_at_the_done_terminator(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(parts=[*sse({"text": "a"}), b"data: [DONE]\n\n", *sse({"text": "ignored"})])
    assert list(http.stream_items(CHUNKS_SSE)) == [Chunk(text="a")]


def test_sse_events_split_across_chunks_are_reassembled(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(parts=[b'data: {"te', b'xt": "a"}\r', b"\n\r\n"])
    assert list(http.stream_items(CHUNKS_SSE)) == [Chunk(text="a")]


def test_sse_with_server_sent_event_items_yields_raw_events(
    http: Driver, loopback: LoopbackServer
) -> None:
    endpoint: Endpoint[ServerSentEvent] = Endpoint(
        method="GET", path="/v1/events", result=SseResult(ServerSentEvent, terminator=None)
    )
    loopback.respond(body="event: start\nid: 1\ndata: x\n\ndata: [DONE]\n\n")
    assert list(http.stream_items(endpoint)) == [
        ServerSentEvent(data="x", event="start", id="1"),
        ServerSentEvent(data="[DONE]", id="1"),
    ]


def test_sse_with_str_items_yields_the_data(http: Driver, loopback: LoopbackServer) -> None:
    endpoint: Endpoint[str] = Endpoint(method="GET", path="/v1/events", result=SseResult(str))
    loopback.respond(body="data: plain text\n\n")
    assert list(http.stream_items(endpoint)) == ["plain text"]


def test_sse_item_that_does_not_validate_raises_with_the_event_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(parts=[*sse({"text": "a"}), *sse({"wrong": 1})])
    items = http.stream_items(CHUNKS_SSE)
    assert next(items) == Chunk(text="a")
    with pytest.raises(ResponseValidationError) as caught:
        next(items)
    assert caught.value.status_code == 200
    assert '{"wrong": 1}' in caught.value.body
    assert "text: Field required" in str(caught.value)


def test_json_lines_are_parsed_one_per_line(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(parts=[b'{"text": "a"}\n{"te', b'xt": "b"}\r\n\n{"text": "c"}'])
    assert list(http.stream_items(CHUNKS_JSONL)) == [
        Chunk(text="a"),
        Chunk(text="b"),
        Chunk(text="c"),
    ]


def test_stream_items_raise_api_error_for_error_status(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(401, json={"detail": "no key"})
    with pytest.raises(ApiError) as caught:
        list(http.stream_items(CHUNKS_SSE))
    assert caught.value.body == {"detail": "no key"}


def test_stream_items_on_a_json_endpoint_is_a_type_error(
    http: Driver, loopback: LoopbackServer
) -> None:
    from tests.runtime.schema import ANY_JSON

    loopback.respond(json={})
    with pytest.raises(TypeError, match="call"):
        list(http.stream_items(ANY_JSON))

"""_lines and _sse: incremental line splitting and WHATWG Server-Sent Events parsing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

from generator.runtime import ServerSentEvent
from generator.runtime._lines import LineSplitter, aiter_lines, iter_lines
from generator.runtime._sse import SseDecoder, aiter_events, iter_events


def events(text: str) -> list[ServerSentEvent]:
    return list(iter_events(iter_lines([text.encode()])))


def test_lines_split_on_lf_crlf_and_cr() -> None:
    assert list(iter_lines([b"a\nb\r\nc\rd"])) == ["a", "b", "c", "d"]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    assert list(iter_lines([b"a\r", b"\nb\r", b"", b"\nc"])) == ["a", "b", "c"]


def test_lines_do_not_split_on_unicode_line_separators() -> None:
    assert list(iter_lines(['{"t": "a\u2028b\x85c"}\n'.encode()])) == ['{"t": "a\u2028b\x85c"}']


def test_multibyte_characters_split_across_chunks_are_decoded() -> None:
    data = "é€\n".encode()
    assert list(iter_lines([data[:1], data[1:3], data[3:]])) == ["é€"]


def test_leading_byte_order_mark_is_dropped() -> None:
    assert list(iter_lines([b"\xef\xbb\xbfdata: x\n"])) == ["data: x"]


def test_splitter_yields_lines_as_soon_as_they_complete() -> None:
    splitter = LineSplitter()
    assert splitter.feed("par") == []
    assert splitter.feed("tial\nnext") == ["partial"]
    assert splitter.flush() == ["next"]


def test_blank_line_dispatches_an_event_with_default_type_message() -> None:
    assert events("data: hello\n\n") == [ServerSentEvent(data="hello", event="message")]


def test_multiple_data_lines_are_joined_with_newlines() -> None:
    assert events("data: a\ndata:b\ndata\n\n")[0].data == "a\nb\n"


def test_only_one_space_after_the_colon_is_removed() -> None:
    assert events("data:  two spaces\n\n")[0].data == " two spaces"


def test_event_type_id_and_retry_are_read() -> None:
    [event] = events("event: delta\nid: 7\nretry: 1500\ndata: {}\n\n")
    assert event == ServerSentEvent(data="{}", event="delta", id="7", retry=1500)


def test_last_event_id_persists_across_events() -> None:
    first, second = events("id: 1\ndata: a\n\ndata: b\n\n")
    assert (first.id, second.id) == ("1", "1")


def test_id_containing_null_is_ignored() -> None:
    assert events("id: a\0b\ndata: x\n\n")[0].id is None


def test_non_numeric_retry_is_ignored() -> None:
    assert events("retry: 10s\ndata: x\n\n")[0].retry is None


def test_comments_and_unknown_fields_are_ignored() -> None:
    assert events(": keep-alive\nfoo: bar\ndata: x\n\n") == [ServerSentEvent(data="x")]


def test_event_without_data_is_not_dispatched() -> None:
    assert events("event: ping\n\ndata: x\n\n") == [ServerSentEvent(data="x")]


def test_event_type_does_not_leak_into_the_next_event() -> None:
    first, second = events("event: a\ndata: 1\n\ndata: 2\n\n")
    assert (first.event, second.event) == ("a", "message")


def test_unterminated_final_event_is_discarded() -> None:
    assert events("data: done\n\ndata: partial") == [ServerSentEvent(data="done")]


def test_cr_only_line_endings_work() -> None:
    assert events("data: a\r\rdata: b\r\r") == [
        ServerSentEvent(data="a"),
        ServerSentEvent(data="b"),
    ]


def test_events_arrive_as_soon_as_their_blank_line_does() -> None:
    decoder = SseDecoder()
    assert decoder.feed("data: x") is None
    assert decoder.feed("") == ServerSentEvent(data="x")


def test_async_lines_and_events_match_the_sync_ones() -> None:
    chunks = [b"event: a\r", b"\ndata: 1\n", b"\n: c\ndata: 2\n\n"]

    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def collect() -> list[ServerSentEvent]:
        return [event async for event in aiter_events(aiter_lines(source()))]

    expected: Iterable[ServerSentEvent] = iter_events(iter_lines(chunks))
    assert asyncio.run(collect()) == list(expected)

"""Request bodies with OpenAPI `encoding`s and media types, byte for byte on the wire:
urlencoded fields with styles, multipart parts with content types and headers, text and
binary bodies (bytes, file objects, paths) and content type overrides."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.runtime import Encoded, Endpoint, JsonResult, Part, Request, Styled, SyncHttp
from tests.runtime.conftest import Driver
from tests.runtime.schema import VoiceSettings
from tests.support.loopback import LoopbackServer, RecordedRequest

POST: Endpoint[Any] = Endpoint(method="POST", path="/v1/upload", result=JsonResult(Any))


def _send(http: Driver, loopback: LoopbackServer, request: Request) -> RecordedRequest:
    loopback.respond(json={})
    http.call(POST, request)
    return loopback.requests[-1]


def _boundary(sent: RecordedRequest) -> str:
    content_type = sent.header("content-type") or ""
    return content_type.partition("; boundary=")[2]


def _multipart(boundary: str, *parts: tuple[list[str], bytes]) -> bytes:
    """The multipart body of `parts`, each (header lines, content)."""
    body = b""
    for headers, content in parts:
        head = "".join(f"{line}\r\n" for line in headers)
        body += f"--{boundary}\r\n{head}\r\n".encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


def _field(name: str, *more: str, filename: str | None = None) -> list[str]:
    disposition = f'Content-Disposition: form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return [disposition, *more]


class Unseekable(io.RawIOBase):
    """A binary stream that can be read once, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# application/x-www-form-urlencoded


def test_urlencoded_field_with_a_style_is_serialized_in_that_style(
    http: Driver, loopback: LoopbackServer
) -> None:
    sent = _send(
        http, loopback, Request(form=(("tags", Styled(["a", "b"], "form", explode=False)),))
    )
    assert (sent.header("content-type"), sent.body) == (
        "application/x-www-form-urlencoded",
        b"tags=a,b",
    )


def test_urlencoded_deep_object_field_nests_its_keys(
    http: Driver, loopback: LoopbackServer
) -> None:
    metadata = Styled({"order_id": "6735", "note": "a b"}, "deepObject")
    sent = _send(http, loopback, Request(form=(("metadata", metadata),)))
    assert sent.body == b"metadata%5Border_id%5D=6735&metadata%5Bnote%5D=a%20b"


def test_urlencoded_deep_object_field_indexes_lists_of_objects_as_payment_apis_expect(
    http: Driver, loopback: LoopbackServer
) -> None:
    items = Styled([{"price": "price_1", "quantity": 2}], "deepObject")
    sent = _send(http, loopback, Request(form=(("items", items), ("mode", "payment"))))
    assert sent.body == (
        b"items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2&mode=payment"
    )


def test_urlencoded_object_field_without_an_encoding_is_form_with_explode(
    http: Driver, loopback: LoopbackServer
) -> None:
    sent = _send(http, loopback, Request(form=(("address", {"city": "Oslo", "zip": "0150"}),)))
    assert sent.body == b"city=Oslo&zip=0150"


def test_urlencoded_field_with_a_content_type_is_its_text_percent_encoded(
    http: Driver, loopback: LoopbackServer
) -> None:
    sent = _send(
        http, loopback, Request(form=(("payload", Encoded({"a": 1}, "application/json")),))
    )
    assert sent.body == b"payload=%7B%22a%22%3A1%7D"


def test_urlencoded_content_type_override_is_sent(http: Driver, loopback: LoopbackServer) -> None:
    media = "application/x-www-form-urlencoded; charset=utf-8"
    sent = _send(http, loopback, Request(form=(("a", "1"),), content_type=media))
    assert (sent.header("content-type"), sent.body) == (media, b"a=1")


# multipart/form-data


def test_multipart_fields_and_files_by_default(http: Driver, loopback: LoopbackServer) -> None:
    request = Request(
        form=(("name", "clone"), ("labels", ["a", "b"]), ("skip", None), ("meta", {"k": 1})),
        files=(("file", ("one.mp3", b"ONE")), ("raw", b"RAW")),
    )
    sent = _send(http, loopback, request)
    boundary = _boundary(sent)
    assert sent.header("content-type") == f"multipart/form-data; boundary={boundary}"
    assert sent.body == _multipart(
        boundary,
        (_field("name"), b"clone"),
        (_field("labels"), b"a"),
        (_field("labels"), b"b"),
        (_field("meta", "Content-Type: application/json"), b'{"k":1}'),
        (_field("file", "Content-Type: audio/mpeg", filename="one.mp3"), b"ONE"),
        (_field("raw", "Content-Type: application/octet-stream", filename="upload"), b"RAW"),
    )


def test_multipart_model_field_is_an_application_json_part_by_alias(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(form=(("settings", VoiceSettings(similarity_boost=0.5)),), files=())
    sent = _send(http, loopback, request)
    assert sent.body == _multipart(
        _boundary(sent),
        (_field("settings", "Content-Type: application/json"), b'{"similarityBoost":0.5}'),
    )


def test_multipart_encoded_field_is_a_part_of_its_media_type(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(form=(("note", Encoded("hi", "text/markdown")),), files=())
    sent = _send(http, loopback, request)
    assert sent.body == _multipart(
        _boundary(sent), (_field("note", "Content-Type: text/markdown"), b"hi")
    )


def test_multipart_part_sends_its_encodings_content_type_and_headers(
    http: Driver, loopback: LoopbackServer
) -> None:
    part = Part({"a": [1]}, "application/json", {"X-Rate-Limit": "10"})
    sent = _send(http, loopback, Request(form=(("meta", part),), files=()))
    assert sent.body == _multipart(
        _boundary(sent),
        (_field("meta", "X-Rate-Limit: 10", "Content-Type: application/json"), b'{"a":[1]}'),
    )


def test_multipart_part_content_type_replaces_a_files_own(
    http: Driver, loopback: LoopbackServer
) -> None:
    part = Part(("logo.bin", b"PNG", "application/octet-stream"), "image/png")
    sent = _send(http, loopback, Request(files=(("logo", part),)))
    assert sent.body == _multipart(
        _boundary(sent), (_field("logo", "Content-Type: image/png", filename="logo.bin"), b"PNG")
    )


def test_multipart_list_of_files_gives_a_part_each_under_one_name(
    http: Driver, loopback: LoopbackServer
) -> None:
    files = [("a.txt", b"A"), ("b.json", b"{}")]
    sent = _send(http, loopback, Request(files=(("attachments", files),)))
    assert sent.body == _multipart(
        _boundary(sent),
        (_field("attachments", "Content-Type: text/plain", filename="a.txt"), b"A"),
        (_field("attachments", "Content-Type: application/json", filename="b.json"), b"{}"),
    )


def test_multipart_part_of_a_list_of_files_gives_each_its_encoding(
    http: Driver, loopback: LoopbackServer
) -> None:
    part = Part([b"1", io.BytesIO(b"2")], "image/png")
    sent = _send(http, loopback, Request(files=(("images", part),)))
    header = _field("images", "Content-Type: image/png", filename="upload")
    assert sent.body == _multipart(_boundary(sent), (header, b"1"), (header, b"2"))


def test_multipart_content_type_makes_a_form_without_files_multipart(
    http: Driver, loopback: LoopbackServer
) -> None:
    sent = _send(http, loopback, Request(form=(("a", "1"),), content_type="multipart/form-data"))
    assert sent.body == _multipart(_boundary(sent), (_field("a"), b"1"))


def test_multipart_without_any_part_is_an_empty_multipart_body(
    http: Driver, loopback: LoopbackServer
) -> None:
    sent = _send(http, loopback, Request(form=(("a", None),), files=()))
    assert sent.body == _multipart(_boundary(sent))


def test_another_multipart_type_is_sent_with_the_boundary(
    http: Driver, loopback: LoopbackServer
) -> None:
    request = Request(form=(("a", "1"),), files=(), content_type="multipart/mixed")
    sent = _send(http, loopback, request)
    boundary = _boundary(sent)
    assert sent.header("content-type") == f"multipart/mixed; boundary={boundary}"
    assert sent.body == _multipart(boundary, (_field("a"), b"1"))


def test_multipart_file_that_cannot_seek_is_sent_whole_on_a_retry(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(503)
    sent = _send(http, loopback, Request(files=(("f", ("f.bin", Unseekable(b"DATA"))),)))
    first = loopback.requests[0]
    expected = _multipart(
        _boundary(sent),
        (_field("f", "Content-Type: application/octet-stream", filename="f.bin"), b"DATA"),
    )
    assert (first.body, sent.body) == (expected, expected)


# Raw bodies: text and binary


def test_text_body_is_utf8_text_plain(http: Driver, loopback: LoopbackServer) -> None:
    sent = _send(http, loopback, Request(content="héllo"))
    assert (sent.header("content-type"), sent.body) == (
        "text/plain; charset=utf-8",
        "héllo".encode(),
    )


def test_text_body_is_sent_with_the_given_content_type(
    http: Driver, loopback: LoopbackServer
) -> None:
    sent = _send(http, loopback, Request(content="a,b\n", content_type="text/csv"))
    assert (sent.header("content-type"), sent.body) == ("text/csv", b"a,b\n")


def test_file_object_body_is_sent_from_where_it_stands_with_its_length(
    http: Driver, loopback: LoopbackServer
) -> None:
    stream = io.BytesIO(b"--DATA")
    stream.seek(2)
    sent = _send(http, loopback, Request(content=stream, content_type="image/png"))
    assert (sent.header("content-type"), sent.header("content-length"), sent.body) == (
        "image/png",
        "4",
        b"DATA",
    )


def test_path_body_is_the_files_bytes_as_octet_stream(
    http: Driver, loopback: LoopbackServer, tmp_path: Path
) -> None:
    path = tmp_path / "clip.bin"
    path.write_bytes(b"\x00\x01" * 50_000)
    sent = _send(http, loopback, Request(content=path))
    assert (sent.header("content-type"), sent.header("content-length"), sent.body) == (
        "application/octet-stream",
        "100000",
        b"\x00\x01" * 50_000,
    )


@pytest.mark.parametrize("kind", ["file object", "path", "unseekable"])
def test_binary_body_is_sent_whole_again_on_a_retry(
    http: Driver, loopback: LoopbackServer, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "body.bin"
    path.write_bytes(b"BODY")
    content = {"file object": io.BytesIO(b"BODY"), "path": path, "unseekable": Unseekable(b"BODY")}
    loopback.respond(503)
    _send(http, loopback, Request(content=content[kind]))
    assert [sent.body for sent in loopback.requests] == [b"BODY", b"BODY"]


def test_json_body_is_sent_with_a_given_json_suffix_type(
    http: Driver, loopback: LoopbackServer
) -> None:
    media = "application/merge-patch+json"
    sent = _send(http, loopback, Request(json={"name": None}, content_type=media))
    assert (sent.header("content-type"), sent.body) == (media, b'{"name":null}')


def _through_a_mock_transport(request: Request) -> httpx.Request:
    """The request a transport that reads `request.content` (MockTransport, a caller's test
    double) is given, its body read there."""
    seen: list[httpx.Request] = []

    def handler(sent: httpx.Request) -> httpx.Response:
        sent.read()
        seen.append(sent)
        return httpx.Response(200, json={})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    SyncHttp(base_url="https://api.example.test", httpx_client=client).call(POST, request)
    return seen[0]


def test_a_file_object_body_is_the_content_a_transport_reads() -> None:
    assert _through_a_mock_transport(Request(content=io.BytesIO(b"DATA"))).content == b"DATA"


def test_a_multipart_body_is_the_content_a_transport_reads() -> None:
    sent = _through_a_mock_transport(Request(files=(("f", (None, b"DATA")),)))
    boundary = sent.headers["content-type"].partition("; boundary=")[2]
    assert sent.content == _multipart(boundary, (_field("f"), b"DATA"))


def test_multipart_field_ignores_a_style(http: Driver, loopback: LoopbackServer) -> None:
    request = Request(form=(("tags", Styled(["a", "b"], "form", explode=False)),), files=())
    sent = _send(http, loopback, request)
    assert sent.body == _multipart(_boundary(sent), (_field("tags"), b"a"), (_field("tags"), b"b"))


def test_a_part_in_a_urlencoded_form_raises_type_error_before_sending(
    http: Driver, loopback: LoopbackServer
) -> None:
    with pytest.raises(TypeError, match="Part does not apply here"):
        http.call(POST, Request(form=(("meta", Part({"a": 1}, "application/json")),)))
    assert loopback.requests == []

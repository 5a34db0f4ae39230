"""Request bodies on the wire: JSON, urlencoded forms, multipart uploads, raw bytes."""

from __future__ import annotations

import email.parser
import email.policy
import io
from pathlib import Path
from typing import Any

from generator.runtime import OMIT, Endpoint, FileInput, JsonResult, Request
from tests.runtime.conftest import Driver
from tests.runtime.schema import AUDIO, VoiceSettings
from tests.support.loopback import LoopbackServer, RecordedRequest

POST: Endpoint[Any] = Endpoint(method="POST", path="/v1/upload", result=JsonResult(Any))


def parts(sent: RecordedRequest) -> list[tuple[str | None, str | None, str, bytes]]:
    """(field name, filename, content type, content) for each multipart part, in order."""
    head = f"Content-Type: {sent.header('content-type')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + sent.body)
    result: list[tuple[str | None, str | None, str, bytes]] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        name = part.get_param("name", header="content-disposition")
        assert isinstance(payload, bytes) and isinstance(name, str)
        result.append((name, part.get_filename(), part.get_content_type(), payload))
    return result


def test_json_body_is_sent_with_its_content_type(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(POST, Request(json={"text": "hi", "model_id": OMIT, "seed": None}))
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/json"
    assert sent.json() == {"text": "hi", "seed": None}


def test_json_model_body_sends_only_set_fields_by_alias(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(POST, Request(json=VoiceSettings(similarityBoost=0.3)))
    assert loopback.requests[0].json() == {"similarityBoost": 0.3}


def test_no_body_is_sent_when_json_is_omit_or_none(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    loopback.respond(json={})
    http.call(POST, Request())
    http.call(POST, Request(json=None))
    assert [(sent.body, sent.header("content-type")) for sent in loopback.requests] == [
        (b"", None),
        (b"", None),
    ]


def test_urlencoded_form_repeats_list_fields(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    http.call(POST, Request(form=(("name", "a b"), ("tags", ["x", "y"]), ("skip", None))))
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/x-www-form-urlencoded"
    assert sent.body == b"name=a%20b&tags=x&tags=y"


def test_raw_bytes_content_is_sent_as_is(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(body=b"audio")
    result = http.call(
        AUDIO, Request(path_params={"voice_id": "v"}, content=b"\x00\x01", content_type="audio/wav")
    )
    sent = loopback.requests[0]
    assert (result, sent.body, sent.header("content-type")) == (b"audio", b"\x00\x01", "audio/wav")


def test_raw_bytes_default_to_octet_stream(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(body=b"")
    http.call(AUDIO, Request(path_params={"voice_id": "v"}, content=b"x"))
    assert loopback.requests[0].header("content-type") == "application/octet-stream"


def test_multipart_sends_fields_with_repeats_then_files(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    http.call(
        POST,
        Request(
            form=(
                ("name", "clone"),
                ("labels", ["a", "b"]),
                ("skip", None),
                ("remove_noise", True),
            ),
            files=(("files", ("one.mp3", b"ONE", "audio/mpeg")),),
        ),
    )
    assert parts(loopback.requests[0]) == [
        ("name", None, "text/plain", b"clone"),
        ("labels", None, "text/plain", b"a"),
        ("labels", None, "text/plain", b"b"),
        ("remove_noise", None, "text/plain", b"true"),
        ("files", "one.mp3", "audio/mpeg", b"ONE"),
    ]


def test_multipart_accepts_every_file_input_form(
    http: Driver, loopback: LoopbackServer, tmp_path: Path
) -> None:
    path = tmp_path / "voice.wav"
    path.write_bytes(b"PATH")
    named = io.BytesIO(b"NAMED")
    named.name = "/somewhere/named.mp3"
    inputs: list[tuple[str, FileInput]] = [
        ("bytes", b"BYTES"),
        ("object", io.BytesIO(b"OBJECT")),
        ("named", named),
        ("path", path),
        ("pair", ("pair.txt", b"PAIR")),
        ("pair_object", ("po.bin", io.BytesIO(b"PO"))),
        ("triple", ("t.json", b"{}", "application/json")),
        ("nameless", (None, b"NONAME")),
    ]
    loopback.respond(json={})
    http.call(POST, Request(files=inputs))
    assert parts(loopback.requests[0]) == [
        ("bytes", "upload", "application/octet-stream", b"BYTES"),
        ("object", "upload", "application/octet-stream", b"OBJECT"),
        ("named", "named.mp3", "audio/mpeg", b"NAMED"),
        ("path", "voice.wav", "audio/x-wav", b"PATH"),
        ("pair", "pair.txt", "text/plain", b"PAIR"),
        ("pair_object", "po.bin", "application/octet-stream", b"PO"),
        ("triple", "t.json", "application/json", b"{}"),
        ("nameless", None, "text/plain", b"NONAME"),
    ]


def test_files_opened_from_paths_are_closed_after_the_call(
    http: Driver, loopback: LoopbackServer, tmp_path: Path, monkeypatch: Any
) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"A")
    opened: list[Any] = []
    real_open = open

    def spy(*args: Any, **kwargs: Any) -> Any:
        handle = real_open(*args, **kwargs)
        opened.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", spy)
    loopback.respond(json={})
    http.call(POST, Request(files=(("file", path),)))
    assert opened and all(handle.closed for handle in opened)


def test_multipart_upload_is_resent_whole_on_retry(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(503)
    loopback.respond(json={})
    http.call(POST, Request(files=(("file", io.BytesIO(b"DATA")),)))
    first, second = (parts(sent) for sent in loopback.requests)
    assert first == second == [("file", "upload", "application/octet-stream", b"DATA")]

"""Request bodies from a small inline spec, end to end (generate, import, mypy, call a loopback
server): urlencoded with `encoding` (deepObject nesting, a comma-joined list, a JSON field),
multipart with `encoding` (per-part content types, an array of files), text/plain and any +json
type sent with its exact Content-Type; the exact bytes on the wire."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.runtime.test_bodies import parts
from tests.support.loopback import LoopbackServer
from tests.test_features_common import Generated, generate_package, json_response

OK = json_response({"type": "object"})
OBJECT = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "lines": {"type": "array", "items": {"type": "string"}},
    },
}


def _post(operation_id: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {"required": True, "content": content},
            "responses": {"200": OK},
        }
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Bodies", "version": "1"},
    "paths": {
        "/charges": _post(
            "createCharge",
            {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "amount": {"type": "integer"},
                            "address": OBJECT,
                            "expand": {"type": "array", "items": {"type": "string"}},
                            "meta": {"type": "object"},
                            "plain": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                    "encoding": {
                        "address": {"style": "deepObject", "explode": True},
                        "expand": {"style": "form", "explode": False},
                        "meta": {"contentType": "application/json"},
                    },
                }
            },
        ),
        "/uploads": _post(
            "upload",
            {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "images": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            },
                            "doc": {"type": "string", "format": "binary"},
                            "info": OBJECT,
                            "note": {"type": "string"},
                        },
                    },
                    "encoding": {
                        "images": {"contentType": "image/png"},
                        "doc": {"contentType": "image/png, image/jpeg"},
                        "info": {"contentType": "application/vnd.info+json"},
                    },
                }
            },
        ),
        "/notes": _post("putNote", {"text/plain": {"schema": {"type": "string"}}}),
        "/patch": _post(
            "patchThing",
            {"application/merge-patch+json": {"schema": OBJECT}},
        ),
    },
}

USAGE = """
from feat_bodies import Tiny

client = Tiny(base_url="http://127.0.0.1:9")
client.create_charge(amount=1, address={"city": "x"}, expand=["a"], meta={"k": 1})
client.upload(images=[b"a", ("b.png", b"b")], doc=b"d", info={"city": "c"}, note="n")
client.put_note(request="text")
client.patch_thing(city="x")
"""


@pytest.fixture(scope="module")
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    folder = tmp_path_factory.mktemp("bodies")
    return generate_package(request, folder, SPEC, "feat_bodies", auth=None)


@pytest.fixture
def client(generated: Generated, loopback: LoopbackServer) -> Iterator[Any]:
    with generated.module.Tiny(base_url=loopback.url) as client:
        yield client


def test_the_package_and_code_using_it_pass_mypy_strict(generated: Generated) -> None:
    assert generated.mypy(USAGE) == ""


def test_urlencoded_encoding_styles_and_content_types(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    client.create_charge(
        amount=5,
        address={"city": "Paris", "lines": ["1 rue", "2e"]},
        expand=["customer", "invoice"],
        meta={"k": 1},
        plain=["p", "q"],
    )
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/x-www-form-urlencoded"
    assert sent.body == (
        b"amount=5&address%5Bcity%5D=Paris&address%5Blines%5D%5B0%5D=1%20rue"
        b"&address%5Blines%5D%5B1%5D=2e&expand=customer,invoice&meta=%7B%22k%22%3A1%7D"
        b"&plain=p&plain=q"
    )


def test_multipart_encoding_content_types_and_an_array_of_files(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    client.upload(
        images=[b"png-1", ("two.png", b"png-2")],
        doc=("d.pdf", b"pdf", "application/pdf"),
        info={"city": "c"},
        note="n",
    )
    assert parts(loopback.requests[0]) == [
        ("info", None, "application/vnd.info+json", b'{"city":"c"}'),
        ("note", None, "text/plain", b"n"),
        ("images", "upload", "image/png", b"png-1"),
        ("images", "two.png", "image/png", b"png-2"),
        ("doc", "d.pdf", "application/pdf", b"pdf"),
    ]


def test_text_plain_body(client: Any, loopback: LoopbackServer) -> None:
    loopback.respond(json={})
    client.put_note(request="héllo")
    sent = loopback.requests[0]
    assert (sent.header("content-type"), sent.body) == ("text/plain", "héllo".encode())


def test_a_plus_json_body_is_sent_with_its_media_type(
    client: Any, loopback: LoopbackServer
) -> None:
    loopback.respond(json={})
    client.patch_thing(city="x")
    sent = loopback.requests[0]
    assert sent.header("content-type") == "application/merge-patch+json"
    assert sent.json() == {"city": "x"}


def test_the_encoding_is_in_request(generated: Generated) -> None:
    charge = generated.file("_operations/create_charge.py")
    assert '("address", Styled(address, "deepObject")),' in charge
    assert '("expand", Styled(expand, "form", explode=False)),' in charge
    assert '("meta", Encoded(meta, "application/json")),' in charge
    assert '("plain", plain),' in charge
    upload = generated.file("_operations/upload.py")
    assert '("images", Part(images, "image/png")),' in upload
    assert '("doc", doc),' in upload
    assert not [n for n in generated.notes if "encoding" in n], generated.notes

"""How responses become results or errors: parsing, documented errors, raw responses."""

from __future__ import annotations

import json

import httpx
import pytest

from generator.runtime import ApiError, RawResponse, Request, ResponseValidationError
from tests.runtime.conftest import Driver
from tests.runtime.schema import (
    ANY_JSON,
    GET_VOICE,
    LIST_VOICES,
    TEXT,
    HTTPValidationError,
    NotFoundError,
    UnprocessableEntityError,
    Voice,
)
from tests.support.loopback import LoopbackServer

V1 = Request(path_params={"voice_id": "v1"})
DETAIL = {"detail": [{"loc": ["query", "voice_id"], "msg": "bad id", "type": "value_error"}]}


def test_json_list_result_is_parsed_into_models(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json=[{"voice_id": "a", "name": "A"}, {"voice_id": "b", "name": "B"}])
    assert http.call(LIST_VOICES) == [Voice(voice_id="a", name="A"), Voice(voice_id="b", name="B")]


def test_any_json_result_is_the_plain_value(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(json={"a": [1, None]})
    assert http.call(ANY_JSON) == {"a": [1, None]}


def test_text_result_is_decoded_with_the_charset(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(
        body="é".encode("latin-1"), headers=[("content-type", "text/plain; charset=latin-1")]
    )
    assert http.call(TEXT) == "é"


def test_documented_422_raises_its_subclass_with_parsed_body(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(422, json=DETAIL, headers=[("x-request-id", "r1")])
    with pytest.raises(UnprocessableEntityError) as caught:
        http.call(GET_VOICE, V1)
    error = caught.value
    assert error.status_code == 422
    assert error.headers["x-request-id"] == "r1"
    assert error.body == HTTPValidationError.model_validate(DETAIL)


def test_documented_error_whose_body_does_not_fit_keeps_raw_json(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(422, json={"unexpected": True})
    with pytest.raises(UnprocessableEntityError) as caught:
        http.call(GET_VOICE, V1)
    assert caught.value.body == {"unexpected": True}


def test_documented_error_whose_body_is_not_json_keeps_text(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(422, body="<h1>bad</h1>", headers=[("content-type", "text/html")])
    with pytest.raises(UnprocessableEntityError) as caught:
        http.call(GET_VOICE, V1)
    assert caught.value.body == "<h1>bad</h1>"


def test_documented_error_without_body_type_keeps_raw_json(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(404, json={"detail": "no such voice"})
    with pytest.raises(NotFoundError) as caught:
        http.call(GET_VOICE, V1)
    assert caught.value.body == {"detail": "no such voice"}


def test_undocumented_status_raises_api_error_with_status_headers_body(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(401, json={"detail": "invalid api key"}, headers=[("x-request-id", "r2")])
    with pytest.raises(ApiError) as caught:
        http.call(GET_VOICE, V1)
    error = caught.value
    assert type(error) is ApiError
    assert (error.status_code, error.headers["x-request-id"], error.body) == (
        401,
        "r2",
        {"detail": "invalid api key"},
    )
    assert str(error) == 'status_code: 401, body: {"detail": "invalid api key"}'


def test_malformed_json_in_a_2xx_raises_response_validation_error(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(
        200, body='{"voice_id": "v1", "na', headers=[("content-type", "application/json")]
    )
    with pytest.raises(ResponseValidationError) as caught:
        http.call(GET_VOICE, V1)
    error = caught.value
    assert error.status_code == 200
    assert error.body == '{"voice_id": "v1", "na'
    assert "does not match Voice" in str(error)
    assert '{"voice_id": "v1", "na' in str(error)


def test_2xx_body_of_the_wrong_shape_names_the_fields(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"voice_id": 3})
    with pytest.raises(ResponseValidationError) as caught:
        http.call(GET_VOICE, V1)
    message = str(caught.value)
    assert (
        "2 validation errors: voice_id: Input should be a valid string; name: Field required"
        in message
    )
    assert "https://errors.pydantic.dev" not in message
    assert caught.value.__cause__ is not None


def test_response_validation_error_body_excerpt_is_truncated(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(json={"voice_id": 1, "name": "x" * 10_000})
    with pytest.raises(ResponseValidationError) as caught:
        http.call(GET_VOICE, V1)
    assert len(str(caught.value)) < 1000
    assert len(caught.value.body) > 10_000


def test_call_raw_returns_status_headers_and_parsed_data(
    http: Driver, loopback: LoopbackServer
) -> None:
    loopback.respond(201, json={"voice_id": "v1", "name": "Ann"}, headers=[("x-request-id", "r3")])
    raw = http.call_raw(GET_VOICE, V1)
    assert isinstance(raw, RawResponse)
    assert isinstance(raw.headers, httpx.Headers)
    assert (raw.status_code, raw.headers["X-Request-Id"], raw.data) == (
        201,
        "r3",
        Voice(voice_id="v1", name="Ann"),
    )


def test_call_raw_raises_like_call(http: Driver, loopback: LoopbackServer) -> None:
    loopback.respond(422, body=json.dumps(DETAIL))
    with pytest.raises(UnprocessableEntityError):
        http.call_raw(GET_VOICE, V1)


def test_call_on_a_streamed_endpoint_is_a_type_error(
    http: Driver, loopback: LoopbackServer
) -> None:
    from tests.runtime.schema import CHUNKS_SSE

    loopback.respond(body="data: {}\n\n")
    with pytest.raises(TypeError, match="stream_items"):
        http.call(CHUNKS_SSE)

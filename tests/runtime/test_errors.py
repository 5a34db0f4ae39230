"""_errors and _decoding: what errors carry and how they render."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from generator.runtime import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    ResponseValidationError,
)
from generator.runtime._decoding import decode_error_body, summarize, validator_for
from tests.runtime.schema import HTTPValidationError, UnprocessableEntityError, Voice


def test_api_error_str_shows_status_and_body() -> None:
    error = ApiError(status_code=404, headers={}, body={"detail": "not found"})
    assert str(error) == 'status_code: 404, body: {"detail": "not found"}'


def test_api_error_str_truncates_long_bodies() -> None:
    text = str(ApiError(status_code=500, body="x" * 5000))
    assert len(text) < 600
    assert text.endswith("(4500 more characters)")


def test_api_error_repr_names_the_subclass() -> None:
    error = UnprocessableEntityError(status_code=422, body="bad")
    assert repr(error) == "UnprocessableEntityError(status_code: 422, body: bad)"


def test_api_error_with_model_body_renders_it_as_json() -> None:
    body = HTTPValidationError.model_validate(
        {"detail": [{"loc": ["body"], "msg": "m", "type": "t"}]}
    )
    assert '"msg":"m"' in str(ApiError(status_code=422, body=body))


def test_api_error_survives_pickling() -> None:
    error = UnprocessableEntityError(status_code=422, headers={"a": "b"}, body=[1])
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.status_code, copy.headers, copy.body) == (
        UnprocessableEntityError,
        422,
        {"a": "b"},
        [1],
    )


def test_response_validation_error_summarizes_without_a_pydantic_dump() -> None:
    error = ResponseValidationError(
        status_code=200, body='{"voice_id": 1}', expected="Voice", summary="1 validation error: x"
    )
    assert str(error) == (
        "response body does not match Voice (status_code: 200): 1 validation error: x; "
        'body: {"voice_id": 1}'
    )
    assert isinstance(error, ApiError)


def test_timeout_error_is_also_an_httpx_timeout() -> None:
    error = ApiTimeoutError("timed out", request=httpx.Request("GET", "https://x.test/"))
    assert isinstance(error, httpx.TimeoutException)
    assert isinstance(error, ApiConnectionError)
    assert error.request.url == "https://x.test/"


def test_summary_lists_locations_and_messages_and_counts_the_rest() -> None:
    with pytest.raises(ValidationError) as caught:
        validator_for(list[Voice])(b'[{}, {"voice_id": 1, "name": "n"}]')
    summary = summarize(caught.value, limit=2)
    assert summary == (
        "3 validation errors: 0.voice_id: Field required; 0.name: Field required; and 1 more"
    )


def test_validators_for_type_forms_are_built_once() -> None:
    assert validator_for(list[Voice]) is validator_for(list[Voice])


def test_model_validator_is_model_validate_json() -> None:
    assert validator_for(Voice) == Voice.model_validate_json


def test_validators_accept_unhashable_type_forms() -> None:
    from typing import Annotated

    from pydantic import Field

    tp: Any = Annotated[list[int], Field(min_length=1), {"unhashable": []}]
    assert validator_for(tp)(b"[1]") == [1]


def test_error_body_parses_into_the_declared_type() -> None:
    content = b'{"detail": [{"loc": ["body", 0], "msg": "m", "type": "t"}]}'
    body = decode_error_body(content, lambda: content.decode(), HTTPValidationError)
    assert isinstance(body, HTTPValidationError)


def test_error_body_that_does_not_fit_stays_raw_json() -> None:
    assert decode_error_body(b'{"other": 1}', lambda: "", HTTPValidationError) == {"other": 1}


def test_error_body_that_is_not_json_stays_text() -> None:
    assert decode_error_body(b"<html>oops", lambda: "<html>oops", HTTPValidationError) == (
        "<html>oops"
    )


def test_empty_error_body_is_none() -> None:
    assert decode_error_body(b"", lambda: "", HTTPValidationError) is None

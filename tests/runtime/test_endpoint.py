"""Endpoint, result kinds, Request and OMIT as values: frozen, comparable, cached."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import httpx
import pytest

from generator.runtime import (
    OMIT,
    Endpoint,
    JsonResult,
    Omit,
    Request,
    SseResult,
    _decoding,
    _endpoint,
)
from tests.runtime.schema import GET_VOICE, Voice


def test_omit_is_a_falsy_singleton_named_omit() -> None:
    assert Omit() is OMIT
    assert not OMIT
    assert repr(OMIT) == "OMIT"
    assert OMIT is not None


def test_omit_survives_copy_and_pickle() -> None:
    assert copy.deepcopy(OMIT) is OMIT
    assert pickle.loads(pickle.dumps(OMIT)) is OMIT


def test_request_and_endpoint_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Request().json = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        GET_VOICE.path = "/other"  # type: ignore[misc]


def test_typed_results_are_frozen_and_compare_by_value() -> None:
    result = JsonResult(list[Voice])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.type = Voice
    assert result == JsonResult(list[Voice])
    assert hash(SseResult(Voice)) == hash(SseResult(Voice))
    assert SseResult(Voice) != SseResult(Voice, terminator=None)
    assert repr(result) == f"JsonResult({list[Voice]!r})"


def test_type_adapter_is_built_once_per_result_not_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds: list[Any] = []
    real = _decoding.validator_for

    def counting(tp: Any) -> Any:
        builds.append(tp)
        return real(tp)

    monkeypatch.setattr(_endpoint, "validator_for", counting)
    endpoint: Endpoint[list[Voice]] = Endpoint(
        method="GET", path="/v", result=JsonResult(list[Voice])
    )
    response = httpx.Response(200, content=b'[{"voice_id": "v", "name": "n"}]')
    for _ in range(3):
        assert endpoint.result.decode(response) == [Voice(voice_id="v", name="n")]
    assert builds == [list[Voice]]

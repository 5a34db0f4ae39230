"""Loading JSON: json.loads' result is kept as it is unless something in it needs refusing or
converting (nesting past the limit, an unpaired surrogate, NaN), which is done as for YAML."""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.diagnostics import GenerationFailed
from generator.spec.load import parse_any


def _load(text: str, max_depth: int = 100) -> dict[str, Any]:
    data, _ = parse_any(text.encode(), "spec.json", is_json=True, max_depth=max_depth)
    return data


def _refusal(text: str, max_depth: int = 100) -> str:
    with pytest.raises(GenerationFailed) as failed:
        _load(text, max_depth)
    (diagnostic,) = failed.value.diagnostics
    return diagnostic.render()


def test_a_json_document_loads_as_json_loads_reads_it() -> None:
    document = {"openapi": "3.1.0", "a": [1, 2.5, None, True, {"b": "é/~"}], "c": {}}
    assert _load(json.dumps(document)) == document


def test_a_json_document_as_deep_as_the_limit_loads() -> None:
    assert _load('{"a": {"b": [1]}}', max_depth=3) == {"a": {"b": [1]}}


def test_a_json_document_nested_past_the_limit_is_refused_where_it_goes_too_deep() -> None:
    text = '{\n  "a": {"b": [1]},\n  "c": {"d": {"e": {}}}\n}'
    assert _refusal(text, max_depth=3) == (
        "spec.json:3:20 (at /c/d/e): error: document nests more than 3 levels deep; refused"
    )


def test_an_unpaired_surrogate_escape_in_json_is_refused_where_it_is() -> None:
    text = '{\n  "info": {"title": "bad \\ud800 half"}\n}'
    assert _refusal(text) == (
        "spec.json:2:21 (at /info/title): error: string holds an unpaired surrogate \\ud800, "
        "which is not valid Unicode"
    )


def test_a_surrogate_pair_escape_in_json_is_the_character_it_spells() -> None:
    assert _load('{"title": "smile \\ud83d\\ude00"}') == {"title": "smile \U0001f600"}


def test_nan_in_json_becomes_null_and_infinity_stays() -> None:
    data = _load('{"a": NaN, "b": [Infinity, -Infinity], "NaN": 1}')
    assert data == {"a": None, "b": [float("inf"), float("-inf")], "NaN": 1}

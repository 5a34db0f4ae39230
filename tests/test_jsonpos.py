"""JSON positions: along a pointer, the line and column YAML's composer gives, without composing."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import join_pointer
from generator.spec.jsonpos import JsonPositions
from generator.spec.load import Locator

SPECS = Path(__file__).resolve().parents[1] / "examples" / "specs"


def _pointers(node: Any, at: str = "") -> Iterator[str]:
    """Every value's pointer, and one that goes past it (a missing key or index, or a scalar's)."""
    yield at
    yield at + "/missing~1key"
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _pointers(value, at + join_pointer(key))
    elif isinstance(node, list):
        yield f"{at}/{len(node)}"
        for index, value in enumerate(node):
            yield from _pointers(value, f"{at}/{index}")


def _yaml_and_json(text: str, pointers: list[str]) -> tuple[list[Any], list[Any]]:
    composed, walked = Locator(text), Locator(text, is_json=True)
    return [composed.locate(p) for p in pointers], [walked.locate(p) for p in pointers]


def test_the_full_spec_is_walked_not_composed() -> None:
    text = (SPECS / "elevenlabs-openapi.json").read_text(encoding="utf-8")
    pointers = random.Random(7).sample(list(_pointers(json.loads(text))), 3000)
    walked = Locator(text, is_json=True)
    found = [walked.locate(p) for p in pointers]
    assert not walked._parsed  # YAML never composed it
    assert found == _yaml_and_json(text, pointers)[0]


_KEYS = st.one_of(
    st.sampled_from(["a", "", "~", "/", "~1", "a/b~c", "0", "12", "é", "😀", "x y", '"q"', "\\"]),
    st.text(max_size=6),
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.dictionaries(_KEYS, _DOCUMENTS, max_size=5),
    indent=st.sampled_from([None, 0, 1, 2, 4]),
    compact=st.booleans(),
    ascii_only=st.booleans(),
)
def test_every_position_is_the_one_yaml_gives(
    document: dict[str, Any], indent: int | None, compact: bool, ascii_only: bool
) -> None:
    separators = (",", ":") if compact else (", ", ": ")
    text = json.dumps(document, indent=indent, separators=separators, ensure_ascii=ascii_only)
    composed, walked = _yaml_and_json(text, list(_pointers(document)))
    assert walked == composed


def test_text_yaml_reads_otherwise_is_left_to_yaml() -> None:
    long_key = "k" * 1100
    texts = [
        '{"a":\t1}',  # a tab
        '{"a": "x\u2028y", "b": 1}',  # a line separator: a line break to YAML
        '{"a": 1,\r\n "b": 2}',  # a carriage return
        '{"a": "\\ud83d\\ude00", "b": 1}',  # surrogate escapes
        '{"' + long_key + '": 1, "b": 2}',  # too long for a YAML key
        '{"a"\n: 1}',  # a colon first on its line
        '{"a": "\x7f"}',  # a control character
    ]
    for text in texts:
        assert JsonPositions(text).position(["b"]) is None
        pointers = ["", "/a", "/b", "/" + long_key]
        composed, walked = _yaml_and_json(text, pointers)
        assert walked == composed


def test_positions_are_those_of_the_first_of_duplicate_keys() -> None:
    text = '{\n  "a": 1,\n  "a": {"b": 2}\n}'
    assert Locator(text, is_json=True).locate("/a") == Locator(text).locate("/a") == (2, 8)

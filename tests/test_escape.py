"""Escaping untrusted text into Python source: it reads back exactly, and black leaves it alone."""

from __future__ import annotations

import ast

import black
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.escape import string_literal

MODE = black.Mode(line_length=10_000)


def _black_keeps(source: str) -> bool:
    return black.format_str(source, mode=MODE) == source


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_string_literal_reads_back_as_the_text(text: str) -> None:
    assert ast.literal_eval(string_literal(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab'\"\\\n\t\r\x00\x1b\u2028\u202e\u00e9 {}"))))
def test_black_leaves_a_string_literal_as_written(text: str) -> None:
    assert _black_keeps(f"x = {string_literal(text)}\n")


def test_string_literal_prefers_double_quotes() -> None:
    assert string_literal("it's") == '"it\'s"'


def test_string_literal_takes_single_quotes_when_they_need_fewer_escapes() -> None:
    assert string_literal('say "hi"') == "'say \"hi\"'"


def test_string_literal_writes_line_breaks_and_bidi_controls_as_escapes() -> None:
    assert string_literal("a\nb\u2028c\u202ed") == '"a\\nb\\u2028c\\u202ed"'


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_string_literal_is_what_black_makes_of_repr(text: str) -> None:
    assert black.format_str(f"x = {text!r}\n", mode=MODE) == f"x = {string_literal(text)}\n"


def test_string_literal_escapes_characters_beyond_the_basic_plane_that_are_not_printable() -> None:
    assert string_literal("\U000e0001") == '"\\U000e0001"'

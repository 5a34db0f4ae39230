"""Layout of what render.py still lays out itself (imports, docstrings), and the choice between
lay_out_module and black for the rendered modules (the --black switch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import black
import pytest
from black.mode import TargetVersion
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.emit import render
from generator.escape import docstring
from generator.layout import Unsupported
from generator.layout import fallback as format_step
from generator.layout.statements import Layout, docstring_literal
from generator.pipeline import generate
from tests.support.generation import config_for, minimal_spec, write_spec

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)
LONG = "PronunciationDictionaryVersionLocatorRequestModel"


def _black(source: str) -> str:
    return black.format_str(source, mode=MODE)


def test_an_import_that_fits_stays_on_one_line() -> None:
    lay = Layout()
    assert lay.from_import("pkg.models.thing", ["Thing", "OtherThing"]) == [
        "from pkg.models.thing import Thing, OtherThing"
    ]


def test_an_import_that_does_not_fit_is_exploded_one_name_a_line() -> None:
    lay = Layout()
    lines = lay.from_import(f"pkg.models.{LONG.lower()}", [LONG], 1)
    source = "if TYPE_CHECKING:\n" + "\n".join(lines) + "\n"
    assert source == _black(
        f"if TYPE_CHECKING:\n    from pkg.models.{LONG.lower()} import {LONG}\n"
    )
    assert lines[-1] == "    )"


def test_an_import_whose_wide_characters_decide_its_layout_is_laid_out_as_black_does() -> None:
    # 58 characters, 98 columns if the CJK characters are two columns wide, as black counts them.
    lay = Layout()
    name = "名前" * 20
    lines = lay.from_import("pkg.m", [name])
    assert lines == ["from pkg.m import (", f"    {name},", ")"]
    assert "\n".join(lines) + "\n" == _black(f"from pkg.m import {name}\n")
    assert lay.exact


def test_black_counts_only_characters_from_u1100_as_wide_and_them_as_two_columns() -> None:
    # The layout's fast paths measure a line by its length, plus one for each character from
    # U+1100 on when that could decide; a black whose table said otherwise would break them.
    from black._width_table import WIDTH_TABLE

    assert {width for _, _, width in WIDTH_TABLE} == {2}
    assert min(start for start, _, _ in WIDTH_TABLE) >= 0x1100


def _template_docstring(text: str, depth: int) -> str:
    """A function with the docstring as the templates used to write it, for black."""
    indent = "    " * depth
    first, *rest = docstring(text).split("\n")
    body = "\n".join([first, *(indent + line if line else line for line in rest)])
    return "".join("    " * d + "def f():\n" for d in range(depth)) + f'{indent}"""{body}"""\n'


def _laid_docstring(text: str, depth: int) -> str:
    header = "".join("    " * d + "def f():\n" for d in range(depth))
    return header + "    " * depth + docstring_literal(text, depth) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        'Returns the "id"',
        "Ends with a backslash \\",
        "Summary.\n\n" + "word " * 17 + "end.",
        "Summary.\n\n      indented description\n        more indented\n",
        "Summary.\n\n\tTabbed and\u00a0non-breaking spaces   \n",
        "Héllo, 世界, a NUL \x00, an escape \x1b and a line separator \u2028.",
        "A backslash before a line break \\\nleaves the docstring as written.",
        '"Quoted" at both ends "',
    ],
    ids=[
        "ending in a quote",
        "ending in a backslash",
        "last line too long for the closing quotes",
        "indented description",
        "tabs and non-breaking spaces",
        "non-ASCII and control characters",
        "backslash before a line break",
        "quotes at both ends",
    ],
)
def test_a_docstring_is_written_as_black_rewrites_it(text: str) -> None:
    assert _laid_docstring(text, 2) == _black(_template_docstring(text, 2))


def test_a_docstring_whose_last_line_is_too_long_gets_its_closing_quotes_on_a_line_of_their_own() -> (
    None
):
    literal = docstring_literal("Summary.\n\n" + "word " * 17 + "end.", 1)
    assert literal.endswith('end.\n    """')


_DOC_PIECES = [
    "a",
    "b",
    " ",
    '"',
    "'",
    "\\",
    "\n",
    "\t",
    "\u00a0",
    "é",
    "世",
    "\x00",
    "\x0b",
    "x" * 40,
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_DOC_PIECES), max_size=16).map("".join),
    st.integers(min_value=0, max_value=2),
)
def test_a_docstring_is_what_black_makes_of_the_template_s(text: str, depth: int) -> None:
    assert _laid_docstring(text, depth) == _black(_template_docstring(text, depth))


def _declared_ready(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """The `ready` set each generation passes to format_files."""
    declared: list[frozenset[str]] = []
    real = format_step.format_files

    def spy(files: Any, cache: Any = None, ready: Any = ()) -> dict[str, str]:
        declared.append(frozenset(ready))
        return real(files, cache, ready)

    monkeypatch.setattr(pipeline, "format_files", spy)
    return declared


def test_a_module_with_a_statement_left_to_black_is_not_declared_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = _declared_ready(monkeypatch)
    real = render.lay_out_module_cached

    def unsupported_operations(text: str, store: Any) -> str:
        if "ENDPOINT" in text:
            raise Unsupported("a shape lay_out_module does not know")
        return real(text, store)

    monkeypatch.setattr(render, "lay_out_module_cached", unsupported_operations)
    out = tmp_path / "out"
    generate(config_for(write_spec(tmp_path, minimal_spec()), out))
    assert "tiny_client/_operations/get_thing.py" not in declared[0]
    assert "tiny_client/errors.py" in declared[0]
    operation = (out / "tiny_client" / "_operations" / "get_thing.py").read_text(encoding="utf-8")
    assert operation == _black(operation)


def test_the_black_switch_sends_every_file_through_black_with_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path, minimal_spec())
    generate(config_for(spec, tmp_path / "laid"))
    declared = _declared_ready(monkeypatch)
    monkeypatch.setenv(render.BLACK_ENV, "1")
    generate(config_for(spec, tmp_path / "black"))
    assert declared == [frozenset()]
    for laid in (tmp_path / "laid").rglob("*.py"):
        through_black = tmp_path / "black" / laid.relative_to(tmp_path / "laid")
        assert through_black.read_text(encoding="utf-8") == laid.read_text(encoding="utf-8")

"""pylayout: the templates' statements come out as black lays them out, or are left to black."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import black
import pytest
from black.mode import TargetVersion
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.emit import render
from generator.escape import docstring, string_literal
from generator.layout import Unsupported
from generator.layout import fallback as format_step
from generator.layout.statements import (
    Atom,
    Brackets,
    Layout,
    Param,
    call,
    docstring_literal,
    parse_type,
)
from generator.pipeline import generate
from tests.support.generation import config_for, minimal_spec, write_spec

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)
LONG = "PronunciationDictionaryVersionLocatorRequestModel"


def _black(source: str) -> str:
    return black.format_str(source, mode=MODE)


def _quote(token: str) -> str:
    return string_literal(ast.literal_eval(token))


def _type(annotation: str) -> Any:
    return parse_type(annotation, _quote)


def _method(params: list[Param], returns: str) -> tuple[str, str, Layout]:
    """(pylayout's method, the method as the template writes it, the Layout) in a class body."""
    lay = Layout()
    lines = lay.signature("def method", [Param("self"), *params], _type(returns), 1, True)
    laid = "class C:\n" + "\n".join(lines) + "\n        pass\n"
    flat = ", ".join(["self", *(p.flat for p in params)])
    written = f"class C:\n    def method({flat},) -> {_type(returns).text}:\n        pass\n"
    return laid, written, lay


def test_a_parameter_that_fits_stays_on_its_line_in_an_exploded_signature() -> None:
    laid, written, lay = _method([Param("name: ", _type("str | None"), " = None")], "int")
    assert lay.exact and laid == _black(written)
    assert "        name: str | None = None,\n" in laid


def test_a_union_annotation_too_long_for_its_line_goes_in_parentheses() -> None:
    param = Param("locators: ", _type(f"list[{LONG}] | None | Omit"), " = OMIT")
    laid, written, lay = _method([param], "int")
    assert lay.exact and laid == _black(written)
    assert "        locators: (\n" in laid and "        ) = OMIT,\n" in laid


def test_a_subscript_annotation_too_long_for_its_line_splits_inside_its_brackets() -> None:
    param = Param("rules: ", _type(f"list[{LONG} | {LONG.replace('Version', 'Alias')}]"))
    laid, written, lay = _method([param], "int")
    assert lay.exact and laid == _black(written)
    assert (
        "        rules: list[\n" in laid
        and f"            | {LONG.replace('Version', 'Alias')}\n" in laid
    )


def test_a_literal_too_long_for_one_line_is_exploded_one_value_a_line() -> None:
    values = ", ".join(repr(f"mp3_44100_{n}") for n in range(12))
    laid, written, lay = _method([Param("output_format: ", _type(f"Literal[{values}]"))], "int")
    assert lay.exact and laid == _black(written)
    assert '            "mp3_44100_11",\n' in laid


def test_a_return_annotation_too_long_splits_at_its_brackets() -> None:
    laid, written, lay = _method([], f"RawResponse[dict[str, {LONG} | BatchFailureResponseModel]]")
    assert lay.exact and laid == _black(written)
    assert "    ) -> RawResponse[\n" in laid


def test_a_signature_without_trailing_comma_that_does_not_fit_puts_the_parameters_on_one_line() -> (
    None
):
    lay = Layout()
    params = [Param("self"), Param("http: ", Atom("SyncHttp")), Param("client: ", Atom(LONG))]
    lines = lay.signature("def __init__", params, Atom("None"), 1, exploded=False)
    laid = "class C:\n" + "\n".join(lines) + "\n        pass\n"
    flat = f"self, http: SyncHttp, client: {LONG}"
    assert lay.exact and laid == _black(
        f"class C:\n    def __init__({flat}) -> None:\n        pass\n"
    )
    assert lines[1] == f"        {flat}"


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


def test_an_import_whose_wide_characters_decide_its_layout_is_left_to_black() -> None:
    # 58 characters, 98 columns if the CJK characters are two columns wide: black decides.
    lay = Layout()
    line = "from pkg.m import " + "名前" * 20
    assert lay.from_import("pkg.m", ["名前" * 20]) == [line]
    assert not lay.exact


def test_a_call_too_long_puts_its_arguments_on_one_indented_line_when_they_fit() -> None:
    lay = Layout()
    message = string_literal("get_dictionary is deprecated by the API")
    warn = call(
        "_warnings.warn", Atom(message), Atom("DeprecationWarning"), ("stacklevel=", Atom("2"))
    )
    lines = lay.statement("", warn, 2)
    assert len(lines) == 3 and lines[1].endswith("stacklevel=2")
    laid = "class C:\n    def f(self):\n" + "\n".join(lines) + "\n"
    assert laid == _black(f"class C:\n    def f(self):\n        {warn.text}\n")


def test_a_collection_that_is_split_is_exploded_one_item_a_line() -> None:
    lay = Layout()
    fields = [(f'"{name}": ', Atom(name)) for name in ("text", "model_id", "language_code", "seed")]
    request = call("Request", ("json=", Brackets("", "{", fields)), comma=True)
    lines = lay.statement("return ", request, 1)
    laid = "def f():\n" + "\n".join(lines) + "\n"
    assert laid == _black(f"def f():\n    return {request.text}\n")
    assert '            "seed": seed,' in lines


@pytest.mark.parametrize(
    ("annotation", "first_line"),
    [
        ("Thing", "ENDPOINT: Endpoint[Thing] = Endpoint("),
        ("X" * 62, f"ENDPOINT: Endpoint[{'X' * 62}] = ("),
        (f"{LONG} | {LONG}", "ENDPOINT: Endpoint["),
    ],
    ids=["at the call", "at the parentheses around the value", "at the annotation first"],
)
def test_an_annotated_call_splits_where_black_splits_it(annotation: str, first_line: str) -> None:
    lay = Layout()
    value = call("Endpoint", ("method=", Atom('"GET"')), ("path=", Atom('"/v1/x"')), comma=True)
    annotated = Brackets("Endpoint", "[", [("", _type(annotation))])
    lines = lay.annotated_call("ENDPOINT", annotated, value)
    assert lay.exact and lines[0] == first_line
    assert "\n".join(lines) + "\n" == _black(f"ENDPOINT: {annotated.text} = {value.text}\n")


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


def test_wide_characters_that_decide_the_layout_leave_the_statement_to_black() -> None:
    # 82 characters, 93 columns if the CJK characters are two columns wide: black decides.
    value = "a" * 35 + "東京都の天気予報データ"
    param = Param("mode: ", _type(f"Literal[{value!r}] | None"), " = None")
    lay = Layout()
    lines = lay.parameters([param], 1)
    assert not lay.exact
    assert lines == [f'    mode: Literal["{value}"] | None = None,']


def test_an_annotation_it_cannot_parse_is_never_exact_even_when_it_fits() -> None:
    lay = Layout()
    lines = lay.parameters([Param("x: ", _type("Literal[1.5]"))], 1)
    assert not lay.exact and lines == ["    x: Literal[1.5],"]


_NAMES = st.sampled_from(["str", "int", "None", "Omit", "Any", "X", LONG, "WebhookToolConfigInput"])
_LITERALS = st.lists(
    st.sampled_from(["auto", "mp3_44100_128", "it's", 'say "hi"', "x" * 30, "pcm_16000"]),
    min_size=1,
    max_size=12,
    unique=True,
).map(lambda values: "Literal[" + ", ".join(map(repr, values)) + "]")


def _annotations() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            inner.map(lambda t: f"list[{t}]"),
            inner.map(lambda t: f"dict[str, {t}]"),
            st.lists(inner, min_size=2, max_size=4).map(" | ".join),
        )

    return st.recursive(st.one_of(_NAMES, _LITERALS), extend, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["x", "rules", "conversation_initiation_client_data"]),
            _annotations(),
            st.sampled_from(["", " = None", " = OMIT"]),
        ),
        min_size=1,
        max_size=3,
    ),
    _annotations(),
)
def test_an_exact_signature_is_what_black_makes_of_the_template_s(
    params: list[tuple[str, str, str]], returns: str
) -> None:
    laid, written, lay = _method(
        [Param(f"{name}{i}: ", _type(t), default) for i, (name, t, default) in enumerate(params)],
        returns,
    )
    assume(lay.exact)  # only exact layouts are claimed to be black's
    assert laid == _black(written)


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
    real = render.lay_out_module

    def unsupported_operations(text: str) -> str:
        if "ENDPOINT" in text:
            raise Unsupported("a shape lay_out_module does not know")
        return real(text)

    monkeypatch.setattr(render, "lay_out_module", unsupported_operations)
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

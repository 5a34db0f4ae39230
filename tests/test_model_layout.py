"""Model modules laid out by the generator: exactly what black makes of them, or left to black."""

from __future__ import annotations

import keyword
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import black
from black.mode import TargetVersion
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.layout import model_modules as layout
from generator.models import modules as models

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)
IMPORTS = (
    "from __future__ import annotations\n"
    "from pydantic import BaseModel, ConfigDict, Field, RootModel\n"
    "from typing import Annotated, Any, Literal\n"
    "from typing_extensions import TypeAliasType\n\n\n"
)


def _black(source: str) -> str:
    return black.format_str(source, mode=MODE)


def _module(body: str, descriptions: dict[str, str] | None = None) -> models.ModelModule:
    """The one module build_models makes of datamodel-code-generator-style statements."""
    code = IMPORTS + body
    names = [
        line.split()[1].split("(")[0] for line in body.splitlines() if line.startswith("class ")
    ]
    names += [line.split(" = ")[0] for line in body.splitlines() if " = TypeAliasType(" in line]
    model_set, missing = models.build_models(code, names, descriptions)
    assert not missing
    assert len(model_set.modules) == 1
    return model_set.modules[0]


def _left_to_black(body: str, descriptions: dict[str, str] | None = None) -> models.ModelModule:
    """The module as build_models writes it when nothing is laid out (black formats it)."""
    with mock.patch.object(models, "model_statement_lines", side_effect=layout.Unsupported("off")):
        module = _module(body, descriptions)
    assert not module.ready  # else the layout was not turned off
    return module


def _assert_laid_out_as_black_would(body: str, descriptions: dict[str, str] | None = None) -> None:
    module = _module(body, descriptions)
    assert module.ready
    assert module.source == _black(_left_to_black(body, descriptions).source)


def test_a_field_that_fits_stays_on_one_line() -> None:
    module = _module("class Pet(BaseModel):\n    name: str = Field(..., title='Name')\n")
    assert module.ready
    assert '    name: str = Field(..., title="Name")\n' in module.source


def test_a_long_field_call_gets_one_argument_a_line_with_a_trailing_comma() -> None:
    description = "The name of the pet, as its owner spells it on the registration form."
    body = f"class Pet(BaseModel):\n    name: str = Field(..., description={description!r}, title='Name')\n"
    _assert_laid_out_as_black_would(body)
    assert f'        description="{description}",\n        title="Name",\n    )\n' in (
        _module(body).source
    )


def test_arguments_that_fit_together_share_the_line_after_the_call() -> None:
    body = (
        "class Pet(BaseModel):\n"
        "    name_of_the_pet_as_registered: str | None = Field(None, description='The name of it.')\n"
    )
    _assert_laid_out_as_black_would(body)
    assert "Field(\n        None, description=" in _module(body).source


def test_an_annotation_too_long_for_its_line_is_parenthesized() -> None:
    body = (
        "class Agent(BaseModel):\n"
        "    text_behavior_overrides: dict[ConversationInitiationSource, BehaviorOverride] | None"
        " = Field(None, description='Per-channel overrides.', title='Text Behavior Overrides')\n"
        "class ConversationInitiationSource(BaseModel):\n    pass\n"
        "class BehaviorOverride(BaseModel):\n    pass\n"
    )
    model_set, _ = models.build_models(
        IMPORTS + body, ["Agent", "ConversationInitiationSource", "BehaviorOverride"]
    )
    agent = next(m for m in model_set.modules if m.name == "agent")
    assert agent.ready
    assert "    text_behavior_overrides: (\n        dict[" in agent.source
    assert agent.source == _black(agent.source)


def test_a_value_too_long_after_a_long_annotation_is_parenthesized() -> None:
    body = (
        "class Dictionary(BaseModel):\n"
        # A one-value Literal: a constant, which the open models (openness.py) leave as it is.
        "    permission_on_resource: Literal['admin/editor/commenter/viewer/none'] | None"
        " = Field(..., description='The permission on the resource of the dictionary.')\n"
    )
    _assert_laid_out_as_black_would(body)
    assert "| None = (\n        Field(..., description=" in _module(body).source


def test_a_long_literal_alias_is_split_at_every_level_black_splits() -> None:
    values = ", ".join(repr(f"pcm_{rate}") for rate in (8000, 16000, 22050, 24000, 44100, 48000))
    body = (
        f'InputFormat = TypeAliasType("InputFormat", Annotated[Literal[{values}],'
        " Field(..., title='InputFormat')])\n"
    )
    _assert_laid_out_as_black_would(body)


def test_a_call_written_with_a_trailing_comma_stays_exploded() -> None:
    body = (
        "class Device(BaseModel):\n"
        "    model_config = ConfigDict(\n        extra='forbid',\n    )\n"
        "    ip: str | None = Field(None, description='IP address', title='Ip')\n"
    )
    _assert_laid_out_as_black_would(body)
    assert (
        '    model_config = ConfigDict(\n        extra="forbid",\n    )\n' in _module(body).source
    )


def test_a_long_class_line_is_split_at_its_bases() -> None:
    name = "BodySimulatesAConversationStreamV1ConvaiAgentsAgentIdSimulateConversationStreamPost"
    _assert_laid_out_as_black_would(f"class {name}(BaseModel):\n    x: int\n")
    assert (
        f"class {name}(\n    OpenModel\n):\n"
        in _module(f"class {name}(BaseModel):\n    x: int\n").source
    )


def test_examples_of_objects_are_exploded_one_item_a_line() -> None:
    body = (
        "class Condition(BaseModel):\n"
        "    value_schema: Schema = Field(..., description='JSON schema of the value.',"
        " examples=[{'description': \"User's last message contains a question about pricing.\","
        " 'type': 'boolean'}, {'description': 'User gave their email.', 'type': 'boolean'}])\n"
        "class Schema(BaseModel):\n    pass\n"
    )
    model_set, _ = models.build_models(IMPORTS + body, ["Condition", "Schema"])
    condition = next(m for m in model_set.modules if m.name == "condition")
    assert condition.ready
    assert condition.source == _black(condition.source)
    assert '        examples=[\n            {\n                "description":' in condition.source


def test_a_class_description_becomes_a_docstring_as_black_rewrites_it() -> None:
    body = "class Pet(BaseModel):\n    name: str\n"
    _assert_laid_out_as_black_would(body, {"Pet": 'A pet.\n\n   Indented "quoted"\n  text'})


def test_a_class_description_with_tabs_and_unicode_spaces_is_laid_out_as_black_rewrites_it() -> (
    None
):
    body = "class Pet(BaseModel):\n    name: str\n"
    description = "A pet.\n\n\tTabbed\u00a0text\n  \t  and more\u3000"
    assert _module(body, {"Pet": description}).ready
    _assert_laid_out_as_black_would(body, {"Pet": description})


def test_a_class_description_with_a_backslash_before_a_line_break_is_kept_as_written() -> None:
    body = "class Pet(BaseModel):\n    name: str\n"
    description = "A pet \\\n   and its name."
    module = _module(body, {"Pet": description})
    # Escaped, the backslash is doubled; black leaves the docstring as written (not re-indented).
    assert '    """A pet \\\\\n   and its name."""\n' in module.source
    _assert_laid_out_as_black_would(body, {"Pet": description})


def test_a_class_description_too_long_for_the_closing_quotes_puts_them_on_their_own_line() -> None:
    body = "class Pet(BaseModel):\n    name: str\n"
    description = "A pet.\n\n" + "word " * 16 + "end."
    assert 'end.\n    """\n' in _module(body, {"Pet": description}).source
    _assert_laid_out_as_black_would(body, {"Pet": description})


def test_a_long_import_gets_one_name_a_line() -> None:
    names = [f"VeryLongModelName{i}" for i in range(6)]
    assert layout.from_import(".very_long_module", names) == [
        "from .very_long_module import (",
        *(f"    {name}," for name in names),
        ")",
    ]


def test_a_string_not_written_as_repr_writes_it_leaves_the_module_to_black() -> None:
    # A character Unicode assigned after this Python's tables: repr() would escape it.
    assert not _module("class Pet(BaseModel):\n    name: Literal['\U000322da'] = 'x'\n").ready


def test_empty_lines_between_fields_leave_the_module_to_black() -> None:
    assert not _module("class Pet(BaseModel):\n    name: str\n\n    size: int\n").ready


def test_parentheses_the_syntax_tree_drops_leave_the_module_to_black() -> None:
    assert not _module("class Pet(BaseModel):\n    size: int = (3)\n").ready


def test_characters_two_columns_wide_are_measured_as_black_measures_them() -> None:
    # 40 CJK characters: 40 columns by length, 80 by black's east asian width: the field splits.
    body = f"class Pet(BaseModel):\n    name: str = Field(..., description='{'猫' * 40}', x=1)\n"
    module = _module(body)
    assert module.ready
    assert "        x=1,\n" in module.source
    _assert_laid_out_as_black_would(body)


def test_characters_two_columns_wide_that_still_fit_keep_the_field_on_one_line() -> None:
    # 20 CJK characters: 72 columns of 88 by black's measure.
    body = f"class Pet(BaseModel):\n    name: str = Field(..., description='{'猫' * 20}')\n"
    module = _module(body)
    assert module.ready
    assert f'    name: str = Field(..., description="{"猫" * 20}")\n' in module.source
    _assert_laid_out_as_black_would(body)


# Properties: datamodel-code-generator-style statements of every shape the models take, with
# hostile text in them. The generator lays out every statement whose characters are all one column
# wide and written by repr() as black writes them; of the others it may leave some to black.
# Whatever it lays out is what black makes of the statements.

_IDENTIFIER = st.text(string.ascii_letters, min_size=1, max_size=12).map(lambda s: "X" + s)
_FIELD = (
    st.text(string.ascii_lowercase + "_", min_size=1, max_size=40)
    .map(lambda s: "f" + s)
    .filter(lambda s: not keyword.iskeyword(s))
)
_NARROW_PIECES = [*"ab cd'\"\\\n\t\x00\x1b\x85\u2028\xa0é", "word ", "words "]
# Wide characters (east asian width), and one this Python's Unicode tables do not know yet, which
# repr() escapes.
_WIDE_OR_UNKNOWN_PIECES = ["猫", "😀", "\U000322da"]
_NUMBER = st.one_of(
    st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False)
)
_SCALAR = st.sampled_from(["str", "int", "float", "bool", "Any", "AwareDatetime"])


@dataclass(frozen=True)
class _Texts:
    """What text in descriptions, titles and examples, and literal values, are drawn from."""

    text: st.SearchStrategy[str]
    literal: st.SearchStrategy[str | int]


_NARROW = _Texts(
    st.lists(st.sampled_from(_NARROW_PIECES), max_size=60).map("".join),
    st.one_of(
        st.text(st.characters(max_codepoint=0xFF), max_size=30), st.integers(-(10**9), 10**9)
    ),
)
_HOSTILE = _Texts(
    st.lists(st.sampled_from(_NARROW_PIECES + _WIDE_OR_UNKNOWN_PIECES), max_size=60).map("".join),
    st.one_of(st.text(max_size=30), st.integers(-(10**9), 10**9)),
)


@st.composite
def _annotation(draw: st.DrawFn, texts: _Texts, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["scalar", "literal", "list", "dict", "union", "annotated"]))
    if kind == "literal" or (depth > 1 and kind != "scalar"):
        values = draw(st.lists(texts.literal, min_size=1, max_size=12))
        return f"Literal[{', '.join(map(repr, values))}]"
    if kind == "list":
        return f"list[{draw(_annotation(texts, depth + 1))}]"
    if kind == "dict":
        return f"dict[str, {draw(_annotation(texts, depth + 1))}]"
    if kind == "union":
        members = draw(st.lists(_annotation(texts, depth + 1), min_size=2, max_size=4))
        return " | ".join(members)
    if kind == "annotated":
        return f"Annotated[{draw(_annotation(texts, depth + 1))}, Field(ge={draw(_NUMBER)!r})]"
    return draw(_SCALAR)


@st.composite
def _field(draw: st.DrawFn, texts: _Texts) -> str:
    annotation = draw(_annotation(texts))
    if draw(st.booleans()):
        annotation += " | None"
    arguments = [draw(st.sampled_from(["...", "None", "[]", "{}", "-1", "''"]))]
    if draw(st.booleans()):
        arguments.append(f"description={draw(texts.text)!r}")
    for constraint in draw(st.lists(st.sampled_from(["ge", "le", "gt", "max_length"]), max_size=3)):
        arguments.append(f"{constraint}={draw(_NUMBER)!r}")
    if draw(st.booleans()):
        examples = draw(
            st.lists(
                st.one_of(texts.text, st.dictionaries(texts.text, texts.text, max_size=2)),
                max_size=3,
            )
        )
        arguments.append(f"examples={examples!r}")
    if draw(st.booleans()):
        arguments.append(f"title={draw(texts.text)!r}")
    name = draw(_FIELD)
    if draw(st.integers(0, 5)) == 0:
        return f"    {name}: {annotation}\n"
    return f"    {name}: {annotation} = Field({', '.join(arguments)})\n"


@st.composite
def _statement(draw: st.DrawFn, texts: _Texts) -> tuple[str, str, str | None]:
    """(class or alias name, its statement, the class's description or None)."""
    name = draw(_IDENTIFIER)
    if draw(st.integers(0, 3)) == 0:
        values = ", ".join(map(repr, draw(st.lists(texts.literal, min_size=1, max_size=15))))
        text = f"{name} = TypeAliasType({name!r}, Annotated[Literal[{values}], Field(..., title={name!r})])\n"
        return name, text, None
    base = draw(st.sampled_from(["BaseModel", "RootModel[list[str]]"]))
    fields = draw(st.lists(_field(texts), max_size=4)) or ["    pass\n"]
    config = "    model_config = ConfigDict(\n        extra='forbid',\n    )\n"
    head = f"class {name}({base}):\n" + (config if draw(st.booleans()) else "")
    description = draw(st.one_of(st.none(), texts.text))
    return name, head + "".join(fields), description


def _descriptions(name: str, description: str | None) -> dict[str, str] | None:
    return {name: description} if description else None


@settings(max_examples=100, deadline=None)
@given(_statement(_NARROW))
def test_statements_of_every_shape_with_narrow_characters_are_laid_out_by_the_generator(
    drawn: tuple[str, str, str | None],
) -> None:
    name, body, description = drawn
    assert _module(body, _descriptions(name, description)).ready


# Of the statements with hostile text, the share the generator must still lay out itself: the
# others leave to black text with a character repr() escapes.
_MOST = 0.8


def _check_what_is_laid_out(check: Callable[[str, dict[str, str] | None, str], None]) -> None:
    """check(statement, descriptions, laid-out source) on every drawn statement with hostile text
    the generator laid out; fails unless it laid out most of them."""
    tally: Counter[str] = Counter()

    @settings(max_examples=100, deadline=None)
    @given(_statement(_HOSTILE))
    def each(drawn: tuple[str, str, str | None]) -> None:
        name, body, description = drawn
        descriptions = _descriptions(name, description)
        module = _module(body, descriptions)
        outcome = "laid out by the generator" if module.ready else "left to black"
        tally[outcome] += 1
        event(outcome)
        if module.ready:
            check(body, descriptions, module.source)

    each()
    assert tally["laid out by the generator"] >= _MOST * tally.total(), tally


def test_a_laid_out_module_is_what_black_makes_of_the_statements() -> None:
    def as_black_makes_it(body: str, descriptions: dict[str, str] | None, source: str) -> None:
        assert source == _black(_left_to_black(body, descriptions).source)

    _check_what_is_laid_out(as_black_makes_it)


def test_black_leaves_a_laid_out_module_unchanged() -> None:
    def unchanged_by_black(body: str, descriptions: dict[str, str] | None, source: str) -> None:
        assert _black(source) == source

    _check_what_is_laid_out(unchanged_by_black)


@settings(max_examples=100, deadline=None)
@given(_statement(_HOSTILE))
def test_the_shortcut_for_calls_agrees_with_blacks_procedure(
    drawn: tuple[str, str, str | None],
) -> None:
    _, body, _ = drawn
    module = _module(body)
    with mock.patch.object(layout, "_call_assignment", return_value=None):
        assert _module(body) == module

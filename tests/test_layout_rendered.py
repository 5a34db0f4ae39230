"""layout.lay_out_module: a module as templates render it (a statement a line) laid out as black
would, compared with black itself on the full ElevenLabs generation and on drawn modules."""

from __future__ import annotations

import io
import keyword
import subprocess
import sys
import time
import tokenize
import warnings
from collections.abc import Callable, Iterator

import black
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.escape import string_literal
from generator.layout import Unsupported, lay_out_module
from generator.layout import rendered as rendered_module
from tests.support.generation import REPO

_MODE = black.Mode(line_length=88, target_versions={black.TargetVersion.PY311})
# Each statement on one line: what a template renders, as far as black can say.
_ONE_LINE = black.Mode(
    line_length=10_000, magic_trailing_comma=False, target_versions={black.TargetVersion.PY311}
)


def _black(text: str) -> str:
    return black.format_str(text, mode=_MODE)


def _laid_out_or_none(text: str) -> str | None:
    try:
        return lay_out_module(text)
    except Unsupported:
        return None


# Unsplitting black's output.

_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
# The parentheses black makes visible around what follows these (its invisible parentheses).
_OPTIONAL_AFTER = frozenset({":", "=", "->", "return", "if", "elif"})


def joined(source: str) -> str:
    """`source` (black's output) with each statement on one logical line, as a template writes
    it: the line breaks inside brackets dropped, every comma kept (black's added ones then read
    as magic, and it explodes those brackets again), and the parentheses black made visible
    around an annotation, a value or a return annotation (a line ending in `(` after `:`, `=`,
    `->`, `return` or `if`, with no comma directly inside) dropped again."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    significant = [i for i, t in enumerate(tokens) if t.type != tokenize.NL]
    rank = {index: k for k, index in enumerate(significant)}
    dropped: set[int] = set()
    stack: list[tuple[int, bool]] = []
    for index in significant:
        token = tokens[index]
        if token.string in _OPENING:
            stack.append((index, False))
        elif token.string in _CLOSING:
            opening, comma = stack.pop()
            before = tokens[significant[rank[opening] - 1]].string if rank[opening] else ""
            if (
                tokens[opening].string == "("
                and not comma
                and before in _OPTIONAL_AFTER
                and tokens[opening + 1].type == tokenize.NL
            ):
                dropped.update((index, opening))
        elif token.string == "," and stack:
            stack[-1] = (stack[-1][0], True)
    out: list[str] = []
    depth = 0
    previous = ""
    end = 0
    for index, token in enumerate(tokens):
        if token.type in (tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        if token.type == tokenize.NL and depth:
            continue
        gap = source[end : offset(token.start)]
        if depth and "\n" in gap:
            gap = "" if previous in _OPENING or token.string in _CLOSING else " "
        out.append(gap)
        if index not in dropped:
            out.append(token.string)
        if token.string in _OPENING:
            depth += 1
        elif token.string in _CLOSING:
            depth -= 1
        previous = token.string
        end = offset(token.end)
    return "".join(out)


def test_joined_gives_one_logical_line_a_statement() -> None:
    source = (
        "def f(\n    a: int,\n    b: (\n        A\n        | B\n    ) = None,\n) -> X:\n"
        "    return (\n        a\n    )\n"
    )
    assert joined(source) == "def f(a: int, b: A | B = None,) -> X:\n    return a\n"


# The full ElevenLabs generation.

FULL_SPEC = REPO / "examples" / "specs" / "elevenlabs-openapi.json"
OVERLAY = REPO / "examples" / "elevenlabs.overlay.yaml"


@pytest.fixture(scope="module")
def full_modules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The operation modules and group clients of a full-spec generation, by path."""
    out = tmp_path_factory.mktemp("full")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--spec",
            str(FULL_SPEC),
            "--overlay",
            str(OVERLAY),
            "--out",
            str(out),
            "--package",
            "elevenlabs",
            "--quiet",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    package = out / "elevenlabs"
    paths = sorted([*package.glob("_operations/*.py"), *package.glob("resources/**/client.py")])
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in paths}


def _compare(inputs: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """The paths laid out as black lays them out, those left unsupported, those different."""
    equal: list[str] = []
    unsupported: list[str] = []
    different: list[str] = []
    for path, text in inputs.items():
        laid = _laid_out_or_none(text)
        if laid is None:
            unsupported.append(path)
        elif laid == _black(text):
            equal.append(path)
        else:
            different.append(path)
    return equal, unsupported, different


@pytest.mark.slow
@pytest.mark.parametrize("unsplit", ["black-one-line", "joined"])
def test_every_full_spec_operation_module_and_group_client_is_laid_out_as_black_does(
    full_modules: dict[str, str], unsplit: str
) -> None:
    assert len(full_modules) > 500
    make: Callable[[str], str] = (
        (lambda text: black.format_str(text, mode=_ONE_LINE)) if unsplit != "joined" else joined
    )
    inputs = {path: make(text) for path, text in full_modules.items()}
    if unsplit == "joined":
        # Black makes of the joined text the file it came from.
        assert all(_black(inputs[p]) == full_modules[p] for p in full_modules)
    equal, unsupported, different = _compare(inputs)
    print(
        f"{unsplit}: {len(equal)} equal, {len(unsupported)} unsupported, {len(different)} different"
    )
    assert different == []
    assert unsupported == []


@pytest.mark.slow
def test_laying_out_the_full_spec_modules_costs_about_a_tenth_of_black(
    full_modules: dict[str, str],
) -> None:
    inputs = [joined(text) for text in full_modules.values()]
    started = time.process_time()
    for text in inputs:
        _black(text)
    black_seconds = time.process_time() - started
    # Cold: no statement laid out before this run (the cache fills as the run goes, as it does
    # in one generation).
    rendered_module._CACHE.clear()
    started = time.process_time()
    for text in inputs:
        lay_out_module(text)
    cold = time.process_time() - started
    # Without the cache at all: each module on its own.
    started = time.process_time()
    for text in inputs:
        rendered_module._CACHE.clear()
        lay_out_module(text)
    uncached = time.process_time() - started
    print(
        f"black {black_seconds:.2f} s; lay_out_module {cold:.2f} s "
        f"({cold / black_seconds:.3f}x), each module uncached {uncached:.2f} s "
        f"({uncached / black_seconds:.3f}x)"
    )
    # The target is a tenth of black's time; measured 0.095-0.11x on two shared cores (the
    # tokenize module is a quarter of it). The bound leaves room for a loaded machine.
    assert cold <= 0.15 * black_seconds


# Drawn modules.

_NAME = st.from_regex(r"[a-z][a-z0-9_]{0,14}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and not keyword.issoftkeyword(n)
)
_CLASS = st.from_regex(r"[A-Z][A-Za-z0-9]{0,24}", fullmatch=True)
_TEXT = st.text(
    st.sampled_from(list("abcdefghij XYZ0123456789_-/{}:'\"\\.,é東")), min_size=0, max_size=70
)
_STRING = _TEXT.map(string_literal)
_NUMBER = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.sampled_from(["0.5", "1.25", "3e-5", "1e10"]),
)
_DOTTED = st.lists(_NAME, min_size=1, max_size=4).map(".".join)


def _type() -> st.SearchStrategy[str]:
    base = st.one_of(
        _CLASS,
        st.sampled_from(["str", "int", "bool", "float", "bytes", "None", "Omit"]),
        st.lists(_STRING, min_size=1, max_size=8).map(lambda s: f"Literal[{', '.join(s)}]"),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(
                st.sampled_from(["list", "dict", "tuple", "Iterator", "RawResponse"]),
                st.lists(inner, min_size=1, max_size=3),
            ).map(lambda t: f"{t[0]}[{', '.join(t[1])}]"),
            st.lists(inner, min_size=2, max_size=5).map(" | ".join),
        )

    return st.recursive(base, extend, max_leaves=8)


_TYPE = _type()


def _comma(items: list[str], magic: bool) -> str:
    return ", ".join(items) + ("," if magic and items else "")


def _expression() -> st.SearchStrategy[str]:
    base = st.one_of(
        _NAME,
        _DOTTED,
        _STRING,
        _NUMBER,
        st.sampled_from(["None", "True", "False", "OMIT"]),
        _NUMBER.map(lambda n: "-" + n),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        argument = st.one_of(inner, st.tuples(_NAME, inner).map(lambda t: f"{t[0]}={t[1]}"))
        return st.one_of(
            st.tuples(_DOTTED, st.lists(argument, max_size=5), st.booleans()).map(
                lambda t: f"{t[0]}({_comma(t[1], t[2])})"
            ),
            st.tuples(st.lists(inner, min_size=2, max_size=4), st.booleans()).map(
                lambda t: f"({_comma(t[0], t[1])})"
            ),
            inner.map(lambda e: f"({e},)"),
            st.tuples(st.lists(st.tuples(inner, inner), max_size=4), st.booleans()).map(
                lambda t: "{" + _comma([f"{k}: {v}" for k, v in t[0]], t[1]) + "}"
            ),
            st.tuples(st.lists(inner, max_size=4), st.booleans()).map(
                lambda t: f"[{_comma(t[0], t[1])}]"
            ),
            st.tuples(_NAME, st.lists(inner, min_size=1, max_size=2)).map(
                lambda t: f"{t[0]}[{', '.join(t[1])}]"
            ),
            st.tuples(inner, st.sampled_from(["is", "is not", "==", "in"]), inner).map(" ".join),
            st.tuples(_DOTTED, st.lists(argument, max_size=2)).map(
                lambda t: f"{t[0]}({', '.join(t[1])}).{t[0].split('.')[-1]}"
            ),
        )

    return st.recursive(base, extend, max_leaves=12)


_EXPRESSION = _expression()


@st.composite
def _parameters(draw: st.DrawFn, method: bool) -> str:
    """Parameters as Python allows them: defaults once one is given, except after `*`."""
    params = ["self"] if method else []
    names = draw(st.lists(_NAME, max_size=7, unique=True).filter(lambda n: "self" not in n))
    star = draw(st.integers(min_value=0, max_value=len(names)))
    defaults = False
    for i, name in enumerate(names):
        if i == star and i < len(names) and draw(st.booleans()):
            params.append("*")
            defaults = False
        annotation = draw(st.none() | _TYPE)
        default = draw(st.none() | st.sampled_from(["None", "OMIT", "0", '"x"']) | _EXPRESSION)
        if default is None and defaults and "*" not in params:
            default = "None"
        defaults = defaults or default is not None
        text = name if annotation is None else f"{name}: {annotation}"
        if default is not None:
            text += f" = {default}" if annotation is not None else f"={default}"
        params.append(text)
    return _comma(params, draw(st.booleans()))


_IMPORT = st.one_of(
    _DOTTED.map(lambda d: f"import {d}"),
    st.tuples(
        _DOTTED, st.lists(_CLASS, min_size=1, max_size=6, unique=True), st.integers(0, 2)
    ).map(
        lambda t: (
            f"from {t[0]} import "
            + [", ".join(t[1]), f"({', '.join(t[1])})", f"({', '.join(t[1])},)"][t[2]]
        )
    ),
)

_SIMPLE = st.one_of(
    st.tuples(_NAME, _EXPRESSION).map(lambda t: f"{t[0]} = {t[1]}"),
    st.tuples(_NAME, _TYPE, _EXPRESSION).map(lambda t: f"{t[0].upper()}: {t[1]} = {t[2]}"),
    st.tuples(_DOTTED, st.lists(_EXPRESSION, max_size=4)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})"
    ),
    st.tuples(_STRING, st.integers(1, 3)).map(
        lambda t: f"warnings.warn({t[0]}, DeprecationWarning, stacklevel={t[1]})"
    ),
)

_BODY_STATEMENT = st.one_of(
    _SIMPLE,
    st.tuples(_NAME, _NAME).map(lambda t: f"self._{t[0]} = {t[1]}"),
    _EXPRESSION.map(lambda e: f"return {e}"),
    st.lists(_EXPRESSION, max_size=3).map(lambda a: f"super().__init__({', '.join(a)})"),
)
_AWAIT = st.tuples(_DOTTED, st.lists(_EXPRESSION, max_size=4)).map(
    lambda t: f"return await {t[0]}({', '.join(t[1])})"
)

_DOCSTRING = st.lists(_TEXT.map(lambda t: t.replace("\\", "").replace('"', "")), max_size=3).map(
    lambda lines: '"""' + "\n\n".join(lines).strip() + '"""'
)


def _indented(lines: list[str], depth: int) -> list[str]:
    return ["    " * depth + line if line else "" for line in lines]


@st.composite
def _function(draw: st.DrawFn, depth: int) -> list[str]:
    method = depth > 0
    lines = draw(
        st.lists(st.sampled_from(["@cached_property", "@property", "@overload"]), max_size=1)
    )
    is_async = draw(st.booleans())
    head = "async def" if is_async else "def"
    returns = draw(st.none() | _TYPE)
    arrow = f" -> {returns}" if returns is not None else ""
    lines.append(f"{head} {draw(_NAME)}({draw(_parameters(method))}){arrow}:")
    body: list[str] = []
    if draw(st.booleans()):
        body.append(draw(_DOCSTRING))
    if draw(st.booleans()):
        body.append(f"if {draw(_NAME)} is not OMIT:")
        body += _indented([draw(_SIMPLE)], 1)
    statement = st.one_of(_BODY_STATEMENT, _AWAIT) if is_async else _BODY_STATEMENT
    body += draw(st.lists(statement, min_size=0 if body else 1, max_size=3))
    return _indented(lines, depth) + _indented(body, depth + 1)


@st.composite
def _class(draw: st.DrawFn) -> list[str]:
    bases = draw(st.lists(_CLASS, max_size=2))
    lines = [f"class {draw(_CLASS)}({', '.join(bases)}):" if bases else f"class {draw(_CLASS)}:"]
    body: list[str] = []
    if draw(st.booleans()):
        body += [draw(_DOCSTRING), ""]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        body += draw(_function(0))
        body.append("")
    return lines + _indented(body, 1)


@st.composite
def _module(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# Generated by a test. Do not edit.")
    if draw(st.booleans()):
        lines += [draw(_DOCSTRING), ""]
    lines += draw(st.lists(_IMPORT, max_size=4))
    if draw(st.booleans()):
        lines += [
            "",
            "if TYPE_CHECKING:",
            *_indented(draw(st.lists(_IMPORT, min_size=1, max_size=3)), 1),
        ]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        lines += [""] * draw(st.integers(min_value=0, max_value=3))
        part = draw(st.sampled_from(["simple", "function", "class"]))
        if part == "simple":
            lines.append(draw(_SIMPLE))
        elif part == "function":
            lines += draw(_function(0))
        else:
            lines += draw(_class())
    return "\n".join(lines) + "\n"


def _valid(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # `x is "a"` and the like
        try:
            compile(text, "<drawn>", "exec", flags=0, dont_inherit=True)
        except SyntaxError:
            return False
    return True


class _Share:
    """How many drawn examples were laid out, of how many."""

    def __init__(self) -> None:
        self.laid = 0
        self.drawn = 0

    def check(self, text: str) -> None:
        if not _valid(text):
            event("not valid Python")
            return
        self.drawn += 1
        laid = _laid_out_or_none(text)
        if laid is None:
            event("unsupported")
            return
        self.laid += 1
        assert laid == _black(text)


def _run_share(strategy: st.SearchStrategy[str], minimum: float) -> None:
    share = _Share()

    @settings(deadline=None)
    @given(strategy)
    def check(text: str) -> None:
        share.check(text)

    check()
    print(f"laid out {share.laid} of {share.drawn}")
    assert share.drawn and share.laid >= minimum * share.drawn


def test_drawn_modules_are_laid_out_as_black_does_or_left_to_it() -> None:
    _run_share(_module(), 0.9)


@st.composite
def _signature_module(draw: st.DrawFn) -> str:
    return "\n".join(draw(_function(0))) + "\n"


def test_drawn_signatures_are_laid_out_as_black_does_or_left_to_it() -> None:
    _run_share(_signature_module(), 0.9)


def test_drawn_statements_are_laid_out_as_black_does_or_left_to_it() -> None:
    _run_share(st.one_of(_SIMPLE, _IMPORT).map(lambda s: s + "\n"), 0.9)


# Shapes, one by one.


def _examples() -> Iterator[str]:
    yield "x = 1\n"
    yield "x = (a)\n"
    yield "def f(a: (int), b: (A | B) = None) -> (X):\n    return (a)\n"
    yield "from a import (b)\n"
    yield "from a import (b,)\n"
    yield "import a.b as c\n"
    yield "class A():\n    pass\n"


@pytest.mark.parametrize("text", list(_examples()))
def test_a_shape_is_laid_out_as_black_does(text: str) -> None:
    laid = _laid_out_or_none(text)
    assert laid is None or laid == _black(text)


@pytest.mark.parametrize(
    "text",
    [
        "x = a + b\n",
        "def f():\n    x = 1  # comment\n",
        "x = f'{a}'\n",
        "x = 'a' 'b'\n",
        "for a in b:\n    pass\n",
        "x = \\\n    1\n",
        "lambda: 0\n",
    ],
)
def test_what_is_not_modelled_is_unsupported(text: str) -> None:
    with pytest.raises(Unsupported):
        lay_out_module(text)


def test_an_empty_module_stays_empty() -> None:
    assert lay_out_module("") == _black("") == ""


@pytest.mark.parametrize(
    "text",
    [
        "x = a if b is not None else c.value\n",
        "f(base_url=a if b is not None else c.value, t=t)\n",
        "x = a if b else c if d else e\n",
        "class A(B):\n    def __init__(self) -> None:\n        super().__init__(base_url=base_url"
        " if base_url is not None else environment.value, timeout=timeout,)\n",
    ],
)
def test_a_conditional_expression_that_stays_on_its_line_is_laid_out_as_black_does(
    text: str,
) -> None:
    assert lay_out_module(text) == _black(text)


def test_a_conditional_expression_black_would_split_is_left_to_black() -> None:
    text = (
        "ffffffffffffffffffff(base_url=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa if"
        " bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb is not None else ccccccccccccccccccccc.value)\n"
    )
    with pytest.raises(Unsupported):
        lay_out_module(text)

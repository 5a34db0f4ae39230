"""README: the view of the generated package's reference (README.md), computed in Python.

Spec text lands in Markdown, never inside a code block: table cells are one line with `|`
escaped, and nothing can open a fence or an HTML comment. Examples are built from identifiers
and repr()'d values only, and use placeholder values derived from each parameter's type.
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

from ..api import Api, Operation, Prim
from ..config import Config
from .docstrings import marked
from .markdown import anchor, code, html_comment, text_block, text_line
from .surface import ModelSurface, OperationSurface, Surface

__all__ = ["OperationDoc", "ReadmeView", "readme_view", "runtime_defaults"]

_LINE = 88
_CONSTANTS = Path(__file__).resolve().parents[1] / "runtime" / "_constants.py"


@cache
def runtime_defaults() -> ModuleType:
    """The runtime's _constants module, run on its own.

    Imported as generator.runtime._constants it would import the whole runtime first (httpx,
    pydantic: a tenth of a second) for a few numbers; the module imports nothing of ours.
    """
    spec = spec_from_file_location("generator.runtime._constants", _CONSTANTS)
    assert spec is not None and spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class OperationDoc:
    heading: str
    anchor: str
    http: str
    summary: str
    description: str
    deprecated: bool
    # (name, location, type, required, description), Markdown-ready.
    parameters: tuple[tuple[str, str, str, str, str], ...]
    returns: str
    returns_description: str
    errors: tuple[tuple[str, str, str], ...]  # (status, exception, description)
    sync_example: str
    async_example: str


@dataclass(frozen=True)
class ReadmeView:
    header: str
    title: str
    description: str
    package: str
    distribution: str
    client: str
    async_client: str
    auth: tuple[str, str, str] | None  # (argument, header, environment variable or "")
    environment_enum: str
    environments: tuple[tuple[str, str], ...]
    error_classes: tuple[tuple[str, int], ...]
    timeout: float
    max_retries: int
    retry_any: str
    retry_idempotent: str
    idempotent: str
    initial_delay: float
    max_delay: float
    max_retry_after: float
    examples: Mapping[str, str]
    operations: tuple[OperationDoc, ...]


def readme_view(api: Api, surface: Surface, config: Config, header: str) -> ReadmeView:
    values = _Values({m.name: m for m in surface.models})
    by_name = {o.name: o for o in surface.operations}
    ops = [(op, by_name[".".join((*op.groups, op.method_name))]) for op in api.operations]
    docs = tuple(
        _operation_doc(op, shown, config, api, values)
        for op, shown in sorted(ops, key=lambda pair: pair[1].name)
    )
    examples: dict[str, str] = {}
    featured = _featured(ops)
    if featured is not None:
        examples = _general_examples(featured[0], featured[1], config, api, values)
    defaults = runtime_defaults()
    return ReadmeView(
        header=html_comment(header.removeprefix("# ")),
        title=text_line(" ".join(filter(None, (api.title or "the API", api.version)))),
        description=text_block(api.description),
        package=config.package,
        distribution=config.package.replace("_", "-"),
        client=config.client,
        async_client=config.async_client,
        auth=(config.auth.argument, config.auth.header, config.auth.env or "")
        if config.auth is not None
        else None,
        environment_enum=config.environment_enum,
        environments=tuple((s.member, s.url) for s in api.servers),
        error_classes=api.error_classes,
        timeout=defaults.DEFAULT_TIMEOUT,
        max_retries=defaults.DEFAULT_MAX_RETRIES,
        retry_any=_words(str(s) for s in sorted(defaults.RETRY_STATUSES_ANY_METHOD)),
        retry_idempotent=", ".join(str(s) for s in sorted(defaults.RETRY_STATUSES_IDEMPOTENT)),
        idempotent=_words(m for m in _METHOD_ORDER if m in defaults.IDEMPOTENT_METHODS),
        initial_delay=defaults.INITIAL_RETRY_DELAY,
        max_delay=defaults.MAX_RETRY_DELAY,
        max_retry_after=defaults.MAX_RETRY_AFTER,
        examples=examples,
        operations=docs,
    )


_METHOD_ORDER = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH", "TRACE")


def _words(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    listed = list(items)
    return ", ".join(listed[:-1]) + " and " + listed[-1] if len(listed) > 1 else "".join(listed)


# --- Operations --------------------------------------------------------------------------------


def _operation_doc(
    op: Operation, shown: OperationSurface, config: Config, api: Api, values: _Values
) -> OperationDoc:
    heading = f"client.{shown.name}"
    descriptions = {p.python_name: marked(p.description, p.deprecated) for p in op.parameters}
    if op.body is not None:
        descriptions.update(
            {f.python_name: marked(f.description, f.deprecated) for f in op.body.fields}
        )
        if op.body.whole is not None:
            descriptions[op.body.python_name] = op.body.description or "The request body."
    rows = tuple(
        (
            code(p.name),
            p.location,
            code(p.type),
            "yes" if p.required else "no",
            text_line(descriptions.get(p.name, "")),
        )
        for p in shown.parameters
    )
    rows += (
        (
            code("request_options"),
            "",
            code("RequestOptions"),
            "no",
            "Per-call timeout, retries, extra headers and query parameters.",
        ),
    )
    errors = tuple(
        (str(e.status), code(e.error_class), text_line(e.description)) for e in op.errors
    )
    sync, async_ = _operation_examples(op, shown, config, api, values)
    summary = text_line(op.summary)
    description = text_block(op.description) if op.description != op.summary else ""
    return OperationDoc(
        heading=heading,
        anchor=anchor(heading),
        http=code(f"{op.method} {op.path}"),
        summary=summary,
        description=description,
        deprecated=op.deprecated,
        parameters=rows,
        returns=code(shown.result),
        returns_description=text_line(op.success.description),
        errors=errors,
        sync_example=sync,
        async_example=async_,
    )


def _featured(
    ops: list[tuple[Operation, OperationSurface]],
) -> tuple[Operation, OperationSurface] | None:
    """The operation the general examples call: a plain JSON one with few required arguments."""
    if not ops:
        return None
    return min(
        ops,
        key=lambda pair: (
            pair[0].success.kind != "json",
            pair[0].deprecated,
            pair[0].method != "GET",
            sum(p.required for p in pair[1].parameters),
            pair[1].name,
        ),
    )


# --- Examples ----------------------------------------------------------------------------------

_PLACEHOLDERS = {
    "str": None,  # the parameter's name
    "int": "1",
    "float": "1.0",
    "bool": "True",
    "None": "None",
    "bytes": 'b"..."',
    "FileInput": 'b"file contents"',
    "Any": '"value"',
    "AnyUrl": '"https://example.com"',
    "HttpUrl": '"https://example.com"',
    "AnyHttpUrl": '"https://example.com"',
}
_MODULE_PLACEHOLDERS = {
    "AwareDatetime": ("datetime", "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)"),
    "datetime": ("datetime", "datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)"),
    "NaiveDatetime": ("datetime", "datetime.datetime(2024, 1, 1)"),
    "date": ("datetime", "datetime.date(2024, 1, 1)"),
    "time": ("datetime", "datetime.time(12, 0)"),
    "timedelta": ("datetime", "datetime.timedelta(seconds=1)"),
    "UUID": ("uuid", 'uuid.UUID("00000000-0000-0000-0000-000000000000")'),
    "Decimal": ("decimal", 'decimal.Decimal("1.0")'),
}
_SEQUENCES = {"list", "List", "Sequence", "set", "Set", "frozenset", "tuple", "Iterable"}
_MAPPINGS = {"dict", "Dict", "Mapping"}
_MAX_DEPTH = 6


class _Values:
    """Placeholder values for types, as source text; remembers what they need imported."""

    def __init__(self, models: Mapping[str, ModelSurface]) -> None:
        self.models = models
        self.imports: set[str] = set()
        self.model_imports: set[str] = set()

    def reset(self) -> None:
        self.imports, self.model_imports = set(), set()

    def of(self, type_text: str, hint: str) -> str:
        try:
            node = ast.parse(type_text, mode="eval").body
        except SyntaxError:
            return "None"
        return self._value(node, hint, 0)

    def _value(self, node: ast.expr, hint: str, depth: int) -> str:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            options = _union_members(node)
            chosen = next((o for o in options if ast.unparse(o) != "None"), options[0])
            return self._value(chosen, hint, depth)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return self.of(node.value, hint)
            return "None"
        if isinstance(node, ast.Subscript):
            head = ast.unparse(node.value).rsplit(".", 1)[-1]
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head == "Literal":
                first = elts[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    return _quote(first.value)
                return ast.unparse(first)
            if head in _SEQUENCES:
                return f"[{self._value(elts[0], hint, depth + 1)}]"
            if head in _MAPPINGS:
                return f'{{"key": {self._value(elts[-1], hint, depth + 1)}}}'
            if head in ("Annotated", "Optional"):
                return self._value(elts[0], hint, depth)
            return "None"
        name = ast.unparse(node).rsplit(".", 1)[-1]
        if name == "str":
            return _quote(hint)
        if name in _PLACEHOLDERS:
            return _PLACEHOLDERS[name] or _quote(hint)
        if name in _MODULE_PLACEHOLDERS:
            module, value = _MODULE_PLACEHOLDERS[name]
            self.imports.add(module)
            return value
        model = self.models.get(name)
        if model is None or depth > _MAX_DEPTH:
            return "None"
        if model.fields is None:
            return self.of(model.type or "Any", hint) if depth <= _MAX_DEPTH else "None"
        self.model_imports.add(name)
        named, unnamed = [], []
        for f in model.fields:
            if not f.required:
                continue
            key = f.alias or f.name
            value = self._value(ast.parse(f.type, mode="eval").body, f.name, depth + 1)
            if key.isidentifier() and not keyword.iskeyword(key):
                named.append(f"{key}={value}")
            else:
                unnamed.append(f"{_quote(key)}: {value}")
        if unnamed:
            named.append("**{" + ", ".join(unnamed) + "}")
        return f"{name}({', '.join(named)})"


def _quote(text: str) -> str:
    """A string literal for `text`, in double quotes where that needs no escaping (black's style)."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        return '"' + literal[1:-1] + '"'
    return literal


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _call(target: str, args: list[str], indent: str, prefix: str = "", end: str = "") -> list[str]:
    """`prefix target(args) end` on one line, or one argument per line when too long."""
    one = f"{indent}{prefix}{target}({', '.join(args)}){end}"
    if len(one) <= _LINE or not args:
        return [one]
    return [
        f"{indent}{prefix}{target}(",
        *(f"{indent}    {a}," for a in args),
        f"{indent}){end}",
    ]


def _arguments(shown: OperationSurface, values: _Values) -> list[str]:
    args = []
    for p in shown.parameters:
        if not p.required:
            continue
        value = values.of(p.type, p.name)
        args.append(value if p.location == "path" else f"{p.name}={value}")
    return args


def _constructor(config: Config, api: Api, async_: bool, *extra: str) -> str:
    args = []
    if config.auth is not None:
        args.append(f'{config.auth.argument}="YOUR_API_KEY"')
    if not api.servers:
        args.append('base_url="https://api.example.com"')
    cls = config.async_client if async_ else config.client
    return f"{cls}({', '.join([*args, *extra])})"


def _imports(
    config: Config, names: list[str], values: _Values, stdlib: tuple[str, ...] = ()
) -> list[str]:
    lines = [f"import {m}" for m in sorted({*values.imports, *stdlib})]
    if lines:
        lines.append("")
    lines.append(f"from {config.package} import {', '.join(sorted(set(names)))}")
    if values.model_imports:
        lines.append(
            f"from {config.package}.models import {', '.join(sorted(values.model_imports))}"
        )
    return lines


def _use(op: Operation, target: str, args: list[str], indent: str, async_: bool) -> list[str]:
    """Lines that call the operation and use its result, for each kind of result."""
    kind = op.success.kind
    if kind in ("stream", "sse", "jsonlines"):
        loop = "async for" if async_ else "for"
        if kind != "stream":
            return [
                *_call(target, args, indent, f"{loop} item in ", ":"),
                f"{indent}    print(item)",
            ]
        inner = indent + "    "
        return [
            f'{indent}with open("output.bin", "wb") as file:',
            *_call(target, args, inner, f"{loop} chunk in ", ":"),
            f"{inner}    file.write(chunk)",
        ]
    awaited = "await " if async_ else ""
    if kind == "none" or op.success.type == Prim("None"):
        return _call(target, args, indent, awaited)
    return [*_call(target, args, indent, f"response = {awaited}"), f"{indent}print(response)"]


def _target(shown: OperationSurface, raw: bool = False) -> str:
    *groups, method = shown.name.split(".")
    return ".".join(["client", *groups, *(["with_raw_response"] if raw else []), method])


def _program(
    config: Config, api: Api, values: _Values, names: list[str], body: list[str], async_: bool
) -> str:
    """A whole runnable example: imports, a client, and `body` using it."""
    client = _constructor(config, api, async_)
    if not async_:
        lines = [*_imports(config, names, values), "", f"client = {client}", *body]
        return "\n".join(lines)
    lines = [
        *_imports(config, names, values, ("asyncio",)),
        "",
        "",
        "async def main() -> None:",
        f"    async with {client} as client:",
        *body,
        "",
        "",
        "asyncio.run(main())",
    ]
    return "\n".join(lines)


def _operation_examples(
    op: Operation, shown: OperationSurface, config: Config, api: Api, values: _Values
) -> tuple[str, str]:
    result = []
    for async_ in (False, True):
        values.reset()
        indent = "        " if async_ else ""
        body = _use(op, _target(shown), _arguments(shown, values), indent, async_)
        name = config.async_client if async_ else config.client
        result.append(_program(config, api, values, [name], body, async_))
    return result[0], result[1]


def _general_examples(
    op: Operation, shown: OperationSurface, config: Config, api: Api, values: _Values
) -> dict[str, str]:
    """The examples of the Usage, Errors, Retries, Timeouts and Raw responses sections."""
    values.reset()
    args = _arguments(shown, values)
    client = config.client
    examples: dict[str, str] = {}
    examples["usage"] = _program(
        config, api, values, [client], _use(op, _target(shown), args, "", False), False
    )
    examples["async"] = _program(
        config,
        api,
        values,
        [config.async_client],
        _use(op, _target(shown), args, "        ", True),
        True,
    )
    first_error = op.errors[0] if op.errors else None
    handlers = ["try:", *_call(_target(shown), args, "    ")]
    names = [client, "ApiError"]
    if first_error is not None:
        names.append(first_error.error_class)
        handlers += [
            f"except {first_error.error_class} as error:  # HTTP {first_error.status}",
            "    print(error.body)",
        ]
    handlers += [
        "except ApiError as error:  # any other status outside 2xx",
        "    print(error.status_code, error.body)",
    ]
    examples["errors"] = _program(config, api, values, names, handlers, False)
    with_retries = _constructor(config, api, False, "max_retries=5")
    with_timeout = _constructor(config, api, False, "timeout=20.0")
    examples["retries"] = "\n".join(
        [
            *_imports(config, [client], values),
            "",
            f"client = {with_retries}  # every call retries up to 5 times",
            "",
            "# This call is never retried:",
            *_call(_target(shown), [*args, 'request_options={"max_retries": 0}'], ""),
        ]
    )
    examples["timeouts"] = "\n".join(
        [
            *_imports(config, [client], values),
            "",
            f"client = {with_timeout}  # seconds, for every call",
            "",
            "# This call may take up to 5 seconds:",
            *_call(_target(shown), [*args, 'request_options={"timeout_in_seconds": 5}'], ""),
        ]
    )
    if op.success.kind not in ("stream", "sse", "jsonlines"):
        raw = _call(_target(shown, raw=True), args, "", "raw = ")
        examples["raw"] = _program(
            config,
            api,
            values,
            [client],
            [*raw, 'print(raw.status_code, raw.headers.get("content-type"))', "print(raw.data)"],
            False,
        )
    if api.servers:
        enum = config.environment_enum
        member = api.servers[-1].member
        chosen = _constructor(config, api, False, f"environment={enum}.{member}")
        proxied = _constructor(config, api, False, 'base_url="https://proxy.example.com/api"')
        examples["environments"] = "\n".join(
            [
                f"from {config.package} import {', '.join(sorted({client, enum}))}",
                "",
                f"client = {chosen}",
                "",
                "# Any other server, e.g. a proxy (a path prefix is kept):",
                f"client = {proxied}",
            ]
        )
    return examples

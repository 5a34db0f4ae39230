"""Views: what the templates print of groups and methods (names, imports, type strings)."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..api import (
    Api,
    Body,
    Group,
    LiteralOf,
    Operation,
    Prim,
    Success,
    TypeRef,
    class_name,
    model_names,
    render_type,
    union,
)
from ..escape import string_literal
from ..layout import Layout, import_block
from .docstrings import method_docs
from .paging import page_class
from .webhook_view import WebhookView

__all__ = [
    "Argument",
    "GroupView",
    "MethodView",
    "annotation",
    "collect_types",
    "group_imports",
    "group_module",
    "group_view",
    "import_lines",
    "media_types",
    "method_view",
    "model_imports",
    "stdlib_imports",
    "success_types",
    "typing_imports",
]


@dataclass(frozen=True)
class Argument:
    """One parameter of an operation's signature; name "*" where keyword-only ones begin."""

    name: str
    annotation: str = ""
    default: str = ""  # "", "None" or "OMIT"

    @property
    def text(self) -> str:
        if self.name == "*":
            return "*"
        return f"{self.name}: {self.annotation}" + (f" = {self.default}" if self.default else "")


@dataclass(frozen=True)
class MethodView:
    name: str
    # The signature after `self`, with `*` where keyword-only arguments begin.
    params: tuple[Argument, ...]
    result: str
    call: str  # the runtime method: call, stream_bytes or stream_items
    module: str
    # By member mode (sync, async, raw, ...): the docstring's text, not yet escaped.
    docs: Mapping[str, str]
    deprecated: bool
    # A binary response: the method is also offered on with_streaming_response, in chunks.
    binary: bool = False
    # A paginated operation: its synchronous page class (the operation module's); "" if not.
    page: str = ""

    @property
    def arguments(self) -> tuple[tuple[str, str, str], ...]:
        """The parameters after `self` as the template writes them: (name, annotation, default),
        annotations quoted as black leaves them; ("*", "", "") where keyword-only ones begin."""
        return tuple((a.name, annotation(a.annotation), a.default) for a in self.params)

    @property
    def returns(self) -> dict[str, str]:
        """By member mode (sync, async, raw, ...) it is offered in: the return annotation."""
        found = {
            mode: mode_result(self.call, self.binary, self.result, mode, self.page)
            for mode in MODES
        }
        return {mode: annotation(result) for mode, result in found.items() if result is not None}

    def runtime(self, mode: str) -> tuple[str, bool, str]:
        """In a class of `mode`: (the SyncHttp/AsyncHttp method called, whether it is awaited,
        the page class passed after request_options, "" for none)."""
        is_async = mode.startswith("async")
        if mode.endswith("streaming"):
            return "stream_bytes", False, ""
        if mode.endswith("raw"):
            return "call_raw", is_async, ""
        if self.call == "paginate":
            return "paginate", False, ("Async" if is_async else "") + self.page
        return self.call, is_async and self.call == "call", ""

    @property
    def warning(self) -> str:
        """The DeprecationWarning's message literal (a deprecated operation)."""
        return string_literal(f"{self.name} is deprecated by the API")


@dataclass(frozen=True)
class ChildView:
    attribute: str
    module: str
    stem: str


@dataclass(frozen=True)
class GroupView:
    stem: str
    doc: str  # text, not yet escaped
    methods: tuple[MethodView, ...]
    children: tuple[ChildView, ...]
    type_imports: tuple[str, ...]
    uses_iterators: bool
    # A group module (not the client): its classes always take the transport.
    nested: bool = True
    # The package (the operation modules' imports name it).
    package: str = ""
    # The annotations of its connect methods' arguments (channel_view.py), when it has any.
    realtime: tuple[str, ...] = ()
    # The webhooks group: its construct_event method.
    webhook: WebhookView | None = None

    @property
    def raw(self) -> bool:
        """Whether the main classes have with_raw_response: a group module always (but the
        webhooks helper alone), the client when it has operations of its own."""
        return (self.nested and self.webhook is None) or bool(self.methods)

    @property
    def streams(self) -> bool:
        """Whether the group has a with_streaming_response (an operation with a binary body)."""
        return any(m.binary for m in self.methods)


def typing_imports(code: str) -> list[str]:
    """The names from `typing` that rendered annotations use."""
    names = [name for name in ("Any", "Literal") if re.search(rf"\b{name}\b", code)]
    if re.search(r"(?<![\w.])IO\[bytes\]", code):  # a raw binary body (a file object)
        names.insert(1 if "Any" in names else 0, "IO")
    return names


def stdlib_imports(code: str) -> list[str]:
    """Imports of the standard library modules rendered annotations name (datetime.date, ...)."""
    found = [m for m in ("datetime", "uuid") if re.search(rf"(?<![\w.]){m}\.", code)]
    if re.search(r"(?<![\w.])os\.PathLike\[str\]", code):  # a raw binary body (a path)
        found.append("os")
    return [f"import {m}" for m in sorted(found)]


def group_module(package: str, path: tuple[str, ...]) -> str:
    return (
        ".".join([package, "resources", *path, "client"]) if path else f"{package}.resources.client"
    )


def _quote(token: str) -> str:
    """A string literal written by repr(), re-quoted as black leaves it."""
    value = ast.literal_eval(token)
    return string_literal(value) if isinstance(value, str) else token


# A string literal as repr() writes it, in an annotation render_type wrote.
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


@lru_cache(maxsize=4096)
def annotation(text: str) -> str:
    """An annotation (render_type's) with its string literals quoted as black leaves them."""
    return _STRING.sub(lambda match: _quote(match.group()), text)


def literal(value: str | int) -> str:
    """A str or int as a Python literal, quoted as black leaves it."""
    return string_literal(value) if isinstance(value, str) else repr(value)


def model_imports(package: str, module_of: Mapping[str, str], names: set[str]) -> list[str]:
    by_module: dict[str, list[str]] = {}
    for name in sorted(names):
        by_module.setdefault(module_of[name], []).append(name)
    return [
        f"from {package}.models.{m} import {', '.join(ns)}" for m, ns in sorted(by_module.items())
    ]


def import_lines(lay: Layout, lines: Sequence[str], depth: int = 0) -> list[str]:
    """Import statements (`from x import a, b` or `import x`; "" for a blank line) laid out."""
    out: list[str] = []
    for line in lines:
        if line.startswith("from "):
            module, _, names = line[5:].partition(" import ")
            out += lay.from_import(module, names.split(", "), depth)
        else:
            out += lay.line(line, depth) if line else [""]
    return out


def group_imports(
    view: GroupView,
    package: str,
    runtime_extra: tuple[str, ...] = (),
    type_checking: bool = False,
    more: Sequence[str] = (),
) -> list[str]:
    """Import lines for a group module, or the client module (which adds runtime_extra and the
    statements `more`), with TYPE_CHECKING when the module has an `if TYPE_CHECKING:` block;
    sorted as ruff sorts them, "" between the sections. Only what the module uses."""
    code = " ".join(
        [
            *(a.text for m in view.methods for a in m.params),
            *(m.result for m in view.methods),
            view.webhook.event if view.webhook is not None else "",
        ]
    )
    code += " " + " ".join(view.realtime)
    runtime = set(runtime_extra) | ({"REALTIME_CONNECT_TIMEOUT"} if view.realtime else set())
    if view.nested or view.methods:
        runtime.add("SyncHttp")  # the classes taking the transport: __init__(self, http)
        runtime.add("AsyncHttp")
    if view.methods:
        runtime.add("RequestOptions")
    if any(m.call in ("call", "paginate") for m in view.methods):
        runtime.add("RawResponse")
    runtime |= {
        name
        for name in ("OMIT", "Omit", "FileInput", "ServerSentEvent")
        if re.search(rf"\b{name}\b", code)
    }
    if any(m.deprecated for m in view.methods):
        runtime.add("deprecated_operation")
    lines = [*more, *stdlib_imports(code)]
    if "builtins." in code:
        lines.append("import builtins")
    if view.uses_iterators:
        lines.append("from collections.abc import AsyncIterator, Iterator")
    if view.children or view.methods:
        lines.append("from functools import cached_property")
    typing_names = typing_imports(code)
    if view.type_imports or type_checking:
        typing_names = ["TYPE_CHECKING", *typing_names]
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}")
    if runtime:
        lines.append(f"from {package}._runtime import {', '.join(runtime)}")
    return import_block(lines, package)


def success_types(success: Success) -> list[TypeRef | None]:
    """The result type and those of every alternative (by media type or status)."""
    types: list[TypeRef | None] = [success.type, *(t for _, _, t in success.alternatives)]
    for each in success.statuses:
        types += success_types(each)
    return types


def collect_types(types: list[TypeRef | None]) -> set[str]:
    names: set[str] = set()
    for t in types:
        if t is not None:
            model_names(t, names.add)
    return names


def _result_type(op: Operation) -> str:
    if op.success.kind == "stream":
        return "Iterator[bytes]"
    if op.success.kind in ("sse", "jsonlines"):
        item = "ServerSentEvent" if op.success.type == Prim("str") else render_type(op.success.type)
        return f"Iterator[{item}]"
    return render_type(op.success.type)


def _call(op: Operation) -> str:
    if op.pagination is not None:
        return "paginate"
    return {"stream": "stream_bytes", "sse": "stream_items", "jsonlines": "stream_items"}.get(
        op.success.kind, "call"
    )


def optional(t: TypeRef) -> str:
    """The annotation of a parameter that may be left out: its type, or None."""
    return render_type(union([t, Prim("None")]))


def arguments(op: Operation) -> tuple[Argument, ...]:
    """The signature: path parameters, `*`, the other parameters, the body's fields or body."""
    args = [
        Argument(p.python_name, render_type(p.type)) for p in op.parameters if p.location == "path"
    ]
    args.append(Argument("*"))
    for p in op.parameters:
        if p.location != "path":
            if p.required:
                args.append(Argument(p.python_name, render_type(p.type)))
            else:
                args.append(Argument(p.python_name, optional(p.type), "None"))
    body = op.body
    if body is not None:
        for f in body.fields:
            if f.required:
                args.append(Argument(f.python_name, render_type(f.type)))
            else:
                args.append(Argument(f.python_name, f"{render_type(f.type)} | Omit", "OMIT"))
        if body.whole is not None:
            if body.required:
                args.append(Argument(body.python_name, render_type(body.whole)))
            else:
                args.append(Argument(body.python_name, optional(body.whole), "None"))
        if body.choice is not None:
            args.append(
                Argument(
                    body.choice.python_name,
                    media_types(body),
                    literal(body.choice.options[0].media_type),
                )
            )
    return tuple(args)


def media_types(body: Body) -> str:
    """The annotation of the argument picking the media type a body is sent as."""
    options = body.choice.options if body.choice is not None else (body,)
    return render_type(LiteralOf(tuple(option.media_type for option in options)))


def method_view(op: Operation) -> MethodView:
    result = _result_type(op)
    binary = op.success.kind in ("bytes", "stream")
    runtime_call = _call(op)
    page = page_class(op)
    results = {
        mode: annotation
        for mode in MODES
        if (annotation := mode_result(runtime_call, binary, result, mode, page)) is not None
    }
    return MethodView(
        op.method_name,
        arguments(op),
        result,
        runtime_call,
        op.module_name,
        method_docs(op, results),
        op.deprecated,
        binary,
        page,
    )


# Member modes: the main classes, with_raw_response's and with_streaming_response's.
MODES = ("sync", "async", "raw", "async_raw", "streaming", "async_streaming")


def mode_result(
    runtime_call: str, binary: bool, result: str, mode: str, page: str = ""
) -> str | None:
    """The return annotation of a method in a class of `mode`; None if it is not offered there.
    A paginated method (`page`, its page class) returns its page, on the asynchronous client
    an AsyncPager of it; raw, the response model of one page."""
    is_raw, is_streaming = mode.endswith("raw"), mode.endswith("streaming")
    if runtime_call == "paginate":
        if is_streaming:
            return None
        if is_raw:
            return f"RawResponse[{result}]"
        return f"AsyncPager[Async{page}]" if mode.startswith("async") else page
    if (is_raw and runtime_call != "call") or (is_streaming and not binary):
        return None
    base = "Iterator[bytes]" if is_streaming else result
    if is_raw:
        return f"RawResponse[{base}]"
    streaming = is_streaming or runtime_call != "call"
    return f"Async{base}" if mode.startswith("async") and streaming else base


# A method named like a generic builtin (`list`) hides it inside its class body's annotations.
_GENERIC_BUILTINS = frozenset({"list", "dict", "set", "tuple", "type", "frozenset"})


def _unshadow(method: MethodView, names: set[str]) -> MethodView:
    pattern = re.compile(rf"(?<![\w.'\"])({'|'.join(sorted(names))})\[")

    def fix(text: str) -> str:
        return pattern.sub(r"builtins.\1[", text)

    return replace(
        method,
        params=tuple(replace(a, annotation=fix(a.annotation)) for a in method.params),
        result=fix(method.result),
    )


def group_view(
    api: Api,
    group: Group,
    package: str,
    module_of: Mapping[str, str],
    webhook: WebhookView | None = None,
) -> GroupView:
    """The view of `group`; `webhook`, the construct_event method of the webhooks group."""
    children = tuple(
        ChildView(child, group_module(package, (*group.path, child)), class_name(child))
        for child in group.children
    )
    types: list[TypeRef | None] = []
    for op in group.operations:
        types += [p.type for p in op.parameters]
        if op.body is not None:
            types += [f.type for f in op.body.fields] + [op.body.whole]
        types += success_types(op.success)
    imports = model_imports(package, module_of, collect_types(types) & module_of.keys())
    imports += [f"from {c.module} import {c.stem}Client, Async{c.stem}Client" for c in children]
    pages = [(op.module_name, page_class(op)) for op in group.operations if op.pagination]
    imports += [f"from {package}._operations.{m} import Async{p}, {p}" for m, p in pages]
    if pages:
        imports.append(f"from {package}._runtime import AsyncPager")
    if webhook is not None:
        imports += ["from collections.abc import Mapping", *webhook.imports]
    imports = import_block(imports, package)
    title = ".".join(group.path) or api.title or "API"
    methods = tuple(method_view(op) for op in group.operations)
    shadowed = {m.name for m in methods} & _GENERIC_BUILTINS
    if shadowed:
        methods = tuple(_unshadow(m, shadowed) for m in methods)
    return GroupView(
        stem=group.class_stem,
        doc=f"Operations of {title}.",
        methods=methods,
        children=children,
        type_imports=tuple(imports),
        uses_iterators=any(
            op.success.kind in ("stream", "sse", "jsonlines", "bytes") for op in group.operations
        ),
        nested=bool(group.path),
        package=package,
        webhook=webhook,
    )

"""Views: everything templates print, computed in Python (names, imports, type strings, docs)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .escape import docstring
from .ir import Api, Body, Group, Operation, Prim, ResultKind, Success, TypeRef
from .naming import class_name
from .types import model_names, render_type, union

__all__ = [
    "GroupView",
    "MethodView",
    "OperationModuleView",
    "group_module",
    "group_view",
    "operation_module_view",
    "typing_imports",
]


@dataclass(frozen=True)
class MethodView:
    name: str
    # The signature after `self`, one entry per parameter, with `*` where keyword-only begins.
    params: tuple[str, ...]
    forward: tuple[str, ...]
    result: str
    call: str  # the runtime method: call, stream_bytes or stream_items
    module: str
    doc: str
    deprecation: str  # a repr()'d warning message, or ""
    # A binary response: the method is also offered on with_streaming_response, in chunks.
    binary: bool = False
    stream_doc: str = ""


@dataclass(frozen=True)
class ChildView:
    attribute: str
    module: str
    stem: str


@dataclass(frozen=True)
class GroupView:
    stem: str
    doc: str
    methods: tuple[MethodView, ...]
    children: tuple[ChildView, ...]
    type_imports: tuple[str, ...]
    uses_iterators: bool
    # The credential argument of the client constructor (root group only): a runtime call.
    secret_headers: str = ""

    @property
    def streams(self) -> bool:
        """Whether the group has a with_streaming_response (an operation with a binary body)."""
        return any(m.binary for m in self.methods)


@dataclass(frozen=True)
class OperationModuleView:
    doc: str
    endpoint_type: str
    method: str
    path: str
    result: str
    # (status as a literal: 404 or '4XX' or 'default', error class, body type)
    errors: tuple[tuple[str, str, str], ...]
    params: tuple[str, ...]
    path_params: tuple[tuple[str, str], ...]
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    cookies: tuple[tuple[str, str], ...]
    body: str  # keyword arguments for Request(...) that carry the body, already rendered
    imports: tuple[str, ...]
    # (condition, repr()'d message): a DeprecationWarning when a deprecated argument is given.
    deprecated_args: tuple[tuple[str, str], ...] = ()


def typing_imports(code: str) -> list[str]:
    """The names from `typing` that rendered annotations use."""
    return [name for name in ("Any", "Literal") if re.search(rf"\b{name}\b", code)]


def group_module(package: str, path: tuple[str, ...]) -> str:
    return (
        ".".join([package, "resources", *path, "client"]) if path else f"{package}.resources.client"
    )


def _model_import(package: str, module_of: Mapping[str, str], names: set[str]) -> list[str]:
    by_module: dict[str, list[str]] = {}
    for name in sorted(names):
        by_module.setdefault(module_of[name], []).append(name)
    return [
        f"from {package}.models.{m} import {', '.join(ns)}" for m, ns in sorted(by_module.items())
    ]


def _success_types(success: Success) -> list[TypeRef | None]:
    """The result type and those of every alternative (by media type or status)."""
    types: list[TypeRef | None] = [success.type, *(t for _, _, t in success.alternatives)]
    for each in success.statuses:
        types += _success_types(each)
    return types


def _collect(types: list[TypeRef | None]) -> set[str]:
    names: set[str] = set()
    for t in types:
        if t is not None:
            model_names(t, names.add)
    return names


def _is_binary(op: Operation) -> bool:
    return op.success.kind in ("bytes", "stream")


def _result_type(op: Operation) -> str:
    if op.success.kind == "stream":
        return "Iterator[bytes]"
    if op.success.kind in ("sse", "jsonlines"):
        item = "ServerSentEvent" if op.success.type == Prim("str") else render_type(op.success.type)
        return f"Iterator[{item}]"
    return render_type(op.success.type)


def _call(op: Operation) -> str:
    return {"stream": "stream_bytes", "sse": "stream_items", "jsonlines": "stream_items"}.get(
        op.success.kind, "call"
    )


def _optional(t: TypeRef) -> str:
    """The annotation of a parameter that may be left out: its type, or None."""
    return render_type(union([t, Prim("None")]))


def _signature(op: Operation) -> tuple[tuple[str, ...], tuple[str, ...]]:
    positional = [p for p in op.parameters if p.location == "path"]
    keyword = [p for p in op.parameters if p.location != "path"]
    params = [f"{p.python_name}: {render_type(p.type)}" for p in positional]
    forward = [f"{p.python_name}={p.python_name}" for p in positional]
    params.append("*")
    for p in keyword:
        annotation = render_type(p.type) if p.required else _optional(p.type)
        params.append(
            f"{p.python_name}: {annotation}"
            if p.required
            else f"{p.python_name}: {annotation} = None"
        )
        forward.append(f"{p.python_name}={p.python_name}")
    body = op.body
    if body is not None:
        for f in body.fields:
            annotation = render_type(f.type) if f.required else f"{render_type(f.type)} | Omit"
            params.append(
                f"{f.python_name}: {annotation}"
                if f.required
                else f"{f.python_name}: {annotation} = OMIT"
            )
            forward.append(f"{f.python_name}={f.python_name}")
        if body.whole is not None:
            annotation = render_type(body.whole) if body.required else _optional(body.whole)
            params.append(
                f"{body.python_name}: {annotation}"
                if body.required
                else f"{body.python_name}: {annotation} = None"
            )
            forward.append(f"{body.python_name}={body.python_name}")
    return tuple(params), tuple(forward)


def _doc(op: Operation, result: str) -> str:
    lines = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        lines += ["", op.description]
    lines += ["", f"`{op.method} {op.path}`", "", "Parameters", "----------"]
    entries: list[tuple[str, str, str]] = [
        (p.python_name, render_type(p.type) if p.required else _optional(p.type), p.description)
        for p in op.parameters
    ]
    if op.body is not None:
        entries += [(f.python_name, render_type(f.type), f.description) for f in op.body.fields]
        if op.body.whole is not None:
            entries.append(
                (
                    op.body.python_name,
                    render_type(op.body.whole),
                    op.body.description or "The request body.",
                )
            )
    entries.append(
        (
            "request_options",
            "RequestOptions | None",
            "Per-request timeout, retries, headers and query parameters.",
        )
    )
    for name, annotation, text in entries:
        lines += [f"{name} : {annotation}", f"    {text}" if text else "    (undocumented)", ""]
    lines += ["Returns", "-------", result]
    lines += [f"    {op.success.description}", ""] if op.success.description else [""]
    if op.errors:
        lines += ["Raises", "------"]
        for error in op.errors:
            lines += [error.error_class, f"    HTTP {error.status}: {error.description or 'error'}"]
    return docstring("\n".join(lines).rstrip() + "\n")


def method_view(op: Operation) -> MethodView:
    params, forward = _signature(op)
    result = _result_type(op)
    deprecation = repr(f"{op.method_name} is deprecated by the API") if op.deprecated else ""
    binary = _is_binary(op)
    stream_doc = ""
    if binary:
        stream_doc = docstring(
            f"{op.summary or f'{op.method} {op.path}'}: the response body in chunks as they"
            " arrive, never held whole.\n\n"
            f"`{op.method} {op.path}`. Takes the arguments of `{op.method_name}` (see there);"
            " the request is sent when iteration starts and the connection is released when"
            " it ends (or the iterator is closed)."
        )
    return MethodView(
        op.method_name,
        params,
        forward,
        result,
        _call(op),
        op.module_name,
        _doc(op, result),
        deprecation,
        binary,
        stream_doc,
    )


# A method named like a generic builtin (`list`) hides it inside its class body's annotations.
_GENERIC_BUILTINS = frozenset({"list", "dict", "set", "tuple", "type", "frozenset"})


def _unshadow(method: MethodView, names: set[str]) -> MethodView:
    pattern = re.compile(rf"(?<![\w.'\"])({'|'.join(sorted(names))})\[")

    def fix(text: str) -> str:
        return pattern.sub(r"builtins.\1[", text)

    return replace(method, params=tuple(fix(p) for p in method.params), result=fix(method.result))


def group_view(api: Api, group: Group, package: str, module_of: Mapping[str, str]) -> GroupView:
    children = tuple(
        ChildView(child, group_module(package, (*group.path, child)), class_name(child))
        for child in group.children
    )
    types: list[TypeRef | None] = []
    for op in group.operations:
        types += [p.type for p in op.parameters]
        if op.body is not None:
            types += [f.type for f in op.body.fields] + [op.body.whole]
        types += _success_types(op.success)
    imports = _model_import(package, module_of, _collect(types) & module_of.keys())
    imports += [f"from {c.module} import {c.stem}Client, Async{c.stem}Client" for c in children]
    title = ".".join(group.path) or api.title or "API"
    methods = tuple(method_view(op) for op in group.operations)
    shadowed = {m.name for m in methods} & _GENERIC_BUILTINS
    if shadowed:
        methods = tuple(_unshadow(m, shadowed) for m in methods)
    return GroupView(
        stem=group.class_stem,
        doc=docstring(f"Operations of {title}."),
        methods=methods,
        children=children,
        type_imports=tuple(imports),
        uses_iterators=any(
            op.success.kind in ("stream", "sse", "jsonlines", "bytes") for op in group.operations
        ),
        secret_headers=_secret_headers(api) if not group.path else "",
    )


def _secret_headers(api: Api) -> str:
    """The client constructor's `secret_headers=` value for the API's credential ("" for none)."""
    credential = api.credential
    if credential is None:
        return ""
    env = f", env_var={credential.env!r}" if credential.env else ""
    prefix = f", prefix={credential.prefix!r}" if credential.prefix else ""
    return f"secret_header({credential.header!r}, {credential.argument}{env}{prefix})"


def _body_arguments(body: Body | None) -> str:
    if body is None:
        return ""
    if body.whole is not None:
        target = {"json": "json", "form": "form", "multipart": "form", "bytes": "content"}[
            body.kind
        ]
        if body.kind in ("form", "multipart"):
            return f"form=tuple(dict({body.python_name} or {{}}).items())"
        return f"{target}={body.python_name}, content_type={body.media_type!r}"
    if body.kind == "json":
        items = ", ".join(f"{f.name!r}: {f.python_name}" for f in body.fields)
        return f"json={{{items}}}"
    fields = ", ".join(f"({f.name!r}, {f.python_name})" for f in body.fields if not f.is_file)
    args = f"form=({fields}{',' if fields else ''})"
    if body.kind == "multipart":
        files = ", ".join(f"({f.name!r}, {f.python_name})" for f in body.fields if f.is_file)
        args += f", files=({files}{',' if files else ''})"
    return args


_RESULT_CLASSES: Mapping[ResultKind, str] = {
    "json": "JsonResult",
    "text": "TextResult",
    "bytes": "BytesResult",
    "stream": "BytesResult",
    "none": "NoneResult",
}


def _result_kind(kind: ResultKind, type_: TypeRef) -> str:
    """The runtime ResultKind for a whole (not streamed) body of one kind."""
    cls = _RESULT_CLASSES[kind]
    return f"{cls}({render_type(type_)})" if kind == "json" else f"{cls}()"


def _result(success: Success) -> tuple[str, str]:
    """(the Endpoint's `result=` expression, its type parameter)."""
    result_type = render_type(success.type)
    if success.kind in ("sse", "jsonlines"):
        item = "ServerSentEvent" if success.type == Prim("str") else result_type
        cls = "SseResult" if success.kind == "sse" else "JsonLinesResult"
        return f"{cls}({item})", item
    if success.kind == "status":
        options = ", ".join(f"{s.status!r}: {_result(s)[0]}" for s in success.statuses)
        return f"StatusResult({{{options}}})", result_type
    if success.kind == "media":
        options = ", ".join(
            f"({media!r}, {_result_kind(kind, type_)})"
            for media, kind, type_ in success.alternatives
        )
        return f"ContentTypeResult(({options},))", result_type
    endpoint_type = {"text": "str", "none": "None", "bytes": "bytes", "stream": "bytes"}.get(
        success.kind, result_type
    )
    return _result_kind(success.kind, success.type), endpoint_type


def _deprecated_args(op: Operation) -> tuple[tuple[str, str], ...]:
    found = [
        (f"{p.python_name} is not None", p.name, p.location + " parameter")
        for p in op.parameters
        if p.deprecated
    ]
    if op.body is not None:
        found += [
            (f"{f.python_name} is not OMIT", f.name, "body field")
            for f in op.body.fields
            if f.deprecated
        ]
    return tuple(
        (condition, repr(f"{op.method_name}: the {what} {name!r} is deprecated by the API"))
        for condition, name, what in found
    )


def operation_module_view(
    op: Operation, package: str, module_of: Mapping[str, str]
) -> OperationModuleView:
    success = op.success
    result, endpoint_type = _result(success)
    types: list[TypeRef | None] = [
        *_success_types(success),
        *(e.body_type for e in op.errors),
        *(p.type for p in op.parameters),
    ]
    if op.body is not None:
        types += [f.type for f in op.body.fields] + [op.body.whole]
    errors = tuple(
        (
            repr(e.status),
            e.error_class,
            render_type(e.body_type) if e.body_type is not None else "None",
        )
        for e in op.errors
    )
    params, _ = _signature(op)
    body_arguments = _body_arguments(op.body)
    deprecated_args = _deprecated_args(op)
    code = " ".join(
        [
            *params,
            result,
            body_arguments,
            *(body for _, _, body in errors),
            *(c for c, _ in deprecated_args),
        ]
    )
    runtime = {"Endpoint", "Request"} | {
        name
        for name in (
            "OMIT",
            "Omit",
            "FileInput",
            "ServerSentEvent",
            "BytesResult",
            "ContentTypeResult",
            "JsonLinesResult",
            "JsonResult",
            "NoneResult",
            "SseResult",
            "StatusResult",
            "TextResult",
        )
        if re.search(rf"\b{name}\b", code)
    }
    typing_names = typing_imports(code)
    imports = ["import warnings as _warnings"] if deprecated_args else []
    if typing_names:
        imports.append(f"from typing import {', '.join(typing_names)}")
    imports.append(f"from {package}._runtime import {', '.join(sorted(runtime))}")
    if errors:
        imports.append(
            f"from {package}.errors import {', '.join(sorted({cls for _, cls, _ in errors}))}"
        )
    imports += _model_import(package, module_of, _collect(types) & module_of.keys())
    by_location = {
        loc: tuple((p.name, p.python_name) for p in op.parameters if p.location == loc)
        for loc in ("path", "query", "header", "cookie")
    }
    keyword_params = tuple(p for p in params if p != "*")
    return OperationModuleView(
        doc=docstring(f"{op.method} {op.path}" + (f": {op.summary}" if op.summary else "")),
        endpoint_type=endpoint_type,
        method=repr(op.method),
        path=repr(op.path),
        result=result,
        errors=errors,
        params=keyword_params,
        path_params=by_location["path"],
        query=by_location["query"],
        headers=by_location["header"],
        cookies=by_location["cookie"],
        body=body_arguments,
        imports=tuple(imports),
        deprecated_args=deprecated_args,
    )

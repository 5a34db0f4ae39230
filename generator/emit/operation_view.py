"""Operation view: the statements of an operation's module (ENDPOINT, request()), laid out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..api import (
    Body,
    BodyField,
    Operation,
    Parameter,
    Prim,
    ResultKind,
    Success,
    TypeRef,
    render_type,
)
from ..layout import Atom, Brackets, Code, Expr, Layout, call, import_block
from .views import (
    Argument,
    arguments,
    collect_types,
    import_lines,
    literal,
    model_imports,
    stdlib_imports,
    success_types,
    type_expr,
    typing_imports,
)

__all__ = ["OperationModuleView", "operation_module_view"]


@dataclass(frozen=True)
class OperationModuleView:
    """Blocks of lines as black lays them out; `exact` if every one is black's layout."""

    doc: str
    imports: str
    endpoint: str
    signature: str
    body: str
    exact: bool


def _tuple(items: Sequence[Expr]) -> Brackets:
    """`(a, b)` as the templates wrote tuples of pairs: a trailing comma after each item."""
    return Brackets("", "(", [("", item) for item in items], comma=True)


def _pairs(pairs: Sequence[tuple[str, str | Expr]]) -> Brackets:
    return _tuple(
        [
            Brackets("", "(", [("", Atom(literal(n))), ("", Atom(v) if isinstance(v, str) else v)])
            for n, v in pairs
        ]
    )


def _parameter_value(p: Parameter) -> Expr:
    """The argument as Request takes it: bare in the location's default style, else wrapped in
    `Encoded` (a `content` parameter) or `Styled` (the style the spec declares)."""
    if p.media_type is not None:
        return call("Encoded", Atom(p.python_name), Atom(literal(p.media_type)))
    if p.style is None:
        return Atom(p.python_name)
    return _styled(p.python_name, p.style, p.explode, p.allow_reserved)


def _styled(name: str, style: str, explode: bool | None, allow_reserved: bool) -> Brackets:
    """`Styled(name, "style", explode=..., allow_reserved=True)`, defaults left out."""
    items: list[tuple[str, Expr] | Expr] = [Atom(name), Atom(literal(style))]
    if explode is not None:
        items.append(("explode=", Atom(str(explode))))
    if allow_reserved:
        items.append(("allow_reserved=", Atom("True")))
    return call("Styled", *items)


def _body_arguments(body: Body | None) -> list[tuple[str, Expr]]:
    """The keyword arguments of Request(...) that carry the body."""
    if body is None:
        return []
    name = body.python_name
    if body.whole is not None:
        if body.kind in ("form", "multipart"):
            return [("form=", Code(f"tuple(dict({name} or {{}}).items())"))]
        target = "content=" if body.kind == "bytes" else "json="
        return [(target, Atom(name)), ("content_type=", Atom(literal(body.media_type)))]
    if body.kind == "json":
        items = [(f"{literal(f.name)}: ", Atom(f.python_name)) for f in body.fields]
        args: list[tuple[str, Expr]] = [("json=", Brackets("", "{", items))]
        if body.media_type != "application/json":  # a +json type, sent as the spec names it
            args.append(("content_type=", Atom(literal(body.media_type))))
        return args
    fields = [(f.name, _field_value(body, f)) for f in body.fields if not f.is_file]
    args = [("form=", _pairs(fields))]
    if body.kind == "multipart":
        files = [(f.name, _field_value(body, f)) for f in body.fields if f.is_file]
        args.append(("files=", _pairs(files)))
    return args


def _field_value(body: Body, f: BodyField) -> Expr:
    """A form field as Request takes it: bare, or with its `encoding` (`Part` for a multipart
    content type, `Styled` or `Encoded` for a urlencoded field)."""
    if f.content_type is not None:
        cls = "Part" if body.kind == "multipart" else "Encoded"
        return call(cls, Atom(f.python_name), Atom(literal(f.content_type)))
    if f.style is None or body.kind == "multipart":
        return Atom(f.python_name)
    return _styled(f.python_name, f.style, f.explode, f.allow_reserved)


_RESULT_CLASSES: Mapping[ResultKind, str] = {
    "json": "JsonResult",
    "text": "TextResult",
    "bytes": "BytesResult",
    "stream": "BytesResult",
    "none": "NoneResult",
}


def _result_kind(kind: ResultKind, type_: TypeRef) -> Brackets:
    """The runtime ResultKind for a whole (not streamed) body of one kind."""
    cls = _RESULT_CLASSES[kind]
    return call(cls, type_expr(render_type(type_))) if kind == "json" else call(cls)


def _result(success: Success) -> tuple[Brackets, str]:
    """(the Endpoint's `result=` expression, its type parameter)."""
    result_type = render_type(success.type)
    if success.kind in ("sse", "jsonlines"):
        item = "ServerSentEvent" if success.type == Prim("str") else result_type
        cls = "SseResult" if success.kind == "sse" else "JsonLinesResult"
        return call(cls, type_expr(item)), item
    if success.kind == "status":
        options = [(f"{literal(s.status)}: ", _result(s)[0]) for s in success.statuses]
        return call("StatusResult", Brackets("", "{", options)), result_type
    if success.kind == "media":
        alternatives = [
            Brackets("", "(", [("", Atom(literal(media))), ("", _result_kind(kind, type_))])
            for media, kind, type_ in success.alternatives
        ]
        return call("ContentTypeResult", _tuple(alternatives)), result_type
    endpoint_type = {"text": "str", "none": "None", "bytes": "bytes", "stream": "bytes"}.get(
        success.kind, result_type
    )
    return _result_kind(success.kind, success.type), endpoint_type


def _deprecated_args(op: Operation) -> list[tuple[str, str]]:
    """(condition, message literal): a DeprecationWarning when a deprecated argument is given."""
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
    return [
        (condition, literal(f"{op.method_name}: the {what} {name!r} is deprecated by the API"))
        for condition, name, what in found
    ]


def _security(op: Operation) -> list[tuple[str, Expr]]:
    """`security=`: the operation's alternatives of scheme names, when the spec gives any."""
    if op.security is None:
        return []

    def tuple_of(items: list[Expr]) -> Brackets:  # black's own: a comma for a one-tuple only
        return Brackets("", "(", [("", item) for item in items], comma=len(items) == 1)

    alternatives: list[Expr] = [
        tuple_of([Atom(literal(name)) for name in alternative]) for alternative in op.security
    ]
    return [("security=", tuple_of(alternatives))]


def _servers(op: Operation) -> list[tuple[str, Expr]]:
    """`servers=`: the URL templates of the operation's own servers, when it has any."""
    if not op.servers:
        return []
    urls = [("", Atom(literal(url))) for url in op.servers]
    return [("servers=", Brackets("", "(", urls, comma=len(urls) == 1))]


_RUNTIME_NAMES = (
    "Encoded",
    "Part",
    "Styled",
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


def operation_module_view(
    op: Operation, package: str, module_of: Mapping[str, str]
) -> OperationModuleView:
    lay = Layout()
    result, endpoint_type = _result(op.success)
    types: list[TypeRef | None] = [
        *success_types(op.success),
        *(e.body_type for e in op.errors),
        *(p.type for p in op.parameters),
    ]
    if op.body is not None:
        types += [f.type for f in op.body.fields] + [op.body.whole]
    errors = [
        (
            literal(e.status),
            e.error_class,
            render_type(e.body_type) if e.body_type is not None else "None",
        )
        for e in op.errors
    ]
    params = [a for a in arguments(op) if a.name != "*"]
    body_arguments = _body_arguments(op.body)
    # The bodies of the other media types the caller may pick (see request's statements).
    picked = [
        argument
        for option in (op.body.choice.options[1:] if op.body and op.body.choice else ())
        for argument in _body_arguments(option)
    ]
    deprecated = _deprecated_args(op)
    by_location: dict[str, list[tuple[str, Expr]]] = {
        loc: [(p.name, _parameter_value(p)) for p in op.parameters if p.location == loc]
        for loc in ("path", "query", "header", "cookie")
    }
    code = " ".join(
        [
            *(a.text for a in params),
            *(value.text for values in by_location.values() for _, value in values),
            result.text,
            *(value.text for _, value in [*body_arguments, *picked]),
            *(body for _, _, body in errors),
            *(c for c, _ in deprecated),
        ]
    )
    runtime = {"Endpoint", "Request"} | {
        name for name in _RUNTIME_NAMES if re.search(rf"\b{name}\b", code)
    }
    typing_names = typing_imports(code)
    imports = ["import warnings as _warnings"] if deprecated else []
    imports += stdlib_imports(code)
    if typing_names:
        imports.append(f"from typing import {', '.join(typing_names)}")
    imports.append(f"from {package}._runtime import {', '.join(sorted(runtime))}")
    if errors:
        imports.append(
            f"from {package}.errors import {', '.join(sorted({c for _, c, _ in errors}))}"
        )
    imports += model_imports(package, module_of, collect_types(types) & module_of.keys())

    error_items: list[tuple[str, Expr]] = [
        (f"{status}: ", Brackets("", "(", [("", Atom(cls)), ("", type_expr(body))]))
        for status, cls, body in errors
    ]
    endpoint = call(
        "Endpoint",
        ("method=", Atom(literal(op.method))),
        ("path=", Atom(literal(op.path))),
        ("result=", result),
        ("errors=", Brackets("", "{", error_items, comma=True)),
        *_security(op),
        *_servers(op),
        comma=True,
    )
    annotation = Brackets("Endpoint", "[", [("", type_expr(endpoint_type))])

    signature = lay.signature(
        "def request",
        [a.param() for a in ([Argument("*"), *params] if params else [])],
        Atom("Request"),
        0,
        exploded=bool(params),
    )
    body: list[str] = []
    for condition, message in deprecated:
        body += lay.line(f"if {condition}:", 1)
        warn = call(
            "_warnings.warn", Atom(message), Atom("DeprecationWarning"), ("stacklevel=", Atom("3"))
        )
        body += lay.statement("", warn, 2)
    request: list[tuple[str, Expr]] = []
    if by_location["path"]:
        items = [(f"{literal(n)}: ", value) for n, value in by_location["path"]]
        request.append(("path_params=", Brackets("", "{", items, comma=True)))
    for keyword, location in (("query=", "query"), ("headers=", "header"), ("cookies=", "cookie")):
        if by_location[location]:
            request.append((keyword, _pairs(by_location[location])))
    choice = op.body.choice if op.body is not None else None
    if choice is not None:
        # One Request per media type the caller may pick, the default's last.
        for option in choice.options[1:]:
            body += lay.line(f"if {choice.python_name} == {literal(option.media_type)}:", 1)
            sent = call("Request", *request, *_body_arguments(option), comma=True)
            body += lay.statement("return ", sent, 2)
    request += body_arguments
    body += lay.statement("return ", call("Request", *request, comma=True), 1)

    title = f"{op.method} {op.path}" + (f": {op.summary}" if op.summary else "")
    return OperationModuleView(
        doc=lay.docstring(title, 0),
        imports="\n".join(import_lines(lay, import_block(imports, package))),
        endpoint="\n".join(lay.annotated_call("ENDPOINT", annotation, endpoint)),
        signature="\n".join(signature),
        body="\n".join(body),
        exact=lay.exact,
    )

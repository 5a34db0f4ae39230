"""Operation view: what templates/operation.py.jinja prints of an operation (names, literals,
annotations, imports); the statements themselves are written out in the template."""

from __future__ import annotations

import re
from collections.abc import Mapping
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
from ..layout import import_block
from .paging import PageView, page_view, pagination_arguments
from .views import (
    Argument,
    annotation,
    arguments,
    collect_types,
    literal,
    model_imports,
    stdlib_imports,
    success_types,
    typing_imports,
)

__all__ = ["OperationModuleView", "operation_module_view"]


@dataclass(frozen=True)
class Value:
    """An argument as Request takes it: `name` bare, or wrapped in `Encoded(name, media)`
    (a `content` parameter, a urlencoded field's content type), `Part(name, media)` (a multipart
    part's content type) or `Styled(name, style, explode=..., allow_reserved=True)`."""

    name: str
    wrapper: str = ""  # "", "Encoded", "Part" or "Styled"
    media: str = ""  # the content type's literal (Encoded, Part)
    style: str = ""  # the style's literal (Styled)
    explode: str = ""  # "", "True" or "False" (Styled)
    allow_reserved: bool = False

    @property
    def text(self) -> str:
        """What the value names (imports are computed from it)."""
        return " ".join([self.wrapper, self.name, self.media, self.style])


@dataclass(frozen=True)
class BodyArguments:
    """The keyword arguments of Request(...) carrying a body (see the template's macro)."""

    kind: str  # json, form, multipart, bytes, ...
    whole: str  # the argument holding the whole body ("" when it is sent by fields)
    content_type: str  # the media type's literal, when Request is given it
    fields: tuple[tuple[str, Value], ...] = ()  # (the field's name literal, its value)
    files: tuple[tuple[str, Value], ...] = ()  # multipart: the file fields

    @property
    def text(self) -> str:
        """What the arguments name (imports are computed from it)."""
        return " ".join([self.whole, *(v.text for _, v in self.fields + self.files)])


@dataclass(frozen=True)
class Result:
    """The Endpoint's `result=`: `cls(type)`, `StatusResult({status: result, ...})` or
    `ContentTypeResult(((media, result), ...))`."""

    cls: str
    type: str = ""  # the annotation cls takes ("" for none)
    options: tuple[tuple[str, Result], ...] = ()  # (status or media literal, result)

    @property
    def text(self) -> str:
        """What the result names (imports are computed from it)."""
        return " ".join([self.cls, self.type, *(r.text for _, r in self.options)])


@dataclass(frozen=True)
class OperationModuleView:
    """Names, literals and annotations of an operation's module, as the template prints them."""

    title: str  # the module docstring's text
    imports: tuple[str, ...]  # import statements, "" between sections
    result_type: str  # the Endpoint's type parameter
    method: str  # literal
    path: str  # literal
    result: Result
    errors: tuple[tuple[str, str, str], ...]  # (status literal, class, body annotation)
    security: tuple[tuple[str, ...], ...] | None  # alternatives of scheme name literals
    servers: tuple[str, ...]  # URL template literals
    params: tuple[Argument, ...]  # keyword-only, after `*`
    deprecated: tuple[tuple[str, str], ...]  # (condition, the warning's message literal)
    path_params: tuple[tuple[str, Value], ...]  # (name literal, value)
    query: tuple[tuple[str, Value], ...]
    headers: tuple[tuple[str, Value], ...]
    cookies: tuple[tuple[str, Value], ...]
    # The media types the caller may pick besides the default: (the choice's argument, the media
    # type's literal, the body then), then the default's body.
    choices: tuple[tuple[str, str, BodyArguments], ...]
    body: BodyArguments | None
    # The Endpoint's pagination=Pagination(...) keywords (name, literal), () when it does not
    # page; its idempotency_header= literal ("" for none); its page classes.
    pagination: tuple[tuple[str, str], ...] = ()
    idempotency_header: str = ""
    page: PageView | None = None


def _parameter_value(p: Parameter) -> Value:
    """The argument as Request takes it: bare in the location's default style, else wrapped in
    `Encoded` (a `content` parameter) or `Styled` (the style the spec declares)."""
    if p.media_type is not None:
        return Value(p.python_name, "Encoded", media=literal(p.media_type))
    if p.style is None:
        return Value(p.python_name)
    return _styled(p.python_name, p.style, p.explode, p.allow_reserved)


def _styled(name: str, style: str, explode: bool | None, allow_reserved: bool) -> Value:
    return Value(
        name,
        "Styled",
        style=literal(style),
        explode="" if explode is None else str(explode),
        allow_reserved=allow_reserved,
    )


def _body_arguments(body: Body | None) -> BodyArguments | None:
    if body is None:
        return None
    if body.whole is not None:
        return BodyArguments(body.kind, body.python_name, literal(body.media_type))
    if body.kind == "json":
        fields = tuple((literal(f.name), Value(f.python_name)) for f in body.fields)
        # a +json type is sent as the spec names it
        media = "" if body.media_type == "application/json" else literal(body.media_type)
        return BodyArguments("json", "", media, fields)
    return BodyArguments(
        body.kind,
        "",
        "",
        tuple((literal(f.name), _field_value(body, f)) for f in body.fields if not f.is_file),
        tuple((literal(f.name), _field_value(body, f)) for f in body.fields if f.is_file),
    )


def _field_value(body: Body, f: BodyField) -> Value:
    """A form field as Request takes it: bare, or with its `encoding` (`Part` for a multipart
    content type, `Styled` or `Encoded` for a urlencoded field)."""
    if f.content_type is not None:
        cls = "Part" if body.kind == "multipart" else "Encoded"
        return Value(f.python_name, cls, media=literal(f.content_type))
    if f.style is None or body.kind == "multipart":
        return Value(f.python_name)
    return _styled(f.python_name, f.style, f.explode, f.allow_reserved)


_RESULT_CLASSES: Mapping[ResultKind, str] = {
    "json": "JsonResult",
    "text": "TextResult",
    "bytes": "BytesResult",
    "stream": "BytesResult",
    "none": "NoneResult",
}


def _result_kind(kind: ResultKind, type_: TypeRef) -> Result:
    """The runtime ResultKind for a whole (not streamed) body of one kind."""
    cls = _RESULT_CLASSES[kind]
    return Result(cls, annotation(render_type(type_))) if kind == "json" else Result(cls)


def _result(success: Success) -> tuple[Result, str]:
    """(the Endpoint's `result=`, its type parameter)."""
    result_type = render_type(success.type)
    if success.kind in ("sse", "jsonlines"):
        item = "ServerSentEvent" if success.type == Prim("str") else result_type
        cls = "SseResult" if success.kind == "sse" else "JsonLinesResult"
        return Result(cls, annotation(item)), item
    if success.kind == "status":
        options = tuple((literal(s.status), _result(s)[0]) for s in success.statuses)
        return Result("StatusResult", options=options), result_type
    if success.kind == "media":
        alternatives = tuple(
            (literal(media), _result_kind(kind, type_))
            for media, kind, type_ in success.alternatives
        )
        return Result("ContentTypeResult", options=alternatives), result_type
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
    result, endpoint_type = _result(op.success)
    types: list[TypeRef | None] = [
        *success_types(op.success),
        *(e.body_type for e in op.errors),
        *(p.type for p in op.parameters),
    ]
    if op.body is not None:
        types += [f.type for f in op.body.fields] + [op.body.whole]
    if op.pagination is not None:
        types.append(op.pagination.item)
    page = page_view(op, annotation(render_type(op.pagination.item)) if op.pagination else "")
    errors = tuple(
        (
            literal(e.status),
            e.error_class,
            annotation(render_type(e.body_type) if e.body_type is not None else "None"),
        )
        for e in op.errors
    )
    params = tuple(
        Argument(a.name, annotation(a.annotation), a.default)
        for a in arguments(op)
        if a.name != "*"
    )
    body = _body_arguments(op.body)
    # The bodies of the other media types the caller may pick (the default's is `body`).
    choice = op.body.choice if op.body is not None else None
    choices = (
        tuple(
            (choice.python_name, literal(option.media_type), _body_arguments(option))
            for option in choice.options[1:]
        )
        if choice is not None
        else ()
    )
    deprecated = tuple(_deprecated_args(op))
    by_location = {
        loc: tuple(
            (literal(p.name), _parameter_value(p)) for p in op.parameters if p.location == loc
        )
        for loc in ("path", "query", "header", "cookie")
    }
    code = " ".join(
        [
            *(a.text for a in params),
            *(value.text for values in by_location.values() for _, value in values),
            result.text,
            *(b.text for b in [body, *(c[2] for c in choices)] if b is not None),
            *(body_type for _, _, body_type in errors),
            *(c for c, _ in deprecated),
            page.item if page is not None else "",
        ]
    )
    runtime = {"Endpoint", "Request"} | {
        name for name in _RUNTIME_NAMES if re.search(rf"\b{name}\b", code)
    }
    if page is not None:
        runtime |= {"AsyncPage", "Pagination", "SyncPage"}
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
    return OperationModuleView(
        title=f"{op.method} {op.path}" + (f": {op.summary}" if op.summary else ""),
        imports=tuple(import_block(imports, package)),
        result_type=annotation(endpoint_type),
        method=literal(op.method),
        path=literal(op.path),
        result=result,
        errors=errors,
        security=(
            None
            if op.security is None
            else tuple(tuple(literal(name) for name in each) for each in op.security)
        ),
        servers=tuple(literal(url) for url in op.servers),
        params=params,
        deprecated=deprecated,
        path_params=by_location["path"],
        query=by_location["query"],
        # Constants last: the spec's text reaches the module as string literals only.
        headers=by_location["header"]
        + tuple((literal(name), Value(literal(value))) for name, value in op.constant_headers),
        cookies=by_location["cookie"],
        choices=tuple((name, media, b) for name, media, b in choices if b is not None),
        body=body,
        pagination=pagination_arguments(op.pagination) if op.pagination is not None else (),
        idempotency_header=literal(op.idempotency_header) if op.idempotency_header else "",
        page=page,
    )

"""Parameters: an operation's path, query, header and cookie parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .context import LOCATIONS, Context, Findings, deref, text
from .ir import (
    DictOf,
    ListOf,
    Location,
    ModelRef,
    Parameter,
    Prim,
    TypeRef,
    UnionOf,
)
from .naming import snake_case, unique_names

_DEFAULT_STYLE: Mapping[str, tuple[str, bool]] = {
    "path": ("simple", False),
    "query": ("form", True),
    "header": ("simple", False),
    "cookie": ("form", True),
}


# Header parameters OpenAPI 3.0 and 3.1 say "SHALL be ignored": left out, with this warning
# (one message, so that they are counted as one group).
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
IGNORED_HEADER_NOTE = (
    "header parameter Accept, Content-Type or Authorization ignored, as OpenAPI says: the"
    " client sets Accept and Content-Type itself, and Authorization comes from the security"
    " schemes"
)
# An Accept or Content-Type parameter that declares the one value it takes (a default, `const`
# or a one-value enum) is sent as that constant: APIs version by such headers (PagerDuty's
# `Accept: application/vnd.pagerduty+json;version=2`). Content-Type only where no body sets it.
CONSTANT_HEADERS = frozenset({"accept", "content-type"})
CONSTANT_HEADER_NOTE = (
    "header parameter Accept or Content-Type is no argument, as OpenAPI says; it declares one"
    " value (a default, const or a one-value enum), which the client sends as a constant"
)
# What a header's value may hold (RFC 9110 field-value: visible ASCII, spaces and tabs).
_FIELD_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?")


def operation_parameters(
    ctx: Context, pointer: str, op: Mapping[str, Any], item: Mapping[str, Any], stem: str
) -> tuple[Parameter, ...]:
    """The parameters, path ones first; an inline enum becomes a model alias named after the
    operation (`stem`, its module) and the parameter."""
    merged = _merged(ctx, pointer, op, item)
    lifted = ctx.credential.header.lower() if ctx.credential is not None else None
    kept = []
    for (name, location), (at, p) in merged.items():
        if location == "header" and name.lower() in IGNORED_HEADERS:
            constant = _constant_header(ctx.document, p, has_body="requestBody" in op) is not None
            ctx.found.warn(at, CONSTANT_HEADER_NOTE if constant else IGNORED_HEADER_NOTE)
        elif not (location == "header" and name.lower() == lifted):
            kept.append((at, p))
    kept.sort(
        key=lambda entry: (
            not entry[1].get("required", False),
            LOCATIONS.index(entry[1]["in"]) if entry[1].get("in") in LOCATIONS else 9,
        )
    )
    names = unique_names(
        [snake_case(str(p.get("name", ""))) for _, p in kept], taken={"request_options", "self"}
    )
    result = []
    for (at, param), python_name in zip(kept, names, strict=True):
        where = _location(param.get("in"))
        if where is None:
            ctx.found.error(f"{at}/in", f"unknown parameter location {param.get('in')!r}")
            continue
        schema: Any = param.get("schema")
        media_type: str | None = None
        content = param.get("content")
        if schema is None and isinstance(content, Mapping) and content:
            media_type = str(next(iter(content)))
            schema = content[media_type]
            schema = schema.get("schema") if isinstance(schema, Mapping) else None
        style, explode, allow_reserved = (
            (None, None, False)
            if media_type is not None
            else declared_style(ctx.found, at, param, where, ctx.resolver.type_of(schema))
        )
        type_ = ctx.resolver.type_of(schema, name_enum=ctx.hoister.enums(f"{stem}_{python_name}"))
        result.append(
            Parameter(
                name=str(param["name"]),
                python_name=python_name,
                location=where,
                required=where == "path" or param.get("required") is True,
                type=type_,
                description=text(param.get("description")),
                deprecated=param.get("deprecated") is True,
                pointer=at,
                style=style,
                explode=explode,
                allow_reserved=allow_reserved,
                media_type=media_type,
            )
        )
    return tuple(result)


def constant_headers(
    ctx: Context, pointer: str, op: Mapping[str, Any], item: Mapping[str, Any]
) -> tuple[tuple[str, str], ...]:
    """The Accept and Content-Type header parameters sent as constants (see CONSTANT_HEADERS):
    (name as declared, value), in the order of the spec."""
    found = []
    for (name, location), (_, param) in _merged(ctx, pointer, op, item).items():
        if location == "header" and name.lower() in IGNORED_HEADERS:
            value = _constant_header(ctx.document, param, has_body="requestBody" in op)
            if value is not None:
                found.append((name, value))
    return tuple(found)


def _merged(
    ctx: Context, pointer: str, op: Mapping[str, Any], item: Mapping[str, Any]
) -> dict[tuple[str, str], tuple[str, Mapping[str, Any]]]:
    """(name, in) -> (pointer, parameter): the path item's parameters, then the operation's,
    which override them."""
    merged: dict[tuple[str, str], tuple[str, Mapping[str, Any]]] = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    sources = [(path_pointer, item.get("parameters")), (pointer, op.get("parameters"))]
    for base, params in sources:
        for index, raw in enumerate(params or []):
            param = deref(ctx.document, raw)
            if not isinstance(param, Mapping):
                continue
            name, location = str(param.get("name", "")), str(param.get("in", ""))
            merged[(name, location)] = (f"{base}/parameters/{index}", param)
    return merged


def _constant_header(document: Any, param: Mapping[str, Any], has_body: bool) -> str | None:
    """The one value an Accept or Content-Type parameter declares, when it is sent as a
    constant: a default (in the enum, if one is given), `const`, or a one-value enum; a valid
    header value only (spec text never puts a line break in a request)."""
    name = str(param.get("name", "")).lower()
    schema = deref(document, param.get("schema"))
    if name not in CONSTANT_HEADERS or (name == "content-type" and has_body):
        return None
    if not isinstance(schema, Mapping):
        return None
    enum = schema.get("enum")
    options = list(enum) if isinstance(enum, list) else None
    value: object = None
    if isinstance(schema.get("default"), str) and (options is None or schema["default"] in options):
        value = schema["default"]
    elif isinstance(schema.get("const"), str):
        value = schema["const"]
    elif options is not None and len(options) == 1:
        value = options[0]
    if isinstance(value, str) and _FIELD_VALUE.fullmatch(value):
        return value
    return None


# The styles OpenAPI defines for each location; the first is the location's default.
_STYLES: Mapping[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}


def _structured(type_: TypeRef) -> bool:
    """Whether a value of `type_` may be a list or an object, for which explode matters."""
    if isinstance(type_, UnionOf):
        return any(_structured(o) for o in type_.options)
    return isinstance(type_, ListOf | DictOf | ModelRef) or type_ == Prim("Any")


def declared_style(
    found: Findings,
    at: str,
    param: Mapping[str, Any],
    where: Location,
    type_: TypeRef,
    label: str | None = None,
) -> tuple[str | None, bool | None, bool]:
    """(style, explode, allowReserved) when the value must be wrapped in `Styled`: a style
    other than the location's default, an explode that changes what a list or object gives,
    or allowReserved (query only). (None, None, False) sends the bare value, as before. A
    urlencoded field's `encoding` is read as a query parameter (`label` names it).

    A style OpenAPI does not define for the location is a defect: the location's default
    is used instead (with --strict, the error it always was)."""
    default_style, default_explode = _DEFAULT_STYLE[where]
    what = f"parameter {param.get('name')!r} in {where}"
    style = param.get("style", default_style)
    explode = param.get("explode", style == "form")
    if style not in _STYLES[where] or not isinstance(explode, bool):
        found.defect(
            at,
            f"{label or what} uses style {style!r} with explode"
            f" {str(explode).lower()}; the client sends {where} parameters with style"
            f" {default_style!r}, explode {str(default_explode).lower()} only",
        )
        return None, None, False
    allow_reserved = where == "query" and param.get("allowReserved") is True
    explode_matters = _structured(type_) and explode is not default_explode
    if style == default_style and not explode_matters and not allow_reserved:
        return None, None, False
    if style == "deepObject" or explode is (style == "form"):
        return style, None, allow_reserved  # deepObject has no explode: it always nests
    return style, explode, allow_reserved


def _location(value: Any) -> Location | None:
    for location in LOCATIONS:
        if value == location:
            return location
    return None

"""Pagination: how a list operation pages, from x-fern-pagination, x-speakeasy-pagination or
[tool.generator.pagination], checked against the operation's parameters and response model."""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from typing import Any

from ..diagnostics import join_pointer
from .context import Context, deref, tokens
from .ir import ModelRef, Pagination, PaginationKind, Parameter, Success, TypeRef
from .types import union

__all__ = ["operation_pagination", "unmatched_settings"]

FERN = "x-fern-pagination"
SPEAKEASY = "x-speakeasy-pagination"
# A JSONPath a paging field may be named by: `$.a.b` (Speakeasy), `$response.a.b` (Fern).
_PLAIN_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PARAMETERS = ("cursor_param", "offset_param", "page_param", "limit_param")
_RESPONSE_FIELDS = ("items", "next_cursor", "has_more", "next_url")
# Fields each kind reads besides `items` and `has_more`.
_KIND_FIELDS: Mapping[str, tuple[str, ...]] = {
    "cursor": ("cursor_param", "next_cursor"),
    "offset": ("offset_param",),
    "page": ("page_param",),
    "next_url": ("next_url",),
}


class _Refused(Exception):
    """A declaration the client cannot page by: the message says why."""


def operation_pagination(
    ctx: Context,
    pointer: str,
    method: str,
    path: str,
    op: Mapping[str, Any],
    parameters: tuple[Parameter, ...],
    success: Success,
) -> Pagination | None:
    """The operation's pagination, or None: none declared, or a declaration that does not fit
    the operation (a located warning says why)."""
    declared = _declared(ctx, method, path, op, pointer)
    if declared is None:
        return None
    source, at, read = declared
    try:
        fields = read()
        return _checked(ctx, fields, source, op, parameters, success)
    except _Refused as problem:
        ctx.found.warn(at, f"{source}: {problem}; the operation is not paginated")
        return None


def _declared(
    ctx: Context, method: str, path: str, op: Mapping[str, Any], pointer: str
) -> tuple[str, str, Any] | None:
    """(source, pointer to blame, reader of its fields) of the declaration that applies:
    [tool.generator] first, then x-fern-pagination, then x-speakeasy-pagination."""
    operation_id = op.get("operationId")
    for selector, settings in ctx.config.pagination:
        if selector in (f"{method.upper()} {path}", operation_id):
            return (
                f"[tool.generator.pagination] {selector!r}",
                pointer,
                lambda settings=settings: dict(settings),
            )
    if FERN in op:
        return FERN, join_pointer(*tokens(pointer), FERN), lambda: _fern(ctx, op[FERN])
    if SPEAKEASY in op:
        return (
            SPEAKEASY,
            join_pointer(*tokens(pointer), SPEAKEASY),
            lambda: _speakeasy(op[SPEAKEASY]),
        )
    return None


def _fern(ctx: Context, value: Any) -> dict[str, Any]:
    """`{cursor: $request.c, next_cursor: $response.n, results: $response.items}`, the offset
    form `{offset: $request.page, step: $request.limit, results, has-next-page}`, or
    `{next_uri: $response.next, results}`; `true` takes the document's own x-fern-pagination."""
    if value is True:
        value = ctx.document.get(FERN)
        if not isinstance(value, Mapping):
            raise _Refused("true takes the document's x-fern-pagination, which it does not declare")
    if not isinstance(value, Mapping):
        raise _Refused("must be an object (cursor/next_cursor/results, offset/results, ...)")
    fields: dict[str, Any] = {"items": _fern_path(value.get("results"), "$response.", "results")}
    if "cursor" in value:
        fields["kind"] = "cursor"
        fields["cursor_param"] = _fern_path(value["cursor"], "$request.", "cursor")
        fields["next_cursor"] = _fern_path(value.get("next_cursor"), "$response.", "next_cursor")
    elif "offset" in value:
        # Fern adds `step` to the offset when given, else 1: a page number.
        stepped = "step" in value
        offset = _fern_path(value["offset"], "$request.", "offset")
        fields.update(
            {"kind": "offset", "offset_param": offset}
            if stepped
            else {"kind": "page", "page_param": offset}
        )
        if stepped:
            fields["limit_param"] = _fern_path(value["step"], "$request.", "step")
    elif "next_uri" in value:
        fields["kind"] = "next_url"
        fields["next_url"] = _fern_path(value["next_uri"], "$response.", "next_uri")
    else:
        raise _Refused("declares none of cursor, offset or next_uri")
    if "has-next-page" in value:
        fields["has_more"] = _fern_path(value["has-next-page"], "$response.", "has-next-page")
    return fields


def _fern_path(value: Any, prefix: str, key: str) -> str:
    if not isinstance(value, str) or not value.startswith(prefix):
        raise _Refused(f"{key} must be {prefix}<name>, got {value!r}")
    name = value[len(prefix) :]
    if prefix == "$request." and "." in name:
        raise _Refused(f"{key} {value!r} is in the request body; only query parameters can page")
    return _plain(name, value)


def _speakeasy(value: Any) -> dict[str, Any]:
    """`{type: cursor|offsetLimit|url, inputs: [{name, in: parameters, type: cursor|offset|
    page|limit}], outputs: {results: $.items, nextCursor: $.next, nextUrl: $.next}}`."""
    if not isinstance(value, Mapping):
        raise _Refused("must be an object with type, inputs and outputs")
    kind = value.get("type")
    inputs: dict[str, str] = {}
    for entry in value.get("inputs") or []:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise _Refused("each of inputs must be an object with name, in and type")
        if entry.get("in") != "parameters":
            raise _Refused(
                f"input {entry['name']!r} is in {entry.get('in')!r}; only parameters can page"
            )
        inputs[str(entry.get("type"))] = entry["name"]
    outputs = value.get("outputs")
    if not isinstance(outputs, Mapping) or "results" not in outputs:
        raise _Refused("needs outputs.results, the JSONPath of the items")
    fields: dict[str, Any] = {"items": _jsonpath(outputs["results"], "results")}
    if "limit" in inputs:
        fields["limit_param"] = inputs["limit"]
    if kind == "cursor":
        if "cursor" not in inputs or "nextCursor" not in outputs:
            raise _Refused("type cursor needs an input of type cursor and outputs.nextCursor")
        fields.update(kind="cursor", cursor_param=inputs["cursor"])
        fields["next_cursor"] = _jsonpath(outputs["nextCursor"], "nextCursor")
    elif kind == "offsetLimit":
        if "offset" in inputs:
            fields.update(kind="offset", offset_param=inputs["offset"])
        elif "page" in inputs:
            fields.update(kind="page", page_param=inputs["page"])
        else:
            raise _Refused("type offsetLimit needs an input of type offset or page")
    elif kind == "url":
        if "nextUrl" not in outputs:
            raise _Refused("type url needs outputs.nextUrl")
        fields.update(kind="next_url", next_url=_jsonpath(outputs["nextUrl"], "nextUrl"))
    else:
        raise _Refused(f"type must be cursor, offsetLimit or url, got {kind!r}")
    return fields


def _jsonpath(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.startswith("$."):
        raise _Refused(f"outputs.{key} must be a JSONPath $.<field>, got {value!r}")
    return _plain(value[2:], value)


def _plain(name: str, written: str) -> str:
    if not _PLAIN_PATH.match(name):
        raise _Refused(f"{written!r} is not a plain field path (a.b.c)")
    return name


# --- Checking against the operation --------------------------------------------------------------


def _checked(
    ctx: Context,
    fields: dict[str, Any],
    source: str,
    op: Mapping[str, Any],
    parameters: tuple[Parameter, ...],
    success: Success,
) -> Pagination:
    kind: PaginationKind = fields["kind"]
    unused = {f for kinds in _KIND_FIELDS.values() for f in kinds if f in fields} - set(
        _KIND_FIELDS[kind]
    )
    if unused:
        raise _Refused(f"kind {kind!r} does not use {', '.join(sorted(unused))}")
    query = {p.name: p for p in parameters if p.location == "query"}
    for key in _PARAMETERS:
        name = fields.get(key)
        needed = key in _KIND_FIELDS[kind] or name is not None
        if needed and (name or _default(key)) not in query:
            raise _Refused(
                f"the operation has no query parameter {name or _default(key)!r} ({key})"
            )
    schema = _response_schema(ctx, op, success)
    for key in _RESPONSE_FIELDS:
        name = fields.get(key)
        if name is None and key not in ("items", *_KIND_FIELDS[kind]):
            continue
        name = name or _default(key)
        fields[key] = name
        if _field(ctx.document, schema, name) is None:
            raise _Refused(f"the response model {_model(success)} has no field {name!r} ({key})")
        odd = [part for part in name.split(".") if not _attribute(part)]
        if odd:
            raise _Refused(f"the field {odd[0]!r} has another name in Python ({key})")
    item = _item_type(ctx, _field(ctx.document, schema, fields["items"]))
    if item is None:
        raise _Refused(f"the field {fields['items']!r} of {_model(success)} is not an array")
    if kind == "page" and "first_page" not in fields:
        fields["first_page"] = _page_default(ctx, op, fields["page_param"])
    return Pagination(item=item, source=source, **fields)


def _default(key: str) -> str:
    return str(Pagination.__dataclass_fields__[key].default)


def _model(success: Success) -> str:
    return success.type.name if isinstance(success.type, ModelRef) else "(none)"


def _response_schema(ctx: Context, op: Mapping[str, Any], success: Success) -> Any:
    """The JSON schema of the operation's success response, when it is a model."""
    if success.kind != "json" or not isinstance(success.type, ModelRef):
        raise _Refused("its result is not a JSON model (a page must be one)")
    responses = op.get("responses") or {}
    response = deref(ctx.document, responses.get(str(success.status)) or {})
    content = (response.get("content") or {}).get(success.media_type or "") or {}
    return deref(ctx.document, content.get("schema"))


def _properties(document: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """The properties of an object schema, its allOf members' and a nullable anyOf's included."""
    schema = deref(document, schema)
    if not isinstance(schema, Mapping):
        return {}
    found = dict(schema.get("properties") or {})
    for member in schema.get("allOf") or []:
        found = {**_properties(document, member), **found}
    options = [o for o in schema.get("anyOf") or schema.get("oneOf") or [] if o != {"type": "null"}]
    if len(options) == 1:
        found = {**_properties(document, options[0]), **found}
    return found


def _field(document: Mapping[str, Any], schema: Any, path: str) -> Any:
    for part in path.split("."):
        properties = _properties(document, schema)
        if part not in properties:
            return None
        schema = properties[part]
    return deref(document, schema)


def _item_type(ctx: Context, schema: Any) -> TypeRef | None:
    """The type of an item of an array schema (or of a union of arrays, null aside)."""
    if not isinstance(schema, Mapping):
        return None
    options = [o for o in schema.get("anyOf") or schema.get("oneOf") or [] if o != {"type": "null"}]
    arrays = [deref(ctx.document, o) for o in options] or [schema]
    if not all(isinstance(a, Mapping) and a.get("type") == "array" for a in arrays):
        return None
    return union([ctx.resolver.type_of(a.get("items")) for a in arrays])


def _attribute(name: str) -> bool:
    """A property the models give a field of the same name."""
    from pydantic import BaseModel

    return (
        name.isascii()
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith(("model_", "_"))
        and not hasattr(BaseModel, name)
    )


def _page_default(ctx: Context, op: Mapping[str, Any], name: str) -> int:
    """The page number the API starts from: the parameter's default when it is an integer."""
    for raw in op.get("parameters") or []:
        parameter = deref(ctx.document, raw)
        if isinstance(parameter, Mapping) and parameter.get("name") == name:
            default = (deref(ctx.document, parameter.get("schema")) or {}).get("default")
            if isinstance(default, int) and not isinstance(default, bool):
                return default
    return 1


def unmatched_settings(ctx: Context, operations: list[tuple[str, str, Any]]) -> None:
    """Warn about [tool.generator.pagination] entries that name no operation: (method, path,
    operationId) of each."""
    known = {f"{m.upper()} {p}" for m, p, _ in operations} | {i for _, _, i in operations if i}
    for selector, _ in ctx.config.pagination:
        if selector not in known:
            ctx.found.warn(
                "/paths",
                f'[tool.generator.pagination] {selector!r} names no operation ("GET /path" or'
                " an operationId); ignored",
            )

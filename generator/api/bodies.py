"""Bodies: an operation's request body, as whole-value or field arguments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..diagnostics import join_pointer
from .context import Context, deref, needs_class, text, tokens
from .ir import (
    Body,
    BodyChoice,
    BodyField,
    BodyKind,
    Prim,
    TypeRef,
    UnionOf,
)
from .naming import snake_case, unique_names
from .parameters import declared_style
from .types import TypeResolver, contains_file

_BODY_PREFERENCE = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def request_body(
    ctx: Context,
    pointer: str,
    op: Mapping[str, Any],
    stem: str,
    taken: list[str],
) -> Body | None:
    document, resolver = ctx.document, ctx.resolver
    request_body = deref(document, op.get("requestBody"))
    if not isinstance(request_body, Mapping):
        return None
    content = request_body.get("content") or {}
    if not content:
        return None
    media_type = next((m for m in _BODY_PREFERENCE if m in content), None)
    if media_type is None:
        media_type = next((m for m in content if m.endswith("+json")), next(iter(content)))
    at = f"{pointer}/requestBody/content"
    chosen = content.get(media_type) or {}
    schema = chosen.get("schema") if isinstance(chosen, Mapping) else None
    kind = _body_kind(media_type)
    required = request_body.get("required") is True
    description = text(request_body.get("description"))
    resolved = deref(document, schema)
    properties = resolved.get("properties") if isinstance(resolved, Mapping) else None
    if (
        kind != "bytes"
        and isinstance(properties, Mapping)
        and properties
        and not resolved.get("additionalProperties")
    ):
        required_props = set(resolved.get("required") or [])
        # readOnly properties are sent by the server only: they are no arguments; nor are those
        # marked x-fern-ignore (left out of the models too).
        sent = [
            (prop, prop_schema)
            for prop, prop_schema in properties.items()
            if not (
                isinstance(prop_schema, Mapping)
                and True in (prop_schema.get("readOnly"), prop_schema.get("x-fern-ignore"))
            )
        ]
        # The media types sent from the same arguments: the same schema, and no file in it
        # (a file is a multipart part only).
        same = [media_type]
        if not any(_is_file(resolver, prop_schema) for _, prop_schema in sent):
            same += [
                m
                for m, offered in content.items()
                if m != media_type
                and _body_kind(m) != "bytes"
                and isinstance(offered, Mapping)
                and deref(document, offered.get("schema")) == resolved
            ]
        _warn_unsent(ctx, at, content, same)
        names = unique_names(
            [snake_case(p) for p, _ in sent], taken=[*taken, "request_options", "self"]
        )
        fields = tuple(
            BodyField(
                name=prop,
                python_name=python_name,
                required=prop in required_props,
                type=resolver.type_of(
                    prop_schema,
                    files=kind == "multipart",
                    name_enum=ctx.hoister.enums(f"{stem}_{python_name}"),
                ),
                description=text(prop_schema.get("description"))
                if isinstance(prop_schema, Mapping)
                else "",
                is_file=kind == "multipart" and _is_file(resolver, prop_schema),
                deprecated=isinstance(prop_schema, Mapping)
                and prop_schema.get("deprecated") is True,
            )
            for (prop, prop_schema), python_name in zip(sent, names, strict=True)
        )
        options = tuple(
            Body(
                _body_kind(m),
                m,
                required,
                _with_encoding(ctx, _body_kind(m), fields, content[m], at, m),
                None,
                "request",
                description,
            )
            for m in same
        )
        body = options[0]
        if len(options) > 1:
            argument = unique_names(
                ["content_type"],
                taken=[*taken, *names, "request_options", "self"],
            )[0]
            body = replace(body, choice=BodyChoice(argument, options))
        return body
    _warn_unsent(ctx, at, content, [media_type])
    whole: TypeRef
    if kind == "bytes" and media_type.startswith("text/"):
        whole = UnionOf((Prim("str"), Prim("bytes")))
    elif kind == "bytes":
        # What the runtime sends as raw bytes: bytes, a binary file object or a path.
        whole = UnionOf((Prim("bytes"), Prim("IO[bytes]"), Prim("os.PathLike[str]")))
    elif needs_class(schema):
        whole = ctx.hoister.name_for(f"{stem}_request", schema)
    else:
        whole = resolver.type_of(schema)
    python_name = unique_names(["request"], taken=[*taken, "request_options"])[0]
    return Body(kind, media_type, required, (), whole, python_name, description)


def _warn_unsent(ctx: Context, at: str, content: Mapping[str, Any], sent: list[str]) -> None:
    """The media types of `content` the client does not send, if any, as one warning."""
    others = ", ".join(m for m in content if m not in sent)
    if not others:
        return
    ctx.found.warn(at, f"the request body is sent as {', '.join(sent)} only; not offered: {others}")


def _with_encoding(
    ctx: Context,
    kind: BodyKind,
    fields: tuple[BodyField, ...],
    offered: Any,
    at: str,
    media_type: str,
) -> tuple[BodyField, ...]:
    """`fields` with the `encoding` of the media type they are sent as (forms only)."""
    encoding = offered.get("encoding") if isinstance(offered, Mapping) else None
    if kind not in ("form", "multipart") or not isinstance(encoding, Mapping):
        return fields
    encoding_at = join_pointer(*tokens(at), media_type, "encoding")
    return tuple(
        _encoded(ctx, kind, f, encoding.get(f.name), f"{encoding_at}/{f.name}") for f in fields
    )


def _encoded(ctx: Context, kind: BodyKind, field: BodyField, encoding: Any, at: str) -> BodyField:
    """`field` with its `encoding`: for a urlencoded form, a style (read as a query
    parameter's) or else a contentType (the value sent as that media type's text); for
    multipart, the part's contentType when it names one type (not a list or a wildcard)."""
    if not isinstance(encoding, Mapping):
        return field
    content_type = encoding.get("contentType")
    one_type = (
        content_type
        if isinstance(content_type, str) and "," not in content_type and "*" not in content_type
        else None
    )
    if kind == "multipart":
        return replace(field, content_type=one_type)
    if any(key in encoding for key in ("style", "explode", "allowReserved")):
        label = f"form field {field.name!r}"
        style, explode, allow_reserved = declared_style(
            ctx.found, at, encoding, "query", field.type, label
        )
        return replace(field, style=style, explode=explode, allow_reserved=allow_reserved)
    return replace(field, content_type=one_type)


def _body_kind(media_type: str) -> BodyKind:
    if media_type == "application/json" or media_type.endswith("+json"):
        return "json"
    if media_type == "multipart/form-data":
        return "multipart"
    if media_type == "application/x-www-form-urlencoded":
        return "form"
    return "bytes"


def _is_file(resolver: TypeResolver, schema: Any) -> bool:
    return contains_file(resolver.type_of(schema, files=True))

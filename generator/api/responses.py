"""Responses: an operation's success result and error responses."""

from __future__ import annotations

import http
from collections.abc import Mapping
from typing import Any

from ..diagnostics import join_pointer
from .context import Context, deref, is_json, needs_class, text, tokens
from .ir import (
    ErrorResponse,
    Prim,
    ResultKind,
    Status,
    Success,
    TypeRef,
)
from .naming import class_name
from .types import union


def _result_kind(media_type: str | None, streaming: bool) -> ResultKind:
    if media_type is None:
        return "stream" if streaming else "none"
    if is_json(media_type):
        return "jsonlines" if streaming else "json"
    if media_type == "text/event-stream":
        return "sse"
    if media_type in ("text/plain", "text/html"):
        return "text"
    return "stream" if streaming else "bytes"


def responses(
    ctx: Context, pointer: str, op: Mapping[str, Any], stem: str
) -> tuple[Success, tuple[ErrorResponse, ...]]:
    responses = op.get("responses") or {}
    streaming = op.get("x-fern-streaming") is True
    codes = [str(c) for c in responses if not str(c).startswith("x-")]
    successes = sorted(c for c in codes if c.isdigit() and 200 <= int(c) < 300)
    successes += [c for c in codes if c.upper() == "2XX"]
    chosen = successes[0] if successes else ("default" if "default" in codes else None)
    success = Success(200, "none", Prim("None"), None, "")
    if chosen is not None:
        response = deref(ctx.document, responses[chosen])
        at = join_pointer(*tokens(pointer), "responses", chosen)
        status: Status = int(chosen) if chosen.isdigit() else chosen.upper()
        success = _success(ctx, at, response, status, streaming, stem)
        differing = []
        for other in successes[1:]:
            content = _content_of(ctx.document, responses[other])
            if content == _content_of(ctx.document, response):
                continue
            if content and not any(
                isinstance(c, Mapping) and c.get("schema") for c in content.values()
            ):
                ctx.found.warn(
                    join_pointer(*tokens(pointer), "responses", other),
                    f"response {other} has content but no schema: the client decodes it as"
                    f" response {chosen} describes it",
                )
                continue
            differing.append(other)
        if differing:
            success = _by_status(ctx, pointer, responses, success, differing, streaming, stem)
    errors: list[ErrorResponse] = []
    for code in sorted(codes, key=_status_order):
        response = deref(ctx.document, responses[code])
        if isinstance(response, Mapping) and response.get("links"):
            ctx.found.warn(
                join_pointer(*tokens(pointer), "responses", code, "links"),
                "response links are not generated; ignored",
            )
        upper = code.upper()
        if code.isdigit() and int(code) >= 400:
            status_or_range: Status = int(code)
            error_class = _error_class(int(code))
        elif upper in ("4XX", "5XX") or (upper == "DEFAULT" and chosen != "default"):
            status_or_range, error_class = ("default" if upper == "DEFAULT" else upper), "ApiError"
        else:
            continue
        content = (response or {}).get("content") or {}
        media_type = next((m for m in content if is_json(m)), None)
        schema = (content.get(media_type) or {}).get("schema") if media_type else None
        errors.append(
            ErrorResponse(
                status_or_range,
                error_class,
                ctx.resolver.type_of(schema) if media_type else None,
                text((response or {}).get("description")),
            )
        )
    return success, tuple(errors)


_WHOLE_KINDS = frozenset({"json", "text", "bytes", "none", "media"})


def _by_status(
    ctx: Context,
    pointer: str,
    responses: Mapping[str, Any],
    first: Success,
    others: list[str],
    streaming: bool,
    stem: str,
) -> Success:
    """One result for 2xx responses that differ: decoded by status when each is read whole."""
    successes = [first]
    for code in others:
        at = join_pointer(*tokens(pointer), "responses", code)
        status: Status = int(code) if code.isdigit() else code.upper()
        response = deref(ctx.document, responses[code])
        successes.append(_success(ctx, at, response, status, streaming, stem))
    if all(s.kind in _WHOLE_KINDS for s in successes):
        return Success(
            first.status,
            "status",
            union([s.type for s in successes]),
            first.media_type,
            first.description,
            statuses=tuple(successes),
        )
    ctx.found.warn(
        join_pointer(*tokens(pointer), "responses", others[0]),
        f"responses {', '.join(others)} differ from response {first.status} and one of them is"
        f" streamed: the client decodes every 2xx response as {first.status} describes it",
    )
    return first


def _status_order(code: str) -> tuple[int, str]:
    """Numbers first, in order; then ranges; then default."""
    if code.isdigit():
        return (0, code.zfill(3))
    return (1, code) if code.upper() != "DEFAULT" else (2, code)


def _content_of(document: Mapping[str, Any], response: Any) -> Any:
    resolved = deref(document, response)
    return resolved.get("content") or {} if isinstance(resolved, Mapping) else {}


def _success(
    ctx: Context,
    at: str,
    response: Any,
    status: Status,
    streaming: bool,
    stem: str,
) -> Success:
    content = (response or {}).get("content") or {}
    description = text((response or {}).get("description"))
    media_types = list(content)
    first_json = next((m for m in media_types if is_json(m)), None)
    media_type = first_json or next(iter(media_types), None)
    kind = _result_kind(media_type, streaming)
    schema = (content.get(media_type) or {}).get("schema") if media_type else None
    result_type = _success_type(ctx, kind, schema, stem)
    others = [m for m in media_types if m != media_type]
    other_kinds = {_result_kind(m, streaming) for m in others} - {kind}
    if not other_kinds:
        return Success(status, kind, result_type, media_type, description)
    decodable = {"json", "text", "bytes"}
    if kind in decodable and other_kinds <= decodable and media_type is not None:
        alternatives = [(media_type, kind, result_type)]
        for other in others:
            other_kind = _result_kind(other, streaming)
            other_schema = (content.get(other) or {}).get("schema")
            alternatives.append(
                (other, other_kind, _success_type(ctx, other_kind, other_schema, stem))
            )
        return Success(
            status,
            "media",
            union([t for _, _, t in alternatives]),
            media_type,
            description,
            tuple(alternatives),
        )
    ctx.found.warn(
        join_pointer(*tokens(at), "content"),
        f"the response is decoded as {media_type} only; the client cannot decode the"
        f" alternatives here: {', '.join(others)}",
    )
    return Success(status, kind, result_type, media_type, description)


def _success_type(ctx: Context, kind: ResultKind, schema: Any, stem: str) -> TypeRef:
    if kind in ("json", "jsonlines", "sse") and needs_class(schema):
        return ctx.hoister.name_for(f"{stem}_response", schema)
    if kind in ("json", "jsonlines"):
        return ctx.resolver.type_of(schema)
    if kind == "sse":
        return (
            Prim("str")
            if not schema or (schema or {}).get("type") == "string"
            else ctx.resolver.type_of(schema)
        )
    if kind == "text":
        return Prim("str")
    if kind == "none":
        return Prim("None")
    return Prim("bytes")


def _error_class(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        return f"Status{status}Error"
    name = class_name(phrase)
    return name if name.endswith("Error") else name + "Error"

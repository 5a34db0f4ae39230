"""Webhooks: the requests the API sends (3.1 `webhooks`, operations' `callbacks`), their payload
types, and how deliveries are signed ([tool.generator.webhooks] or `x-webhook-signature`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..diagnostics import join_pointer
from ..sdk_config import WebhookSignature, webhook_signature
from .context import HTTP_METHODS, Context, deref, is_json, needs_class, text, tokens
from .ir import TypeRef, Webhook
from .naming import snake_case

__all__ = ["SIGNATURE", "api_webhooks", "signature"]

# The document extension that says how deliveries are signed, the shape of [tool.generator.webhooks]:
#   x-webhook-signature: {scheme: hmac, header: Example-Signature, tolerance: 1800, ...}
SIGNATURE = "x-webhook-signature"


def api_webhooks(ctx: Context) -> tuple[Webhook, ...]:
    """Every webhook of the document, then every callback of every operation, in order."""
    found: list[Webhook] = []
    hooks = ctx.document.get("webhooks")
    if isinstance(hooks, Mapping):
        for name, item in hooks.items():
            found += _requests(ctx, str(name), join_pointer("webhooks", name), item, None)
    for path, raw_item in (ctx.document.get("paths") or {}).items():
        item = deref(ctx.document, raw_item)
        for method in HTTP_METHODS if isinstance(item, Mapping) else ():
            op = item.get(method)
            callbacks = op.get("callbacks") if isinstance(op, Mapping) else None
            if not isinstance(callbacks, Mapping) or op.get("x-fern-ignore") is True:
                continue
            for name, raw_callback in callbacks.items():
                callback = deref(ctx.document, raw_callback)
                if not isinstance(callback, Mapping):
                    continue
                for expression, cb_item in callback.items():
                    at = join_pointer("paths", path, method, "callbacks", name, expression)
                    found += _requests(ctx, str(name), at, cb_item, str(expression))
    return tuple(found)


def _requests(
    ctx: Context, name: str, at: str, raw_item: Any, callback: str | None
) -> list[Webhook]:
    item = deref(ctx.document, raw_item)
    if not isinstance(item, Mapping):
        return []
    hooks = []
    for method in HTTP_METHODS:
        request = item.get(method)
        if not isinstance(request, Mapping):
            continue
        media_type, payload = _payload(ctx, name, request)
        hooks.append(
            Webhook(
                name=name,
                python_name=snake_case(name),
                pointer=join_pointer(*tokens(at), method),
                method=method.upper(),
                summary=text(request.get("summary")),
                description=text(request.get("description")),
                deprecated=request.get("deprecated") is True,
                payload=payload,
                media_type=media_type,
                callback=callback,
            )
        )
    return hooks


def _payload(
    ctx: Context, name: str, request: Mapping[str, Any]
) -> tuple[str | None, TypeRef | None]:
    """The JSON body's media type and type: an inline object schema hoisted as `<Name>Event`."""
    body = deref(ctx.document, request.get("requestBody"))
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return None, None
    media_type = next((m for m in content if is_json(m)), None)
    if media_type is None:
        return next(iter(content)), None
    schema = (content.get(media_type) or {}).get("schema")
    if needs_class(schema):
        return media_type, ctx.hoister.name_for(f"{name} event", schema)
    return media_type, ctx.resolver.type_of(schema)


def signature(ctx: Context) -> WebhookSignature | None:
    """[tool.generator.webhooks], else the document's x-webhook-signature (a located warning,
    and None, when it is malformed), else None."""
    if ctx.config.webhook_signature is not None:
        return ctx.config.webhook_signature
    declared = ctx.document.get(SIGNATURE)
    if declared is None:
        return None
    try:
        return webhook_signature(dict(declared) if isinstance(declared, Mapping) else declared)
    except ValueError as exc:
        ctx.found.warn(join_pointer(SIGNATURE), f"{SIGNATURE}: {exc}; ignored")
        return None

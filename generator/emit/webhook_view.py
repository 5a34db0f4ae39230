"""Webhook view: what the `construct_event` method of the client's `webhooks` group prints (the
signature scheme's class and keywords, the event's type and imports), and the group itself
when the API has no `webhooks` group of its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..api import Api, Group, ModelRef, class_name, render_type
from ..escape import string_literal

__all__ = [
    "GROUP",
    "WebhookView",
    "sends_webhooks",
    "signature_scheme",
    "webhook_view",
    "with_webhooks_group",
]

# The attribute of the client that holds the helper (beside any webhook-management operations).
GROUP = "webhooks"


@dataclass(frozen=True)
class WebhookView:
    """`construct_event(rawBody, sig_header=None, secret=None, *, headers=None) -> <event>`:
    `construct_event(rawBody, headers, secret, scheme=<scheme>(<keywords>),
    sig_header=sig_header[, type=<event>])` of the runtime."""

    scheme: str  # StandardWebhooks or HmacScheme
    keywords: tuple[tuple[str, str], ...]  # (name, literal)
    event: str  # the return annotation: a model, a union of models, or Any
    typed: bool  # whether `type=event` is passed (else the parsed JSON is returned)
    # `from <package>.models.<module> import <names>` for the event's models: inside the method
    # (at run time) and under TYPE_CHECKING (for the annotation).
    imports: tuple[str, ...]
    doc: str  # text, not yet escaped


def _literal(value: str | float | None) -> str:
    if value is None:
        return "None"
    return repr(float(value)) if isinstance(value, float) else string_literal(value)


def signature_scheme(api: Api) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The runtime class checking the API's webhook signatures (Standard Webhooks when none is
    declared) and its keyword arguments: (name, literal)."""
    signature = api.webhook_signature
    if signature is None or signature.scheme != "hmac":
        options = signature.options if signature is not None else ()
        return "StandardWebhooks", tuple((key, _literal(value)) for key, value in options)
    return "HmacScheme", tuple((key, _literal(value)) for key, value in signature.options)


def sends_webhooks(api: Api) -> bool:
    """Whether the client gets the webhooks helper: the API sends webhooks or says how they
    are signed."""
    return bool(api.webhooks) or api.webhook_signature is not None


def webhook_view(api: Api, package: str, module_of: Mapping[str, str]) -> WebhookView | None:
    """The helper of an API that sends webhooks or declares how they are signed; None if it
    does neither. Without a declared scheme, deliveries are checked as Standard Webhooks."""
    if not sends_webhooks(api):
        return None
    payloads = [hook.payload for hook in api.webhooks]
    models: list[str] = []
    for payload in payloads:
        if isinstance(payload, ModelRef) and payload.name not in models:
            models.append(payload.name)
    typed = bool(payloads) and all(isinstance(p, ModelRef) for p in payloads)
    event = " | ".join(render_type(ModelRef(name)) for name in models) if typed else "Any"
    by_module: dict[str, list[str]] = {}
    for name in sorted(models) if typed else ():
        by_module.setdefault(module_of[name], []).append(name)
    imports = tuple(
        f"from {package}.models.{module} import {', '.join(names)}"
        for module, names in sorted(by_module.items())
    )
    scheme, keywords = signature_scheme(api)
    return WebhookView(
        scheme, keywords, event, typed, imports, _doc(scheme, keywords, event, typed)
    )


def _doc(scheme: str, keywords: tuple[tuple[str, str], ...], event: str, typed: bool) -> str:
    header = dict(keywords).get("header", "").strip('"')
    if scheme == "HmacScheme":
        how = [f"The signature is the {header} header's value: `sig_header`, or in `headers`."]
    else:
        how = [
            "The signature is in the Standard Webhooks headers (webhook-id, webhook-timestamp,",
            "webhook-signature): pass the request's `headers`.",
        ]
    result = "The event, validated into its type." if typed else "The event, as parsed JSON."
    return "\n".join(
        [
            "Verify a webhook delivery and return its event.",
            "",
            "Checks the signature against `secret` over the raw body, exactly as received (in",
            "constant time), and its timestamp against the tolerance.",
            *how,
            "",
            "Parameters",
            "----------",
            "rawBody : str | bytes",
            "    The request body as received, before any parsing.",
            "sig_header : str | None",
            "    The value of the signature header.",
            "secret : str | None",
            "    The webhook's signing secret.",
            "headers : Mapping[str, str] | None",
            "    The request's headers (instead of sig_header).",
            "",
            "Returns",
            "-------",
            event,
            f"    {result}",
            "",
            "Raises",
            "------",
            "WebhookVerificationError",
            "    A bad signature, a timestamp outside the tolerance, a malformed or missing",
            "    header, or an empty secret (its `code` says which); a ValueError subclass.",
        ]
    )


def with_webhooks_group(api: Api) -> Api:
    """`api` with a top-level `webhooks` group (without operations) where it has none."""
    if any(group.path == (GROUP,) for group in api.groups):
        return api
    groups: list[Group] = []
    for group in api.groups:
        if not group.path:
            group = replace(group, children=tuple(sorted({*group.children, GROUP})))
        groups.append(group)
    groups.append(Group((GROUP,), class_name(GROUP), (), ()))
    return replace(api, groups=tuple(groups))

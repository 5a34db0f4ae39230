"""Idempotency: the header that carries an operation's idempotency key, from config or the spec.

Three ways to name it, the first that applies wins:

- `idempotency_header = "Idempotency-Key"` in [tool.generator]: every POST and PATCH;
- a header parameter marked `x-idempotency-key: true`: its operation;
- Fern's `x-fern-idempotency-headers: [{header: Idempotency-Key}]` on the document: the
  operations marked `x-fern-idempotent: true`.

Only non-idempotent methods (POST, PATCH) get a key; a header parameter of that name stays in
the signature, never required (the runtime fills it in when the caller does not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..diagnostics import join_pointer
from ..sdk_config import HEADER_NAME
from .context import Context, deref, tokens
from .ir import Parameter

__all__ = ["idempotency_header", "optional_key_parameter"]

FERN_HEADERS = "x-fern-idempotency-headers"
FERN_IDEMPOTENT = "x-fern-idempotent"
MARK = "x-idempotency-key"
# Methods the runtime adds a key to (see runtime/_idempotency.py).
_KEYED = frozenset({"POST", "PATCH"})


def idempotency_header(
    ctx: Context, pointer: str, method: str, op: Mapping[str, Any], item: Mapping[str, Any]
) -> str | None:
    """The operation's idempotency header, or None."""
    if method.upper() not in _KEYED:
        return None
    if ctx.config.idempotency_header:
        return ctx.config.idempotency_header
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        parameter = deref(ctx.document, raw)
        if isinstance(parameter, Mapping) and parameter.get(MARK) is True:
            name = parameter.get("name")
            if parameter.get("in") == "header" and isinstance(name, str):
                return name
            ctx.found.warn(
                join_pointer(*tokens(pointer), "parameters"),
                f"{MARK} marks a parameter that is not a header ({name!r}); ignored",
            )
    if op.get(FERN_IDEMPOTENT) is True:
        name = fern_header(ctx)
        if name is None:
            ctx.found.warn(
                join_pointer(*tokens(pointer), FERN_IDEMPOTENT),
                f"{FERN_IDEMPOTENT} without a header in the document's {FERN_HEADERS}: no"
                " idempotency key is sent",
            )
        return name
    return None


def fern_header(ctx: Context) -> str | None:
    """The first header of the document's x-fern-idempotency-headers (a warning if malformed)."""
    declared = ctx.document.get(FERN_HEADERS)
    if declared is None:
        return None
    first = declared[0] if isinstance(declared, list) and declared else None
    name = first.get("header") if isinstance(first, Mapping) else None
    if isinstance(name, str) and HEADER_NAME.match(name):
        return name
    ctx.found.warn(
        join_pointer(FERN_HEADERS),
        f"{FERN_HEADERS} must be a list of {{header: <name>}}; ignored",
    )
    return None


def optional_key_parameter(
    parameters: tuple[Parameter, ...], header: str | None
) -> tuple[Parameter, ...]:
    """The parameters, the one carrying the idempotency key (if any) no longer required."""
    if header is None:
        return parameters
    return tuple(
        replace(p, required=False)
        if p.location == "header" and p.name.lower() == header.lower()
        else p
        for p in parameters
    )

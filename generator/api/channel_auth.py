"""Channel auth: how a channel's `connect` is authorized by the client's credentials.

A signed URL: the HTTP operation whose result holds a URL that opens the channel, which
`connect` asks when the client has credentials. [tool.generator.channels] signed_url names it
(`operationId`, or `{operation, field}`; `false`: none); else it is found by its shape: an
operation of the channel's group whose JSON result has a `signed_url` property and that takes
every required query argument of the channel. The channel's arguments of the same name are
passed on to it.

Credential query properties: a `ws` query property named like one of the client's
credentials (`authorization`, the header or parameter of its API key, the constructor
argument) is not a keyword argument of `connect`: the client's credentials carry it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..config import Config
from .context import Findings
from .ir import Api, ChannelArgument, ModelRef, Operation, SignedUrl

__all__ = ["credential_query", "signing"]

_CONFIG = "[tool.generator.channels] signed_url"


def _normal(name: str) -> str:
    return name.lower().replace("-", "_")


def credential_query(
    api: Api, arguments: Sequence[ChannelArgument]
) -> tuple[tuple[ChannelArgument, ...], tuple[str, ...]]:
    """The arguments `connect` takes, and the query properties left out as credentials
    (only when the client has credentials to carry them)."""
    names: set[str] = set()
    if api.credential is not None:
        names |= {api.credential.header, api.credential.argument}
    for scheme in api.schemes:
        names |= {scheme.parameter} | {c.argument for c in scheme.credentials}
    if not names:
        return tuple(arguments), ()
    names = {_normal(n) for n in names if n} | {"authorization"}
    kept = tuple(a for a in arguments if a.location != "query" or _normal(a.name) not in names)
    left_out = tuple(a.name for a in arguments if a not in kept)
    return kept, left_out


def _result_properties(
    op: Operation, api: Api, openapi: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    if not isinstance(op.success.type, ModelRef) or op.success.kind != "json":
        return None
    by_class = {cls: name for name, cls in api.schema_classes}
    schemas = (openapi.get("components") or {}).get("schemas") or {}
    schema = schemas.get(by_class.get(op.success.type.name, ""))
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    return properties if isinstance(properties, Mapping) else None


def _passed(op: Operation, arguments: Sequence[ChannelArgument]) -> tuple[tuple[str, str], ...]:
    by_name = {a.name: a.python_name for a in arguments}
    return tuple(
        (p.python_name, by_name[p.name])
        for p in op.parameters
        if p.name in by_name and p.location in ("query", "path")
    )


def _uncovered(op: Operation, arguments: Sequence[ChannelArgument]) -> list[str]:
    names = {a.name for a in arguments}
    return [p.name for p in op.parameters if p.required and p.name not in names]


def signing(
    api: Api,
    openapi: Mapping[str, Any],
    config: Config,
    keys: tuple[str, str],
    groups: tuple[str, ...],
    arguments: Sequence[ChannelArgument],
    found: Findings,
    pointer: str,
) -> SignedUrl | None:
    """How `connect` gets a signed URL for the channel (`keys`: its address and name)."""
    configured = dict((key, (op, field)) for key, op, field in config.channel_signed_urls)
    for key in keys:
        if key in configured:
            return _configured(api, openapi, *configured[key], arguments, found, pointer)
    needed = {a.name for a in arguments if a.location == "query" and a.required}
    for op in api.operations:
        properties = _result_properties(op, api, openapi)
        if op.groups != groups or properties is None or "signed_url" not in properties:
            continue
        if needed <= {p.name for p in op.parameters} and not _uncovered(op, arguments):
            where = f"found: the `signed_url` of {op.operation_id}'s result"
            return SignedUrl(
                op.method_name, op.module_name, "signed_url", _passed(op, arguments), where
            )
    return None


def _configured(
    api: Api,
    openapi: Mapping[str, Any],
    wanted: str,
    field: str,
    arguments: Sequence[ChannelArgument],
    found: Findings,
    pointer: str,
) -> SignedUrl | None:
    if not wanted:
        return None
    ops = [op for op in api.operations if wanted in (op.operation_id, op.method_name)]
    if not ops:
        found.error(pointer, f"{_CONFIG}: no operation {wanted!r} in the spec")
        return None
    op = ops[0]
    properties = _result_properties(op, api, openapi)
    if properties is None or field not in properties or not field.isidentifier():
        found.error(pointer, f"{_CONFIG}: the JSON result of {wanted!r} has no property {field!r}")
        return None
    missing = _uncovered(op, arguments)
    if missing:
        found.error(
            pointer,
            f"{_CONFIG}: {wanted!r} requires {', '.join(missing)}, which the channel's"
            " connect does not take",
        )
        return None
    return SignedUrl(op.method_name, op.module_name, field, _passed(op, arguments), _CONFIG)

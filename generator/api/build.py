"""Build IR: pure functions from a validated OpenAPI document (and config) to an `Api`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..config import Config
from ..diagnostics import join_pointer
from ..spec import AsyncApiDocument
from .bodies import request_body
from .channels import with_channels
from .context import HTTP_METHODS, Built, Context, Findings, Hoister, deref, text
from .deprecations import deprecated_fields
from .idempotency import idempotency_header, optional_key_parameter
from .ir import (
    Api,
    DictOf,
    Group,
    Operation,
    Prim,
    UnionOf,
)
from .naming import class_name, client_class_names, snake_case, unique_names
from .pagination import operation_pagination, unmatched_settings
from .parameters import constant_headers, operation_parameters
from .responses import responses
from .security import ApiSecurity, api_security
from .servers import operation_servers, server_variables, servers
from .types import TypeResolver
from .webhooks import api_webhooks, signature

__all__ = ["Built", "build_api"]

# The documentation export's tag form: `subpackage_a.subpackage_a/b` names the groups a, b.
_SUBPACKAGE_TAG = re.compile(r"^subpackage_[^.]+(\.subpackage_[^.]+)*$")
_RESERVED_MEMBERS = {"with_raw_response", "with_streaming_response", "close", "aclose"}
# Parameter serializations the runtime implements, by location: (style, explode).


def build_api(
    document: Mapping[str, Any], config: Config, asyncapi: Sequence[AsyncApiDocument] = ()
) -> Built:
    found = Findings(strict=config.strict)
    schemas = (document.get("components") or {}).get("schemas") or {}
    reserved = _client_classes(document, config)
    classes = _class_names(list(schemas), reserved)
    resolver = TypeResolver(document, classes)
    hoister = Hoister(set(classes.values()) | reserved)
    security = api_security(document, config, found)
    ctx = Context(document, config, resolver, hoister, found, security.credential)
    operations: list[Operation] = []
    skipped: list[str] = []
    module_names: list[str] = []
    raw_ops: list[tuple[str, str, str, Mapping[str, Any], Mapping[str, Any]]] = []
    for path, raw_item in (document.get("paths") or {}).items():
        item = deref(document, raw_item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            pointer = join_pointer("paths", path, method)
            if op.get("x-fern-ignore") is True:
                skipped.append(f"{method.upper()} {path}")
                continue
            raw_ops.append((pointer, method, path, op, item))
            module_names.append(snake_case(str(op.get("operationId") or f"{method} {path}")))
    unique_modules = unique_names(module_names)
    unmatched_settings(ctx, [(m, p, o.get("operationId")) for _, m, p, o, _ in raw_ops])
    variables = server_variables(document, _credential_arguments(ctx, security), found)
    known = frozenset(v.name for v in variables)
    for (pointer, method, path, op, item), module in zip(raw_ops, unique_modules, strict=True):
        operations.append(_operation(ctx, security, pointer, method, path, op, item, module, known))
    operations, groups = _groups(operations, ctx)
    errors = sorted(
        {
            (e.error_class, e.status)
            for o in operations
            for e in o.errors
            if isinstance(e.status, int)
        },
        key=lambda x: x[1],
    )
    info = document.get("info") or {}
    api = Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "") or ""),
        servers=servers(document, config, found),
        operations=tuple(operations),
        groups=groups,
        schema_classes=tuple(classes.items()),
        error_classes=tuple(errors),
        skipped=tuple(skipped),
        credential=ctx.credential,
        schemes=security.schemes,
        variables=variables,
        webhooks=api_webhooks(ctx),
        webhook_signature=signature(ctx),
        deprecated_fields=deprecated_fields(document, classes),
    )
    built = Built(api, tuple(found.problems), tuple(hoister.items), tuple(found.warnings))
    return with_channels(built, asyncapi, document, config)  # AsyncAPI channels: channels.py


def _lenient(ctx: Context, pointer: str, strict_message: str, warning: str) -> None:
    """A problem the client can work around: a warning saying how, or with --strict the error."""
    if ctx.config.strict:
        ctx.found.error(pointer, strict_message)
    else:
        ctx.found.warn(pointer, warning)


def _credential_arguments(ctx: Context, security: ApiSecurity) -> list[str]:
    """The client constructor's credential arguments, which a server variable cannot be named."""
    names = [c.argument for s in security.schemes for c in s.credentials]
    return names + ([ctx.credential.argument] if ctx.credential is not None else [])


def _class_names(names: list[str], reserved: frozenset[str] = frozenset()) -> dict[str, str]:
    """Component schema name → class name, distinct. On a clash the name that already is its own
    class name keeps it and the others get 2, 3, ... in document order: an exact name is never
    taken away, whatever the order of the schemas. A name in `reserved` (a class the client
    modules define beside the models they import) gets `Model` added, as class_name does for
    the names of the runtime: `UsersClient` → `UsersClientModel`."""
    wanted = [class_name(n) for n in names]
    wanted = [w + "Model" if w in reserved else w for w in wanted]
    order = sorted(range(len(names)), key=lambda i: wanted[i] != names[i])
    given = unique_names([wanted[i] for i in order], sep="")
    by_index = dict(zip(order, given, strict=True))
    return {name: by_index[i] for i, name in enumerate(names)}


def _client_classes(document: Mapping[str, Any], config: Config) -> frozenset[str]:
    """The class names of the client modules, from every operation's group (as _groups names
    them) and the configuration."""
    stems: set[str] = set()
    for raw_item in (document.get("paths") or {}).values():
        item = deref(document, raw_item)
        for method in HTTP_METHODS if isinstance(item, Mapping) else ():
            if isinstance(item.get(method), Mapping):
                stems.update(class_name(part) for part in _sdk_location(item[method])[0])
    return client_class_names(stems, (config.client, config.async_client, config.environment_enum))


# --- Security ------------------------------------------------------------------------------------


# --- Operations ----------------------------------------------------------------------------------


def _sdk_location(op: Mapping[str, Any]) -> tuple[tuple[str, ...], str | None]:
    group = op.get("x-fern-sdk-group-name")
    method = op.get("x-fern-sdk-method-name")
    method_name = snake_case(method) if isinstance(method, str) and method else None
    if isinstance(group, str) and group:
        return (snake_case(group),), method_name
    if isinstance(group, list) and group and all(isinstance(g, str) for g in group):
        return tuple(snake_case(g) for g in group), method_name
    tags = op.get("tags")
    if isinstance(tags, list) and tags and isinstance(tags[0], str):
        tag = tags[0]
        if _SUBPACKAGE_TAG.match(tag.split("/")[0]):
            last = tag.split(".")[-1].removeprefix("subpackage_")
            return tuple(snake_case(part) for part in last.split("/") if part), method_name
        return (snake_case(tag),), method_name
    return (), method_name


def _operation(
    ctx: Context,
    security: ApiSecurity,
    pointer: str,
    method: str,
    path: str,
    op: Mapping[str, Any],
    item: Mapping[str, Any],
    module: str,
    variables: frozenset[str] = frozenset(),
) -> Operation:
    groups, sdk_method = _sdk_location(op)
    operation_id = str(op.get("operationId") or "")
    method_name = sdk_method or snake_case(operation_id or f"{method} {path}")
    # An operation's own servers replace its path item's (OpenAPI's "overrides").
    own = op.get("servers") or item.get("servers")
    at = f"{pointer}/servers" if op.get("servers") else f"{pointer.rsplit('/', 1)[0]}/servers"
    own_servers = operation_servers(at, own, variables, ctx.found) if own else ()
    requirement = security.requirement(op, pointer, ctx.found)
    lifted = security.lifted(requirement)
    parameters = tuple(
        p
        for p in operation_parameters(ctx, pointer, op, item, module)
        if (p.location, p.name.lower() if p.location == "header" else p.name) not in lifted
    )
    idempotency = idempotency_header(ctx, pointer, method, op, item)
    parameters = optional_key_parameter(parameters, idempotency)
    # Hoisted inline schemas are named after the operation's module: unique, from operationId.
    body = request_body(ctx, pointer, op, module, [p.python_name for p in parameters])
    if (
        body is not None
        and body.kind in ("form", "multipart")
        and body.whole is not None
        and not isinstance(body.whole, DictOf)
    ):
        # Form fields come from an object's properties or a map; anything else is sent whole,
        # as the caller encoded it.
        _lenient(
            ctx,
            f"{pointer}/requestBody",
            f"a {body.media_type} request body must be an object"
            " schema (its properties, or a map, become the form fields); this one is not",
            f"a {body.media_type} request body that is not an object schema has no form fields:"
            f" the client sends the {body.python_name} argument as the body as it is"
            " (str or bytes, already encoded)",
        )
        body = replace(body, kind="bytes", whole=UnionOf((Prim("str"), Prim("bytes"))))
    success, errors = responses(ctx, pointer, op, module)
    return Operation(
        pointer=pointer,
        method=method.upper(),
        # A fragment (`/a#stream`, two operations on one URL) is never sent.
        path=path.partition("#")[0],
        operation_id=operation_id,
        groups=groups,
        method_name=method_name,
        module_name=module,
        summary=text(op.get("summary")),
        description=text(op.get("description")),
        deprecated=op.get("deprecated") is True,
        parameters=parameters,
        body=body,
        success=success,
        errors=errors,
        security=requirement,
        servers=own_servers,
        pagination=operation_pagination(ctx, pointer, method, path, op, parameters, success),
        idempotency_header=idempotency,
        constant_headers=constant_headers(ctx, pointer, op, item),
    )


# --- Servers and groups --------------------------------------------------------------------------


def _groups(operations: list[Operation], ctx: Context) -> tuple[list[Operation], tuple[Group, ...]]:
    """The client tree: one Group per distinct prefix of every operation's group path. A method
    name used twice in a group, or clashing with a subgroup or a client attribute, is renamed
    with a warning (the operations come back with their final names)."""
    paths: dict[tuple[str, ...], list[Operation]] = {(): []}
    for op in operations:
        for depth in range(len(op.groups) + 1):
            paths.setdefault(op.groups[:depth], [])
        paths[op.groups].append(op)
    renamed: dict[str, Operation] = {}
    result = []
    for path in sorted(paths):
        children = tuple(
            sorted(
                {p[len(path)] for p in paths if len(p) == len(path) + 1 and p[: len(path)] == path}
            )
        )
        taken = {op.method_name for op in paths[path]} | set(children) | _RESERVED_MEMBERS
        seen: dict[str, Operation] = {}
        members = []
        where = ".".join(path) or "(client)"
        for op in paths[path]:
            clash = seen.get(op.method_name)
            if clash is not None:
                problem = (
                    f"method name {op.method_name!r} in group {where} is also used by"
                    f" {clash.pointer}; set x-fern-sdk-method-name to tell them apart"
                )
            elif (
                op.method_name in children
                or op.method_name in _RESERVED_MEMBERS
                or op.method_name.startswith("_")
            ):
                problem = (
                    f"method name {op.method_name!r} in group {where}"
                    " clashes with a subgroup or a reserved client attribute"
                )
            else:
                seen[op.method_name] = op
                members.append(op)
                continue
            stem = f"{op.method_name.lstrip('_') or 'call'}_{op.method.lower()}"
            name = unique_names([stem], taken=taken)[0]
            taken.add(name)
            _lenient(ctx, op.pointer, problem, f"{problem}; this one is named {name!r}")
            op = replace(op, method_name=name)
            renamed[op.pointer] = op
            seen[name] = op
            members.append(op)
        result.append(Group(path, class_name(path[-1]) if path else "", tuple(members), children))
    return [renamed.get(op.pointer, op) for op in operations], tuple(result)

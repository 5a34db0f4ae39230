"""Build IR: pure functions from a validated OpenAPI document (and config) to an `Api`."""

from __future__ import annotations

import http
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .config import Config
from .diagnostics import join_pointer
from .ir import (
    Api,
    Body,
    BodyField,
    BodyKind,
    DictOf,
    ErrorResponse,
    Group,
    Location,
    ModelRef,
    Operation,
    Parameter,
    Prim,
    ResultKind,
    Server,
    Success,
    TypeRef,
)
from .naming import class_name, constant_name, snake_case, unique_names
from .types import TypeResolver, contains_file
from .validate import resolve_pointer

__all__ = ["Built", "build_api"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS: tuple[Location, ...] = ("path", "query", "header", "cookie")
# The documentation export's tag form: `subpackage_a.subpackage_a/b` names the groups a, b.
_SUBPACKAGE_TAG = re.compile(r"^subpackage_[^.]+(\.subpackage_[^.]+)*$")
_RESERVED_MEMBERS = {"with_raw_response", "close", "aclose"}


@dataclass(frozen=True)
class Built:
    """The IR plus what building it found: problems and the inline schemas it hoisted."""

    api: Api
    problems: tuple[tuple[str, str], ...]
    # Inline schemas that need a model class: (class name, schema), fed to the model step.
    hoisted: tuple[tuple[str, Any], ...]


class _Hoister:
    """Gives complex inline schemas a class name so that the model step generates them."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.items: list[tuple[str, Any]] = []

    def name_for(self, stem: str, schema: Any) -> ModelRef:
        name = unique_names([class_name(stem)], taken=self.taken, sep="")[0]
        self.taken.add(name)
        self.items.append((name, schema))
        return ModelRef(name)


def build_api(document: Mapping[str, Any], config: Config) -> Built:
    problems: list[tuple[str, str]] = []
    schemas = (document.get("components") or {}).get("schemas") or {}
    component_names = list(schemas)
    classes = dict(
        zip(
            component_names,
            unique_names([class_name(n) for n in component_names], sep=""),
            strict=True,
        )
    )
    resolver = TypeResolver(document, classes)
    hoister = _Hoister(set(classes.values()))
    operations: list[Operation] = []
    skipped: list[str] = []
    module_names: list[str] = []
    raw_ops: list[tuple[str, str, str, Mapping[str, Any], Mapping[str, Any]]] = []
    for path, item in (document.get("paths") or {}).items():
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
    for (pointer, method, path, op, item), module in zip(raw_ops, unique_modules, strict=True):
        operations.append(
            _operation(
                document,
                config,
                resolver,
                hoister,
                problems,
                pointer,
                method,
                path,
                op,
                item,
                module,
            )
        )
    groups = _groups(operations, problems)
    errors = sorted(
        {(e.error_class, e.status) for o in operations for e in o.errors}, key=lambda x: x[1]
    )
    info = document.get("info") or {}
    api = Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "") or ""),
        servers=_servers(document, config),
        operations=tuple(operations),
        groups=groups,
        schema_classes=tuple(classes.items()),
        error_classes=tuple(errors),
        skipped=tuple(skipped),
    )
    return Built(api, tuple(problems), tuple(hoister.items))


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 16:
        node = resolve_pointer(document, node["$ref"][1:])
        seen += 1
    return node


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
    document: Mapping[str, Any],
    config: Config,
    resolver: TypeResolver,
    hoister: _Hoister,
    problems: list[tuple[str, str]],
    pointer: str,
    method: str,
    path: str,
    op: Mapping[str, Any],
    item: Mapping[str, Any],
    module: str,
) -> Operation:
    groups, sdk_method = _sdk_location(op)
    operation_id = str(op.get("operationId") or "")
    method_name = sdk_method or snake_case(operation_id or f"{method} {path}")
    parameters = _parameters(document, config, resolver, problems, pointer, op, item)
    body = _body(
        document, resolver, hoister, pointer, op, method_name, [p.python_name for p in parameters]
    )
    if (
        body is not None
        and body.kind in ("form", "multipart")
        and body.whole is not None
        and not isinstance(body.whole, DictOf)
    ):
        # Form fields come from an object's properties or a map; nothing else has an encoding.
        problems.append(
            (
                f"{pointer}/requestBody",
                f"a {body.media_type} request body must be an object"
                " schema (its properties, or a map, become the form fields); this one is not",
            )
        )
    success, errors = _responses(document, resolver, hoister, op, method_name)
    return Operation(
        pointer=pointer,
        method=method.upper(),
        path=path,
        operation_id=operation_id,
        groups=groups,
        method_name=method_name,
        module_name=module,
        summary=_text(op.get("summary")),
        description=_text(op.get("description")),
        deprecated=op.get("deprecated") is True,
        parameters=parameters,
        body=body,
        success=success,
        errors=errors,
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _parameters(
    document: Mapping[str, Any],
    config: Config,
    resolver: TypeResolver,
    problems: list[tuple[str, str]],
    pointer: str,
    op: Mapping[str, Any],
    item: Mapping[str, Any],
) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], tuple[str, Mapping[str, Any]]] = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    sources = [(path_pointer, item.get("parameters")), (pointer, op.get("parameters"))]
    for base, params in sources:
        for index, raw in enumerate(params or []):
            param = _deref(document, raw)
            if not isinstance(param, Mapping):
                continue
            name, location = str(param.get("name", "")), str(param.get("in", ""))
            merged[(name, location)] = (f"{base}/parameters/{index}", param)
    auth = config.auth
    kept = [
        (at, p)
        for (name, location), (at, p) in merged.items()
        if not (auth and location == "header" and name.lower() == auth.header.lower())
    ]
    kept.sort(
        key=lambda entry: (
            not entry[1].get("required", False),
            _LOCATIONS.index(entry[1]["in"]) if entry[1].get("in") in _LOCATIONS else 9,
        )
    )
    names = unique_names(
        [snake_case(str(p.get("name", ""))) for _, p in kept], taken={"request_options", "self"}
    )
    result = []
    for (at, param), python_name in zip(kept, names, strict=True):
        where = _location(param.get("in"))
        if where is None:
            problems.append((f"{at}/in", f"unknown parameter location {param.get('in')!r}"))
            continue
        schema: Any = param.get("schema")
        if schema is None and isinstance(param.get("content"), Mapping):
            schema = next(iter(param["content"].values()), None)
            schema = schema.get("schema") if isinstance(schema, Mapping) else None
        result.append(
            Parameter(
                name=str(param["name"]),
                python_name=python_name,
                location=where,
                required=where == "path" or param.get("required") is True,
                type=resolver.type_of(schema),
                description=_text(param.get("description")),
                deprecated=param.get("deprecated") is True,
                pointer=at,
            )
        )
    return tuple(result)


def _location(value: Any) -> Location | None:
    for location in _LOCATIONS:
        if value == location:
            return location
    return None


_BODY_PREFERENCE = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def _body(
    document: Mapping[str, Any],
    resolver: TypeResolver,
    hoister: _Hoister,
    pointer: str,
    op: Mapping[str, Any],
    method_name: str,
    taken: list[str],
) -> Body | None:
    request_body = _deref(document, op.get("requestBody"))
    if not isinstance(request_body, Mapping):
        return None
    content = request_body.get("content") or {}
    if not content:
        return None
    media_type = next((m for m in _BODY_PREFERENCE if m in content), None)
    if media_type is None:
        media_type = next((m for m in content if m.endswith("+json")), next(iter(content)))
    schema = (content.get(media_type) or {}).get("schema")
    kind = _body_kind(media_type)
    required = request_body.get("required") is True
    description = _text(request_body.get("description"))
    resolved = _deref(document, schema)
    properties = resolved.get("properties") if isinstance(resolved, Mapping) else None
    if (
        kind != "bytes"
        and isinstance(properties, Mapping)
        and properties
        and not resolved.get("additionalProperties")
    ):
        required_props = set(resolved.get("required") or [])
        names = unique_names(
            [snake_case(p) for p in properties], taken=[*taken, "request_options", "self"]
        )
        fields = tuple(
            BodyField(
                name=prop,
                python_name=python_name,
                required=prop in required_props,
                type=resolver.type_of(prop_schema, files=kind == "multipart"),
                description=_text(prop_schema.get("description"))
                if isinstance(prop_schema, Mapping)
                else "",
                is_file=kind == "multipart" and _is_file(resolver, prop_schema),
            )
            for (prop, prop_schema), python_name in zip(properties.items(), names, strict=True)
        )
        return Body(kind, media_type, required, fields, None, "request", description)
    whole: TypeRef
    if kind == "bytes":
        whole = Prim("bytes")
    elif _needs_class(schema):
        whole = hoister.name_for(f"{method_name}_request", schema)
    else:
        whole = resolver.type_of(schema)
    python_name = unique_names(["request"], taken=[*taken, "request_options"])[0]
    return Body(kind, media_type, required, (), whole, python_name, description)


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


def _needs_class(schema: Any) -> bool:
    """An inline schema with structure of its own (not a $ref, scalar, or array of those)."""
    if not isinstance(schema, Mapping) or "$ref" in schema:
        return False
    if schema.get("properties") or "allOf" in schema:
        return True
    if schema.get("type") == "array":
        return _needs_class(schema.get("items"))
    return any(_needs_class(o) for key in ("oneOf", "anyOf") for o in schema.get(key) or [])


def _result_kind(media_type: str | None, streaming: bool) -> ResultKind:
    if media_type is None:
        return "none"
    if media_type == "application/json" or media_type.endswith("+json"):
        return "jsonlines" if streaming else "json"
    if media_type == "text/event-stream":
        return "sse"
    if media_type in ("text/plain", "text/html"):
        return "text"
    return "stream" if streaming else "bytes"


def _responses(
    document: Mapping[str, Any],
    resolver: TypeResolver,
    hoister: _Hoister,
    op: Mapping[str, Any],
    method_name: str,
) -> tuple[Success, tuple[ErrorResponse, ...]]:
    responses = op.get("responses") or {}
    streaming = op.get("x-fern-streaming") is True
    success: Success | None = None
    errors: list[ErrorResponse] = []
    for code in sorted((c for c in responses if str(c).isdigit()), key=int):
        response = _deref(document, responses[code])
        content = (response or {}).get("content") or {}
        media_type = next(
            (m for m in content if m == "application/json" or m.endswith("+json")), None
        )
        media_type = media_type or next(iter(content), None)
        schema = (content.get(media_type) or {}).get("schema") if media_type else None
        status = int(code)
        if 200 <= status < 300:
            if success is not None:
                continue
            kind = _result_kind(media_type, streaming)
            if kind in ("json", "jsonlines", "sse") and _needs_class(schema):
                result_type: TypeRef = hoister.name_for(f"{method_name}_response", schema)
            elif kind in ("json", "jsonlines"):
                result_type = resolver.type_of(schema)
            elif kind == "sse":
                result_type = (
                    Prim("str")
                    if not schema or (schema or {}).get("type") == "string"
                    else resolver.type_of(schema)
                )
            elif kind == "text":
                result_type = Prim("str")
            elif kind == "none":
                result_type = Prim("None")
            else:
                result_type = Prim("bytes")
            success = Success(
                status, kind, result_type, media_type, _text((response or {}).get("description"))
            )
        elif status >= 400:
            body_type = resolver.type_of(schema) if media_type and "json" in media_type else None
            errors.append(
                ErrorResponse(
                    status,
                    _error_class(status),
                    body_type,
                    _text((response or {}).get("description")),
                )
            )
    return success or Success(200, "none", Prim("None"), None, ""), tuple(errors)


def _error_class(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        return f"Status{status}Error"
    name = class_name(phrase)
    return name if name.endswith("Error") else name + "Error"


def _servers(document: Mapping[str, Any], config: Config) -> tuple[Server, ...]:
    configured = dict(config.environments)
    servers = [
        s
        for s in document.get("servers") or []
        if isinstance(s, Mapping) and isinstance(s.get("url"), str)
    ]
    members = []
    for index, server in enumerate(servers):
        url = server["url"]
        explicit = server.get("x-fern-server-name")
        if url in configured:
            members.append(constant_name(configured[url]))
        elif isinstance(explicit, str) and explicit:
            members.append(constant_name(explicit))
        else:
            members.append(constant_name(_host_stem(url), fallback=f"SERVER_{index + 1}"))
    if not servers:
        return ()
    unique = unique_names(members)
    return tuple(
        Server(url=s["url"], member=m, description=_text(s.get("description")))
        for s, m in zip(servers, unique, strict=True)
    )


def _host_stem(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url).split("/")[0]
    return host.replace(".", "_") or "default"


def _groups(operations: list[Operation], problems: list[tuple[str, str]]) -> tuple[Group, ...]:
    """The client tree: one Group per distinct prefix of every operation's group path."""
    paths: dict[tuple[str, ...], list[Operation]] = {(): []}
    for op in operations:
        for depth in range(len(op.groups) + 1):
            paths.setdefault(op.groups[:depth], [])
        paths[op.groups].append(op)
    result = []
    for path in sorted(paths):
        children = tuple(
            sorted(
                {p[len(path)] for p in paths if len(p) == len(path) + 1 and p[: len(path)] == path}
            )
        )
        seen: dict[str, Operation] = {}
        for op in paths[path]:
            clash = seen.get(op.method_name)
            if clash is not None:
                problems.append(
                    (
                        op.pointer,
                        f"method name {op.method_name!r} in group {'.'.join(path) or '(client)'}"
                        f" is also used by {clash.pointer}; set x-fern-sdk-method-name to tell them apart",
                    )
                )
            elif (
                op.method_name in children
                or op.method_name in _RESERVED_MEMBERS
                or op.method_name.startswith("_")
            ):
                problems.append(
                    (
                        op.pointer,
                        f"method name {op.method_name!r} in group {'.'.join(path) or '(client)'}"
                        " clashes with a subgroup or a reserved client attribute",
                    )
                )
            seen[op.method_name] = op
        result.append(
            Group(path, class_name(path[-1]) if path else "", tuple(paths[path]), children)
        )
    return tuple(result)

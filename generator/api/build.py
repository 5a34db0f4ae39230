"""Build IR: pure functions from a validated OpenAPI document (and config) to an `Api`."""

from __future__ import annotations

import http
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..config import Config
from ..diagnostics import join_pointer
from ..spec import resolve_pointer
from .ir import (
    Api,
    Body,
    BodyField,
    BodyKind,
    Credential,
    DictOf,
    ErrorResponse,
    Group,
    ListOf,
    Location,
    ModelRef,
    Operation,
    Parameter,
    Prim,
    ResultKind,
    Server,
    Status,
    Success,
    TypeRef,
    UnionOf,
)
from .naming import class_name, constant_name, snake_case, unique_names
from .types import TypeResolver, contains_file, union

__all__ = ["Built", "build_api"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS: tuple[Location, ...] = ("path", "query", "header", "cookie")
# The documentation export's tag form: `subpackage_a.subpackage_a/b` names the groups a, b.
_SUBPACKAGE_TAG = re.compile(r"^subpackage_[^.]+(\.subpackage_[^.]+)*$")
_RESERVED_MEMBERS = {"with_raw_response", "with_streaming_response", "close", "aclose"}
# Parameter serializations the runtime implements, by location: (style, explode).
_DEFAULT_STYLE: Mapping[str, tuple[str, bool]] = {
    "path": ("simple", False),
    "query": ("form", True),
    "header": ("simple", False),
    "cookie": ("form", True),
}


@dataclass(frozen=True)
class Built:
    """The IR plus what building it found: problems and the inline schemas it hoisted."""

    api: Api
    problems: tuple[tuple[str, str], ...]
    # Inline schemas that need a model class: (class name, schema), fed to the model step.
    hoisted: tuple[tuple[str, Any], ...]
    # What the client leaves out or does differently than the spec says: (pointer, message).
    warnings: tuple[tuple[str, str], ...] = ()


@dataclass
class _Findings:
    """Problems (the client would be wrong: nothing is generated) and warnings, as they are found."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def error(self, pointer: str, message: str) -> None:
        self.problems.append((pointer, message))

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append((pointer, message))


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


@dataclass
class _Context:
    """What building one operation needs besides the operation itself."""

    document: Mapping[str, Any]
    config: Config
    resolver: TypeResolver
    hoister: _Hoister
    found: _Findings
    credential: Credential | None


def build_api(document: Mapping[str, Any], config: Config) -> Built:
    found = _Findings()
    schemas = (document.get("components") or {}).get("schemas") or {}
    classes = _class_names(list(schemas))
    resolver = TypeResolver(document, classes)
    hoister = _Hoister(set(classes.values()))
    ctx = _Context(document, config, resolver, hoister, found, _credential(document, config, found))
    webhooks = document.get("webhooks")
    if isinstance(webhooks, Mapping) and webhooks:
        found.warn(
            "/webhooks",
            f"webhooks are not generated ({len(webhooks)}: {', '.join(map(str, webhooks))}):"
            " the client calls the API, it does not receive its requests; ignored",
        )
    operations: list[Operation] = []
    skipped: list[str] = []
    module_names: list[str] = []
    raw_ops: list[tuple[str, str, str, Mapping[str, Any], Mapping[str, Any]]] = []
    for path, raw_item in (document.get("paths") or {}).items():
        item = _deref(document, raw_item)
        if not isinstance(item, Mapping):
            continue
        if item.get("servers"):
            found.error(join_pointer("paths", path, "servers"), _SERVERS_UNSUPPORTED)
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
        operations.append(_operation(ctx, pointer, method, path, op, item, module))
    groups = _groups(operations, found.problems)
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
        servers=_servers(document, config, found),
        operations=tuple(operations),
        groups=groups,
        schema_classes=tuple(classes.items()),
        error_classes=tuple(errors),
        skipped=tuple(skipped),
        credential=ctx.credential,
    )
    return Built(api, tuple(found.problems), tuple(hoister.items), tuple(found.warnings))


_SERVERS_UNSUPPORTED = (
    "servers on a path or an operation are not supported: the client sends every request to its"
    " one base URL; remove them with an overlay"
)


def _class_names(names: list[str]) -> dict[str, str]:
    """Component schema name → class name, distinct. On a clash the name that already is its own
    class name keeps it and the others get 2, 3, ... in document order: an exact name is never
    taken away, whatever the order of the schemas."""
    wanted = [class_name(n) for n in names]
    order = sorted(range(len(names)), key=lambda i: wanted[i] != names[i])
    given = unique_names([wanted[i] for i in order], sep="")
    by_index = dict(zip(order, given, strict=True))
    return {name: by_index[i] for i, name in enumerate(names)}


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 16:
        node = resolve_pointer(document, node["$ref"][1:])
        seen += 1
    return node


# --- Security ------------------------------------------------------------------------------------


def _credential(document: Mapping[str, Any], config: Config, found: _Findings) -> Credential | None:
    """The one credential the client sends: [tool.generator] auth, else the first supported
    security scheme the spec requires. Requirements the client cannot meet are problems."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    requirements = list(_requirements(document))
    offered: dict[str, Credential | str] = {
        name: _scheme_credential(_deref(document, scheme), name, found)
        for name, scheme in schemes.items()
    }
    credential: Credential | None = None
    if config.auth is not None:
        credential = Credential(config.auth.header, config.auth.argument, config.auth.env)
    for _, alternatives in requirements:
        for requirement in alternatives:
            for name in requirement:
                option = offered.get(name)
                if credential is None and isinstance(option, Credential):
                    credential = option
    if credential is not None:
        same = [
            c
            for c in offered.values()
            if isinstance(c, Credential) and c.header.lower() == credential.header.lower()
        ]
        if same and same[0].prefix and not credential.prefix:
            credential = replace(credential, prefix=same[0].prefix)
    used: set[str] = set()
    for pointer, alternatives in requirements:
        unmet: list[str] = []
        met = False
        for index, requirement in enumerate(alternatives):
            reasons = []
            for name in requirement:
                used.add(name)
                option = offered.get(name)
                if option is None:
                    found.error(
                        f"{pointer}/{index}",
                        f"security scheme {name!r} is not defined in components.securitySchemes",
                    )
                    reasons.append(f"{name!r} is not defined")
                elif isinstance(option, str):
                    reasons.append(option)
                elif credential is None or option.header.lower() != credential.header.lower():
                    reasons.append(
                        f"{name!r} sends {option.header}, but the client sends"
                        f" {credential.header if credential else 'nothing'}"
                    )
            if reasons:
                unmet += reasons
            else:
                met = True
        if not met and alternatives:
            found.error(
                pointer,
                "the client cannot meet any security requirement here: "
                + "; ".join(dict.fromkeys(unmet))
                + ". Remove the scheme with an overlay (and send the credential with"
                " request_options), or set [tool.generator] auth",
            )
        elif unmet:
            found.warn(
                pointer,
                "alternative security requirement(s) not supported, the client uses"
                f" {credential.header if credential else 'none'}: "
                + "; ".join(dict.fromkeys(unmet)),
            )
    for name in schemes:
        if name not in used:
            found.warn(
                join_pointer("components", "securitySchemes", name),
                f"security scheme {name!r} is not required by any operation (no `security` names"
                " it); ignored",
            )
    return credential


def _requirements(document: Mapping[str, Any]) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """(pointer, alternatives) for the document's `security` and each operation's own."""
    top = document.get("security")
    if isinstance(top, list):
        yield "/security", [r for r in top if isinstance(r, Mapping)]
    for path, raw_item in (document.get("paths") or {}).items():
        item = _deref(document, raw_item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping) and isinstance(op.get("security"), list):
                if op.get("x-fern-ignore") is True:
                    continue
                alternatives = [r for r in op["security"] if isinstance(r, Mapping)]
                yield join_pointer("paths", path, method, "security"), alternatives


def _scheme_credential(scheme: Any, name: str, found: _Findings) -> Credential | str:
    """The credential a scheme asks for, or why the client cannot send it."""
    if not isinstance(scheme, Mapping):
        return f"{name!r} is not a security scheme object"
    kind = scheme.get("type")
    where = scheme.get("in")
    if kind == "apiKey" and where == "header" and isinstance(scheme.get("name"), str):
        return Credential(scheme["name"], "api_key", None)
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
        return Credential("Authorization", "token", None, "Bearer ")
    if kind in ("oauth2", "openIdConnect"):
        found.warn(
            join_pointer("components", "securitySchemes", name),
            f"{kind} scheme {name!r}: the client takes an access token (token=...) and sends it"
            " as a Bearer token; it does not run the flow that obtains one",
        )
        return Credential("Authorization", "token", None, "Bearer ")
    if kind == "apiKey":
        return f"{name!r} (an API key in {where}) is not supported, only in a header"
    if kind == "http":
        return (
            f"{name!r} (HTTP {scheme.get('scheme')!s} authentication) is not supported, only bearer"
        )
    return f"{name!r} ({kind}) is not supported"


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
    ctx: _Context,
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
    if op.get("servers"):
        ctx.found.error(f"{pointer}/servers", _SERVERS_UNSUPPORTED)
    if op.get("callbacks"):
        ctx.found.warn(
            f"{pointer}/callbacks",
            "callbacks are not generated: the client makes requests, it does not receive them;"
            " ignored",
        )
    parameters = _parameters(ctx, pointer, op, item)
    # Hoisted inline schemas are named after the operation's module: unique, from operationId.
    body = _body(ctx, pointer, op, module, [p.python_name for p in parameters])
    if (
        body is not None
        and body.kind in ("form", "multipart")
        and body.whole is not None
        and not isinstance(body.whole, DictOf)
    ):
        # Form fields come from an object's properties or a map; nothing else has an encoding.
        ctx.found.error(
            f"{pointer}/requestBody",
            f"a {body.media_type} request body must be an object"
            " schema (its properties, or a map, become the form fields); this one is not",
        )
    success, errors = _responses(ctx, pointer, op, module)
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
    ctx: _Context, pointer: str, op: Mapping[str, Any], item: Mapping[str, Any]
) -> tuple[Parameter, ...]:
    document = ctx.document
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
    lifted = ctx.credential.header.lower() if ctx.credential is not None else None
    kept = [
        (at, p)
        for (name, location), (at, p) in merged.items()
        if not (location == "header" and name.lower() == lifted)
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
            ctx.found.error(f"{at}/in", f"unknown parameter location {param.get('in')!r}")
            continue
        schema: Any = param.get("schema")
        if schema is None and isinstance(param.get("content"), Mapping):
            schema = next(iter(param["content"].values()), None)
            schema = schema.get("schema") if isinstance(schema, Mapping) else None
        type_ = ctx.resolver.type_of(schema)
        _check_style(ctx.found, at, param, where, type_)
        result.append(
            Parameter(
                name=str(param["name"]),
                python_name=python_name,
                location=where,
                required=where == "path" or param.get("required") is True,
                type=type_,
                description=_text(param.get("description")),
                deprecated=param.get("deprecated") is True,
                pointer=at,
            )
        )
    return tuple(result)


def _check_style(
    found: _Findings, at: str, param: Mapping[str, Any], where: Location, type_: TypeRef
) -> None:
    """The runtime sends what OpenAPI's default style sends; anything else is a problem."""
    default_style, default_explode = _DEFAULT_STYLE[where]
    style = param.get("style", default_style)
    explode = param.get("explode", style == "form")
    structured = isinstance(type_, ListOf | DictOf | ModelRef) or (
        isinstance(type_, UnionOf)
        and any(isinstance(o, ListOf | DictOf | ModelRef) for o in type_.options)
    )
    if style != default_style or (structured and explode is not default_explode):
        found.error(
            at,
            f"parameter {param.get('name')!r} in {where} uses style {style!r} with explode"
            f" {str(explode).lower()}; the client sends {where} parameters with style"
            f" {default_style!r}, explode {str(default_explode).lower()} only",
        )


def _location(value: Any) -> Location | None:
    for location in _LOCATIONS:
        if value == location:
            return location
    return None


_BODY_PREFERENCE = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def _body(
    ctx: _Context,
    pointer: str,
    op: Mapping[str, Any],
    stem: str,
    taken: list[str],
) -> Body | None:
    document, resolver = ctx.document, ctx.resolver
    request_body = _deref(document, op.get("requestBody"))
    if not isinstance(request_body, Mapping):
        return None
    content = request_body.get("content") or {}
    if not content:
        return None
    media_type = next((m for m in _BODY_PREFERENCE if m in content), None)
    if media_type is None:
        media_type = next((m for m in content if m.endswith("+json")), next(iter(content)))
    at = f"{pointer}/requestBody/content"
    if len(content) > 1:
        others = ", ".join(m for m in content if m != media_type)
        ctx.found.warn(
            at,
            f"the request body is sent as {media_type} only; not offered: {others}",
        )
    chosen = content.get(media_type) or {}
    if isinstance(chosen, Mapping) and chosen.get("encoding"):
        ctx.found.warn(
            join_pointer(*_tokens(at), media_type, "encoding"),
            "per-part encoding (content types, headers) is not applied; pass a file as"
            " (filename, content, content_type) to set its content type",
        )
    schema = chosen.get("schema") if isinstance(chosen, Mapping) else None
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
        # readOnly properties are sent by the server only: they are no arguments.
        sent = [
            (prop, prop_schema)
            for prop, prop_schema in properties.items()
            if not (isinstance(prop_schema, Mapping) and prop_schema.get("readOnly") is True)
        ]
        names = unique_names(
            [snake_case(p) for p, _ in sent], taken=[*taken, "request_options", "self"]
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
                deprecated=isinstance(prop_schema, Mapping)
                and prop_schema.get("deprecated") is True,
            )
            for (prop, prop_schema), python_name in zip(sent, names, strict=True)
        )
        return Body(kind, media_type, required, fields, None, "request", description)
    whole: TypeRef
    if kind == "bytes":
        whole = Prim("bytes")
    elif _needs_class(schema):
        whole = ctx.hoister.name_for(f"{stem}_request", schema)
    else:
        whole = resolver.type_of(schema)
    python_name = unique_names(["request"], taken=[*taken, "request_options"])[0]
    return Body(kind, media_type, required, (), whole, python_name, description)


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


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
    if "discriminator" in schema and (schema.get("oneOf") or schema.get("anyOf")):
        return True  # a tagged union: a model alias keeps the discriminator
    if schema.get("type") == "array":
        return _needs_class(schema.get("items"))
    return any(_needs_class(o) for key in ("oneOf", "anyOf") for o in schema.get(key) or [])


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _result_kind(media_type: str | None, streaming: bool) -> ResultKind:
    if media_type is None:
        return "stream" if streaming else "none"
    if _is_json(media_type):
        return "jsonlines" if streaming else "json"
    if media_type == "text/event-stream":
        return "sse"
    if media_type in ("text/plain", "text/html"):
        return "text"
    return "stream" if streaming else "bytes"


def _responses(
    ctx: _Context, pointer: str, op: Mapping[str, Any], stem: str
) -> tuple[Success, tuple[ErrorResponse, ...]]:
    responses = op.get("responses") or {}
    streaming = op.get("x-fern-streaming") is True
    codes = [str(c) for c in responses if not str(c).startswith("x-")]
    successes = sorted(c for c in codes if c.isdigit() and 200 <= int(c) < 300)
    successes += [c for c in codes if c.upper() == "2XX"]
    chosen = successes[0] if successes else ("default" if "default" in codes else None)
    success = Success(200, "none", Prim("None"), None, "")
    if chosen is not None:
        response = _deref(ctx.document, responses[chosen])
        at = join_pointer(*_tokens(pointer), "responses", chosen)
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
                    join_pointer(*_tokens(pointer), "responses", other),
                    f"response {other} has content but no schema: the client decodes it as"
                    f" response {chosen} describes it",
                )
                continue
            differing.append(other)
        if differing:
            success = _by_status(ctx, pointer, responses, success, differing, streaming, stem)
    errors: list[ErrorResponse] = []
    for code in sorted(codes, key=_status_order):
        response = _deref(ctx.document, responses[code])
        if isinstance(response, Mapping) and response.get("links"):
            ctx.found.warn(
                join_pointer(*_tokens(pointer), "responses", code, "links"),
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
        media_type = next((m for m in content if _is_json(m)), None)
        schema = (content.get(media_type) or {}).get("schema") if media_type else None
        errors.append(
            ErrorResponse(
                status_or_range,
                error_class,
                ctx.resolver.type_of(schema) if media_type else None,
                _text((response or {}).get("description")),
            )
        )
    return success, tuple(errors)


_WHOLE_KINDS = frozenset({"json", "text", "bytes", "none", "media"})


def _by_status(
    ctx: _Context,
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
        at = join_pointer(*_tokens(pointer), "responses", code)
        status: Status = int(code) if code.isdigit() else code.upper()
        response = _deref(ctx.document, responses[code])
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
        join_pointer(*_tokens(pointer), "responses", others[0]),
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
    resolved = _deref(document, response)
    return resolved.get("content") or {} if isinstance(resolved, Mapping) else {}


def _success(
    ctx: _Context,
    at: str,
    response: Any,
    status: Status,
    streaming: bool,
    stem: str,
) -> Success:
    content = (response or {}).get("content") or {}
    description = _text((response or {}).get("description"))
    media_types = list(content)
    first_json = next((m for m in media_types if _is_json(m)), None)
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
        join_pointer(*_tokens(at), "content"),
        f"the response is decoded as {media_type} only; the client cannot decode the"
        f" alternatives here: {', '.join(others)}",
    )
    return Success(status, kind, result_type, media_type, description)


def _success_type(ctx: _Context, kind: ResultKind, schema: Any, stem: str) -> TypeRef:
    if kind in ("json", "jsonlines", "sse") and _needs_class(schema):
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


# --- Servers and groups --------------------------------------------------------------------------


def _servers(document: Mapping[str, Any], config: Config, found: _Findings) -> tuple[Server, ...]:
    configured = dict(config.environments)
    servers: list[tuple[str, Mapping[str, Any]]] = []
    for index, server in enumerate(document.get("servers") or []):
        if not (isinstance(server, Mapping) and isinstance(server.get("url"), str)):
            continue
        at = f"/servers/{index}"
        url = _server_url(server, at, found)
        if url is None:
            continue
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
            found.warn(
                f"{at}/url",
                f"server URL {url!r} is relative: it is no environment; pass base_url= with the"
                " scheme and host",
            )
            continue
        servers.append((url, server))
    members = []
    for index, (url, server) in enumerate(servers):
        explicit = server.get("x-fern-server-name")
        if url in configured or server["url"] in configured:
            members.append(constant_name(configured.get(url) or configured[server["url"]]))
        elif isinstance(explicit, str) and explicit:
            members.append(constant_name(explicit))
        else:
            members.append(constant_name(_host_stem(url), fallback=f"SERVER_{index + 1}"))
    if not servers:
        return ()
    unique = unique_names(members)
    return tuple(
        Server(url=url, member=m, description=_text(s.get("description")))
        for (url, s), m in zip(servers, unique, strict=True)
    )


def _server_url(server: Mapping[str, Any], at: str, found: _Findings) -> str | None:
    """The URL with each variable at its default; None (a problem) when one has none."""
    url: str = server["url"]
    variables = server.get("variables")
    variables = variables if isinstance(variables, Mapping) else {}
    names = re.findall(r"\{([^{}]*)\}", url)
    missing = [n for n in names if not isinstance((variables.get(n) or {}).get("default"), str)]
    if missing:
        found.error(
            f"{at}/url",
            f"server URL {url!r} uses variable(s) with no default: {', '.join(missing)}",
        )
        return None
    if names:
        fixed = {n: variables[n]["default"] for n in names}
        found.warn(
            f"{at}/variables",
            "server variables are fixed at their defaults ("
            + ", ".join(f"{n}={v!r}" for n, v in fixed.items())
            + "); pass base_url= for other values",
        )
        for name, value in fixed.items():
            url = url.replace("{" + name + "}", value)
    return url


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

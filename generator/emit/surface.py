"""Surface: what the generated client offers its callers, as data (written to surface.json).

Operations by dotted name (`group.subgroup.method`), each with its HTTP method and path, its
parameters as the Python signature takes them (name, where it goes, required, type) and its
result type; models with their fields (name, type, required) or, for aliases such as enums,
their type; the error classes; the environments; the real-time channels by their `connect`
method's dotted name, with its address, keyword arguments, ws servers and the models each side
sends. Types are annotation strings as the generated code spells them. `changes.compare` diffs
two surfaces.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..api import Api, TypeRef, model_names, render_type
from ..cache import Cache, code_digest, content_key
from ..models import ModelSet
from .views import method_view

__all__ = [
    "FILE",
    "ChannelSurface",
    "ModelField",
    "ModelSurface",
    "OperationSurface",
    "ParameterSurface",
    "Surface",
    "compute",
    "dumps",
    "loads",
]

# Where the surface is written, relative to the output folder.
FILE = "surface.json"
_VERSION = 1


@dataclass(frozen=True)
class ParameterSurface:
    """A parameter of an operation method: `location` is path, query, header, cookie or body."""

    name: str
    location: str
    required: bool
    type: str


@dataclass(frozen=True)
class OperationSurface:
    name: str  # dotted: groups then method name
    method: str
    path: str
    parameters: tuple[ParameterSurface, ...]
    result: str


@dataclass(frozen=True)
class ModelField:
    name: str
    type: str
    required: bool
    # The JSON name when it differs from `name`; not part of the Python surface.
    alias: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ModelSurface:
    """A class with fields, or an alias (`type`: e.g. a Literal for an enum, or a union)."""

    name: str
    fields: tuple[ModelField, ...] | None
    type: str | None
    # Where operations use it, directly or through other models: "request", "response".
    used_in: tuple[str, ...]


@dataclass(frozen=True)
class ChannelSurface:
    """A channel's `connect`: keyword arguments (location path, query or signed_url), the
    models the client sends and those the server's messages decode to."""

    name: str  # dotted: groups then method name
    address: str
    parameters: tuple[ParameterSurface, ...]
    sends: tuple[str, ...]
    receives: tuple[str, ...]
    servers: tuple[str, ...]


@dataclass(frozen=True)
class Surface:
    operations: tuple[OperationSurface, ...]
    models: tuple[ModelSurface, ...]
    errors: tuple[tuple[str, int], ...]  # (class name, status)
    environments: tuple[tuple[str, str], ...]  # (enum member, URL)
    channels: tuple[ChannelSurface, ...] = ()

    def operation(self, name: str) -> OperationSurface | None:
        return next((o for o in self.operations if o.name == name), None)

    def model(self, name: str) -> ModelSurface | None:
        return next((m for m in self.models if m.name == name), None)


def compute(api: Api, models: ModelSet, cache: Cache | None = None) -> Surface:
    """The surface of the client generated from `api` with `models`.

    Reading the models' source is the slow part: its result is cached by content.
    """
    operations = []
    requests: set[str] = set()
    responses: set[str] = set()
    for op in api.operations:
        params = [
            ParameterSurface(p.python_name, p.location, p.required, render_type(p.type))
            for p in op.parameters
        ]
        request_types: list[TypeRef] = [p.type for p in op.parameters]
        if op.body is not None:
            params += [
                ParameterSurface(f.python_name, "body", f.required, render_type(f.type))
                for f in op.body.fields
            ]
            request_types += [f.type for f in op.body.fields]
            if op.body.whole is not None:
                params.append(
                    ParameterSurface(
                        op.body.python_name, "body", op.body.required, render_type(op.body.whole)
                    )
                )
                request_types.append(op.body.whole)
        for t in request_types:
            model_names(t, requests.add)
        for t in (op.success.type, *(e.body_type for e in op.errors if e.body_type is not None)):
            model_names(t, responses.add)
        operations.append(
            OperationSurface(
                ".".join((*op.groups, op.method_name)),
                op.method,
                op.path,
                tuple(params),
                method_view(op).result,
            )
        )
    channels = []
    for channel in api.channels:
        params = [
            ParameterSurface(
                a.python_name,
                a.location,
                a.required and channel.signing is None,
                render_type(a.type),
            )
            for a in channel.arguments
        ]
        if channel.signing is not None:
            params.append(ParameterSurface("signed_url", "signed_url", False, "str"))
        sends = tuple(dict.fromkeys(m.model for m in channel.sends))
        receives = tuple(dict.fromkeys(m.model for m in channel.receives))
        requests.update(sends)
        responses.update(receives)
        channels.append(
            ChannelSurface(
                ".".join((*channel.groups, channel.method_name)),
                channel.address,
                tuple(params),
                sends,
                receives,
                tuple(s.url for s in channel.servers),
            )
        )
    parsed = _cached_models(models, cache or Cache(None))
    refs = {name: names for name, _, _, names in parsed}
    reach_requests = _closure(requests, refs)
    reach_responses = _closure(responses, refs)
    model_list = []
    for name, fields, alias, _ in sorted(parsed, key=lambda m: m[0]):
        used: tuple[str, ...] = ("request",) if name in reach_requests else ()
        if name in reach_responses:
            used += ("response",)
        model_list.append(ModelSurface(name, fields, alias, used))
    return Surface(
        tuple(sorted(operations, key=lambda o: o.name)),
        tuple(model_list),
        tuple(sorted(api.error_classes)),
        tuple((s.member, s.url) for s in api.servers),
        tuple(sorted(channels, key=lambda c: c.name)),
    )


def _closure(roots: set[str], refs: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(refs.get(name, ()))
    return seen


# --- Reading the models' source ----------------------------------------------------------------


_Parsed = tuple[str, tuple[ModelField, ...] | None, str | None, set[str]]


def _cached_models(models: ModelSet, cache: Cache) -> list[_Parsed]:
    key = content_key("surface", code_digest(__name__), *(m.source for m in models.modules))
    hit = cache.get("surface", key)
    if hit is not None:
        return [
            (
                name,
                None if fields is None else tuple(ModelField(*f) for f in fields),
                alias,
                set(names),
            )
            for name, fields, alias, names in json.loads(hit)
        ]
    parsed = [m for module in models.modules for m in _models_of(module.source)]
    cache.put(
        "surface",
        key,
        json.dumps(
            [
                [
                    name,
                    None
                    if fields is None
                    else [[f.name, f.type, f.required, f.alias] for f in fields],
                    alias,
                    sorted(names),
                ]
                for name, fields, alias, names in parsed
            ]
        ),
    )
    return parsed


def _models_of(source: str) -> list[_Parsed]:
    """(name, fields, alias type, names its types mention) of each class and type alias a model
    module defines."""
    result: list[_Parsed] = []
    for stmt in ast.parse(source).body:
        names: set[str] = set()
        if isinstance(stmt, ast.ClassDef):
            fields = _fields(stmt, names)
            root = next((f for f in fields if f.name == "root"), None)
            if root is not None and any(_name(b).startswith("RootModel") for b in stmt.bases):
                result.append((stmt.name, None, root.type, names))
            else:
                result.append((stmt.name, fields, None, names))
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            if isinstance(target, ast.Name) and stmt.value is not None:
                value = stmt.value
                # TypeAliasType("Name", <type>) as datamodel-code-generator writes aliases.
                if isinstance(value, ast.Call) and len(value.args) >= 2:
                    value = value.args[1]
                result.append((target.id, None, annotation(value, names), names))
    return result


def _name(node: ast.expr) -> str:
    """The last dotted name of `a.b.C` or `C[...]`, else ""."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _fields(cls: ast.ClassDef, names: set[str]) -> tuple[ModelField, ...]:
    fields = []
    for stmt in cls.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        if _name(stmt.annotation) == "ClassVar":
            continue
        required, alias = _default(stmt.value)
        fields.append(
            ModelField(stmt.target.id, annotation(stmt.annotation, names), required, alias)
        )
    return tuple(fields)


def _default(value: ast.expr | None) -> tuple[bool, str | None]:
    """(required, alias) from a field's default: none, `...`, a value, or `Field(...)`."""
    if value is None:
        return True, None
    if not (isinstance(value, ast.Call) and _name(value.func) == "Field"):
        return isinstance(value, ast.Constant) and value.value is Ellipsis, None
    keywords = {k.arg: k.value for k in value.keywords if k.arg}
    alias_node = keywords.get("alias")
    alias = (
        alias_node.value
        if isinstance(alias_node, ast.Constant) and isinstance(alias_node.value, str)
        else None
    )
    if value.args:
        first = value.args[0]
        return isinstance(first, ast.Constant) and first.value is Ellipsis, alias
    return not ({"default", "default_factory"} & keywords.keys()), alias


class _Normalize(ast.NodeTransformer):
    """`Annotated[T, ...]` → T, `Optional[T]` → `T | None`, `'Foo'` forward references → Foo;
    collects the names the result mentions."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.AST:
        self.names.add(node.id)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        head = _name(node.value)
        if head == "Literal":
            return node
        if head == "Annotated" and isinstance(node.slice, ast.Tuple) and node.slice.elts:
            inner: ast.AST = self.visit(node.slice.elts[0])
            return inner
        if head == "Optional":
            return ast.BinOp(self.visit(node.slice), ast.BitOr(), ast.Constant(None))
        if head == "Union" and isinstance(node.slice, ast.Tuple):
            options = [self.visit(e) for e in node.slice.elts]
            result: ast.AST = options[0]
            for option in options[1:]:
                result = ast.BinOp(result, ast.BitOr(), option)  # type: ignore[arg-type]
            return result
        self.generic_visit(node)
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str):
            try:
                parsed: ast.AST = self.visit(ast.parse(node.value, mode="eval").body)
                return parsed
            except SyntaxError:
                return node
        return node


def annotation(node: ast.expr, names: set[str] | None = None) -> str:
    """A type annotation as a normalized string; adds the names it mentions to `names`."""
    if isinstance(node, ast.Name):  # the common case, quickly
        if names is not None:
            names.add(node.id)
        return node.id
    return ast.unparse(_Normalize(set() if names is None else names).visit(node))


# --- JSON --------------------------------------------------------------------------------------


def dumps(surface: Surface, comment: str) -> str:
    """The surface as stable, indented JSON whose first key is `comment` (the do-not-edit note)."""
    data: dict[str, Any] = {
        "comment": comment,
        "version": _VERSION,
        "operations": {
            o.name: {
                "method": o.method,
                "path": o.path,
                "parameters": [
                    {"name": p.name, "in": p.location, "required": p.required, "type": p.type}
                    for p in o.parameters
                ],
                "result": o.result,
            }
            for o in surface.operations
        },
        "models": {m.name: _model_json(m) for m in surface.models},
        "errors": dict(surface.errors),
        "environments": dict(surface.environments),
    }
    if surface.channels:
        data["channels"] = {
            c.name: {
                "address": c.address,
                "parameters": [
                    {"name": p.name, "in": p.location, "required": p.required, "type": p.type}
                    for p in c.parameters
                ],
                "sends": list(c.sends),
                "receives": list(c.receives),
                "servers": list(c.servers),
            }
            for c in surface.channels
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _model_json(model: ModelSurface) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if model.fields is not None:
        data["fields"] = [
            {"name": f.name, "type": f.type, "required": f.required} for f in model.fields
        ]
    else:
        data["type"] = model.type
    data["used_in"] = list(model.used_in)
    return data


def loads(text: str) -> Surface:
    """Read a surface written by `dumps`; raises ValueError when it is not one."""
    try:
        data = json.loads(text)
        if data.get("version") != _VERSION:
            raise ValueError(f"unknown surface version {data.get('version')!r}")
        operations = tuple(
            OperationSurface(
                name,
                o["method"],
                o["path"],
                tuple(
                    ParameterSurface(p["name"], p["in"], bool(p["required"]), p["type"])
                    for p in o["parameters"]
                ),
                o["result"],
            )
            for name, o in data["operations"].items()
        )
        models = tuple(
            ModelSurface(
                name,
                tuple(ModelField(f["name"], f["type"], bool(f["required"])) for f in m["fields"])
                if "fields" in m
                else None,
                m.get("type"),
                tuple(m.get("used_in", ())),
            )
            for name, m in data["models"].items()
        )
        channels = tuple(
            ChannelSurface(
                name,
                c["address"],
                tuple(
                    ParameterSurface(p["name"], p["in"], bool(p["required"]), p["type"])
                    for p in c["parameters"]
                ),
                tuple(c["sends"]),
                tuple(c["receives"]),
                tuple(c["servers"]),
            )
            for name, c in data.get("channels", {}).items()
        )
        return Surface(
            operations,
            models,
            tuple((str(k), int(v)) for k, v in data["errors"].items()),
            tuple((str(k), str(v)) for k, v in data["environments"].items()),
            channels,
        )
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a surface file: {exc}") from None

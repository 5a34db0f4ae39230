"""Channel views: what the templates print of a WebSocket channel (its module and `connect`).

A channel's module (`realtime/<module>.py`, channel.py.jinja) gathers its message models, the
unions of what the server and the client send, and its `RealtimeChannel` (the runtime's): the
address, the decodable server messages, the ws servers by the client's environments, the
automatic replies. `connect` (_connect.jinja), on the channel's group, opens it with the
client's transport; names, literals and annotations are computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..api import Api, Channel, ChannelArgument, Operation, Prim, render_type, union
from ..escape import string_literal
from ..layout import import_block
from .docstrings import entry
from .views import annotation, collect_types, model_imports

__all__ = ["ChannelModuleView", "ConnectView", "channel_module_view", "connect_views"]

_TIMEOUTS = (
    ("receive_timeout", "float | None", "None"),
    ("connect_timeout", "float | None", "REALTIME_CONNECT_TIMEOUT"),
)


@dataclass(frozen=True)
class ChannelModuleView:
    """The channel module: `imports` laid out by the template a statement a line."""

    doc: str  # not yet escaped
    imports: tuple[str, ...]
    exports: tuple[str, ...]  # literals, sorted
    server_alias: str
    client_alias: str
    channel: str  # the RealtimeChannel's name
    messages: str  # the tuple of decodable models' name
    server_models: tuple[str, ...]  # decodable: one model per `type`, in document order
    server_union: str  # the alias's value
    client_union: str
    address: str  # literal
    servers: tuple[tuple[str, str], ...]  # (base URL literal, ws URL literal)
    replies: tuple[tuple[str, str], ...]  # (server type literal, Reply(...) expression)
    required: tuple[str, ...]  # literals
    distribution: str  # literal


@dataclass(frozen=True)
class ConnectView:
    """A `connect` method: arguments (name, annotation, default) after `*`."""

    name: str
    module: str  # the channel module, dotted
    server_alias: str
    channel: str  # the RealtimeChannel's name in it
    arguments: tuple[tuple[str, str, str], ...]
    path: tuple[tuple[str, str], ...]  # (wire name literal, argument)
    query: tuple[tuple[str, str], ...]
    # A signed URL: the operation module, the signing function's parameters (name,
    # annotation), what it passes to request(...) and the result's field; sign_with pairs.
    sign_module: str
    sign_params: tuple[tuple[str, str], ...]
    sign_field: str
    sign_with: tuple[tuple[str, str], ...]  # (parameter literal, argument)
    docs: Mapping[str, str]  # by mode (sync, async), not yet escaped


def _free(name: str, models: set[str]) -> str:
    while name in models:
        name += "_"
    return name


def _aliases(models: set[str]) -> tuple[str, str]:
    """The names of the unions, distinct from the models' (a message may be named so)."""
    return _free("ServerMessage", models), _free("ClientMessage", models)


def constants(models: set[str]) -> tuple[str, str]:
    """The names of the channel and of the tuple of server models, distinct from the models'."""
    return _free("CHANNEL", models), _free("SERVER_MESSAGES", models)


def _decodable(channel: Channel) -> list[str]:
    """The models the decoder knows: the first received message of each string `type`."""
    seen: dict[str, str] = {}
    for message in channel.receives:
        if isinstance(message.tag, str) and message.tag not in seen:
            seen[message.tag] = message.model
    return list(dict.fromkeys(seen.values()))


def _reply(on: str, send: str, copy: Sequence[tuple[str, str]]) -> str:
    fields = ", ".join(f"{string_literal(k)}: {string_literal(v)}" for k, v in copy)
    copied = f", copy={{{fields}}}" if copy else ""
    return f"Reply({string_literal(send)}{copied})"


def channel_module_view(
    api: Api, channel: Channel, package: str, module_of: Mapping[str, str], distribution: str
) -> ChannelModuleView:
    server_models = _decodable(channel)
    client_models = list(dict.fromkeys(m.model for m in channel.sends))
    every = {m.model for m in (*channel.receives, *channel.sends)} & module_of.keys()
    server_alias, client_alias = _aliases(every)
    statements = model_imports(package, module_of, every)
    runtime = ["RealtimeChannel", *(["Reply"] if channel.replies else [])]
    runtime += [] if server_models else ["UnknownMessage"]
    typing = ["TypeAlias", *([] if client_models else ["Any"])]
    statements += [
        f"from typing import {', '.join(typing)}",
        f"from {package}._runtime import {', '.join(runtime)}",
    ]
    environments = {s.member: s.url for s in api.servers}
    servers = [
        (string_literal(environments[s.environment].rstrip("/")), string_literal(s.url))
        for s in channel.servers
        if s.environment in environments
    ]
    doc = [f"The `{channel.address}` channel: its messages, and what opens it."]
    if channel.description or channel.summary:
        doc += ["", channel.description or channel.summary]
    doc += [
        "",
        f"Opened by `{'.'.join(('client', *channel.groups, channel.method_name))}(...)`;"
        f" {server_alias} is what the server sends (a type not listed arrives as an"
        f" UnknownMessage), {client_alias} what the client may send.",
    ]
    required = [a.name for a in channel.arguments if a.required]
    channel_name, messages_name = constants(every)
    exports = {server_alias, client_alias, channel_name, messages_name, *every}
    return ChannelModuleView(
        doc="\n".join(doc),
        imports=tuple(import_block(statements, package)),
        exports=tuple(string_literal(n) for n in sorted(exports)),
        server_alias=server_alias,
        client_alias=client_alias,
        channel=channel_name,
        messages=messages_name,
        server_models=tuple(server_models),
        server_union=" | ".join(server_models) or "UnknownMessage",
        client_union=" | ".join(client_models) or "dict[str, Any]",
        address=string_literal(channel.address),
        servers=tuple(servers),
        replies=tuple(
            (string_literal(r.on), _reply(r.on, r.send, r.copy)) for r in channel.replies
        ),
        required=tuple(string_literal(n) for n in required),
        distribution=string_literal(distribution),
    )


def _argument(argument: ChannelArgument, optional: bool) -> tuple[str, str, str]:
    if optional or not argument.required:
        return (
            argument.python_name,
            annotation(render_type(union([argument.type, Prim("None")]))),
            "None",
        )
    return argument.python_name, annotation(render_type(argument.type)), ""


def _docs(
    channel: Channel, view: ConnectView, arguments: Sequence[ChannelArgument]
) -> dict[str, str]:
    intro = [f"Open a real-time session on `{channel.address}`."]
    if channel.description or channel.summary:
        intro += ["", channel.description or channel.summary]
    how = (
        "With signed_url, that URL is opened as given. Otherwise, when the client has"
        f" credentials, `{channel.signing.method_name}` is asked for a signed URL first;"
        " without any, the channel is opened on the server of the client's environment."
        if channel.signing is not None
        else "The channel is opened on the server of the client's environment, with the"
        " client's credentials."
    )
    intro += ["", f"{how} Needs the `realtime` extra (websockets).", ""]
    lines = ["Parameters", "----------"]
    for argument in arguments:
        name, kind, _ = _argument(argument, channel.signing is not None)
        lines += [*entry(f"{name} : {kind}", argument.description), ""]
    if channel.signing is not None:
        lines += [*entry("signed_url : str | None", "A signed URL to open as given."), ""]
    lines += [
        *entry("receive_timeout : float | None", "Seconds to wait for a message (None: no limit)."),
        "",
        *entry("connect_timeout : float | None", "Seconds to wait for the connection."),
        "",
    ]
    docs = {}
    for mode, kind, use in (
        ("sync", "SyncRealtimeSession", "`with` it"),
        ("async", "AsyncRealtimeSession", "`async with` it"),
    ):
        returns = f"{kind}[{view.server_alias}]"
        text = f"Not yet connected: {use} to connect; iterate it for the server's messages."
        body = [*intro, *lines, "Returns", "-------", *entry(returns, text)]
        docs[mode] = "\n".join(body) + "\n"
    return docs


def _connect(channel: Channel, package: str, operations: Mapping[str, Operation]) -> ConnectView:
    signing = channel.signing
    arguments = tuple(_argument(a, signing is not None) for a in channel.arguments)
    if signing is not None:
        arguments += (("signed_url", "str | None", "None"),)
    sign_params: tuple[tuple[str, str], ...] = ()
    if signing is not None:
        op = operations[signing.module_name]
        types = {p.python_name: p.type for p in op.parameters}
        sign_params = tuple(
            (name, annotation(render_type(types[name]))) for name, _ in signing.arguments
        )
    return ConnectView(
        name=channel.method_name,
        module=f"{package}.realtime.{channel.module_name}",
        server_alias="",
        channel="",
        arguments=arguments + _TIMEOUTS,
        path=tuple(
            (string_literal(a.name), a.python_name)
            for a in channel.arguments
            if a.location == "path"
        ),
        query=tuple(
            (string_literal(a.name), a.python_name)
            for a in channel.arguments
            if a.location == "query"
        ),
        sign_module=signing.module_name if signing is not None else "",
        sign_params=sign_params,
        sign_field=signing.field if signing is not None else "",
        sign_with=tuple((string_literal(p), a) for p, a in (signing.arguments if signing else ())),
        docs={},
    )


def connect_views(
    api: Api, group: tuple[str, ...], package: str, module_of: Mapping[str, str]
) -> tuple[tuple[ConnectView, ...], list[str]]:
    """The `connect` methods of a group, and the statements its `if TYPE_CHECKING:` block
    needs for them (the sessions, the server message unions, models of argument types)."""
    operations = {op.module_name: op for op in api.operations}
    views: list[ConnectView] = []
    statements: list[str] = []
    for channel in api.channels:
        if channel.groups != group:
            continue
        every = {m.model for m in (*channel.receives, *channel.sends)} & module_of.keys()
        server_alias, _ = _aliases(every)
        view = replace(
            _connect(channel, package, operations),
            server_alias=server_alias,
            channel=constants(every)[0],
        )
        view = replace(view, docs=_docs(channel, view, channel.arguments))
        views.append(view)
        names = collect_types([a.type for a in channel.arguments]) & module_of.keys()
        statements += model_imports(package, module_of, names)
        statements.append(f"from {view.module} import {server_alias}")
    if views:
        statements.append(
            f"from {package}._runtime import AsyncRealtimeSession, SyncRealtimeSession"
        )
    return tuple(views), statements

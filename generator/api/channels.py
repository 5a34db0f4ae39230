"""Channels: the WebSocket channels of AsyncAPI 2.x/3.0 documents → `Channel`s of the IR.

Directions are the client's: in AsyncAPI 2.x `publish` is what the application (the client)
sends and `subscribe` what it receives; in 3.0 an operation's `action` says it (`send`,
`receive`). Each message's payload is a model named after the message (component schemas the
payloads use are hoisted beside the spec's models, see channel_schemas.py); a message used in
both directions is one model. The group a channel's `connect` lives on: [tool.generator.channels]
groups (by address or channel name), else `x-fern-sdk-group-name` on the channel or one of its
operations, else the group of the spec's operations under the longest prefix of the address
they share (`/v1/convai/conversation` → that of `/v1/convai/conversation/get-signed-url`), when
they agree on one; else the client itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ..config import Config
from ..diagnostics import Diagnostic, join_pointer
from ..spec import MISSING, AsyncApiDocument, resolve_pointer
from .channel_auth import credential_query, signing
from .channel_groups import channel_group, explicit_method, method_names, module_names, with_groups
from .channel_messages import Messages, channel_messages
from .channel_schemas import component_refs, convert
from .context import Built, Findings, Hoister, text
from .ir import (
    Api,
    Channel,
    ChannelArgument,
    ChannelReply,
    ChannelServer,
    Prim,
)
from .naming import client_class_names, constant_name, snake_case, unique_names
from .types import TypeResolver

__all__ = ["with_channels"]

_SCHEMES = {"wss": "https", "ws": "http"}
_CONNECT_RESERVED = {
    "self",
    "signed_url",
    "receive_timeout",
    "connect_timeout",
    "headers",
    "_op",
    "_sign_url",
}


@dataclass
class _Doc:
    """One document while its channels are built."""

    doc: AsyncApiDocument
    found: Findings
    names: dict[str, str]  # component schema name → class name


def with_channels(
    built: Built,
    documents: Sequence[AsyncApiDocument],
    openapi: Mapping[str, Any],
    config: Config,
) -> Built:
    """`built` with the channels of `documents` in its Api, their models hoisted, and the
    located diagnostics about them (errors when a problem, or with --strict a defect)."""
    if not documents:
        return built
    api = built.api
    schemas = (openapi.get("components") or {}).get("schemas") or {}
    taken = (
        {cls for _, cls in api.schema_classes}
        | {name for name, _ in built.hoisted}
        | set(schemas)
        | client_class_names(
            {g.class_stem for g in api.groups if g.class_stem},
            (config.client, config.async_client, config.environment_enum),
        )
    )
    hoister = Hoister(set(taken))
    channels: list[Channel] = []
    diagnostics: list[Diagnostic] = []
    for document in documents:
        state = _Doc(document, Findings(strict=config.strict), {})
        channels += _document_channels(state, api, openapi, hoister, config)
        diagnostics += [document.diagnostic(p, m) for p, m in state.found.problems]
        diagnostics += [
            document.diagnostic(p, m, "warning", "channel") for p, m in state.found.warnings
        ]
    api = with_groups(api, channels)
    channels = module_names(method_names(channels, api.groups))
    return replace(
        built,
        api=replace(api, channels=tuple(channels)),
        hoisted=built.hoisted + tuple(hoister.items),
        located=built.located + tuple(diagnostics),
    )


def _document_channels(
    state: _Doc, api: Api, openapi: Mapping[str, Any], hoister: Hoister, config: Config
) -> list[Channel]:
    document = state.doc.document
    found = state.found
    raw_channels = document.get("channels")
    if not isinstance(raw_channels, Mapping) or not raw_channels:
        found.defect("/channels", "the document declares no channels; nothing is generated")
        return []
    listed = [
        (str(key), f"/channels/{_escape(str(key))}", value)
        for key, value in raw_channels.items()
        if isinstance(value, Mapping)
    ]
    messages = channel_messages(document, state.doc.major, listed, found)
    _name_models(state, messages, hoister)
    schemas = (document.get("components") or {}).get("schemas") or {}
    resolver = TypeResolver({"components": {"schemas": schemas}}, state.names)
    result = []
    for name, pointer, channel in listed:
        address = name if state.doc.major == 2 else str(channel.get("address") or "")
        if state.doc.major == 3 and not address:
            found.defect(pointer, f"channel {name!r} has no address; it is left out")
            continue
        stem = snake_case(address or name)
        arguments = _arguments(state, resolver, hoister, pointer, channel, address, stem)
        arguments, credentials = credential_query(api, arguments)
        sends, receives = messages.of(pointer)
        ops = messages.operations(pointer)
        groups = channel_group(config, name, address, channel, ops, api)
        signed = signing(api, openapi, config, (address, name), groups, arguments, found, pointer)
        result.append(
            Channel(
                name=name,
                address=address,
                groups=groups,
                method_name=explicit_method(channel, ops) or "",
                summary=text(channel.get("summary")),
                description=text(channel.get("description")),
                arguments=arguments,
                sends=sends,
                receives=receives,
                servers=_servers(state, channel, pointer, api),
                replies=_replies(config, document, receives),
                signed_url=signed.method_name if signed is not None else None,
                document=state.doc.source.display,
                pointer=pointer,
                signing=signed,
                credential_query=credentials,
            )
        )
    return result


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _name_models(state: _Doc, messages: Messages, hoister: Hoister) -> None:
    """Hoist every component schema the channels use (a message's payload named after the
    message) and every inline payload; the messages get their models' names."""
    document = state.doc.document
    schemas = (document.get("components") or {}).get("schemas") or {}
    schemas = schemas if isinstance(schemas, Mapping) else {}
    stems: dict[str, str] = {}
    for message in messages.unique():
        if message.component is not None and message.component not in stems:
            stems[message.component] = message.name
    wanted: list[str] = []
    pending = [*stems, *messages.query_components]
    pending += [ref for m in messages.unique() for ref in component_refs(m.payload)]
    while pending:
        component = pending.pop(0)
        if component in wanted or component not in schemas:
            continue
        wanted.append(component)
        pending.extend(component_refs(schemas[component]))
    for component in wanted:
        state.names[component] = hoister.name_for(stems.get(component, component), None).name
    hoister.items[-len(wanted) :] = (
        [(state.names[c], convert(schemas[c], state.names)) for c in wanted] if wanted else []
    )
    for message in messages.unique():
        if message.component is not None and message.component in state.names:
            message.model = state.names[message.component]
        else:
            payload = convert(message.payload, state.names) if message.payload else {}
            message.model = hoister.name_for(message.name, payload or {"type": "object"}).name


def _arguments(
    state: _Doc,
    resolver: TypeResolver,
    hoister: Hoister,
    pointer: str,
    channel: Mapping[str, Any],
    address: str,
    stem: str,
) -> tuple[ChannelArgument, ...]:
    """The address's {parameters} (required), then the `ws` binding's query properties."""
    document = state.doc.document
    found = state.found
    raw: list[tuple[str, str, bool, Any, str, Any, str]] = []
    declared = channel.get("parameters")
    declared = declared if isinstance(declared, Mapping) else {}
    for name in dict.fromkeys(re.findall(r"\{([^{}]+)\}", address)):
        at = f"{pointer}/parameters/{_escape(name)}"
        param = _deref(document, declared.get(name))
        if not isinstance(param, Mapping):
            found.defect(
                f"{pointer}/parameters" if declared else pointer,
                f"address parameter {name!r} is not declared in the channel's parameters;"
                " typed str",
            )
            param = {}
        schema = param.get("schema")
        if not isinstance(schema, Mapping):  # 3.0: the parameter holds enum/default itself
            values = param.get("enum")
            schema = {"type": "string", **({"enum": values} if isinstance(values, list) else {})}
        raw.append((name, "path", True, schema, text(param.get("description")), None, at))
    query = _deref(document, ((channel.get("bindings") or {}).get("ws") or {}).get("query"))
    if isinstance(query, Mapping):
        at_query = f"{pointer}/bindings/ws/query"
        listed: list[Any] = query["required"] if isinstance(query.get("required"), list) else []
        properties = query.get("properties")
        for name, prop in (properties or {}).items() if isinstance(properties, Mapping) else ():
            prop = prop if isinstance(prop, Mapping) else {}
            schema = prop.get("schema") if _parameter_shaped(prop) else prop
            description = text(prop.get("description")) or text(
                _deref(document, schema).get("description") if isinstance(schema, Mapping) else ""
            )
            default = _deref(document, schema)
            default = default.get("default") if isinstance(default, Mapping) else None
            at = f"{at_query}/properties/{_escape(str(name))}"
            raw.append((str(name), "query", name in listed, schema, description, default, at))
    python = unique_names([snake_case(n) for n, *_ in raw], taken=_CONNECT_RESERVED, sep="_")
    arguments = []
    for (name, location, required, schema, description, default, at), py in zip(
        raw, python, strict=True
    ):
        kind = resolver.type_of(schema, name_enum=hoister.enums(f"{stem} {name}"))
        if location == "path" and kind == Prim("Any"):
            kind = Prim("str")
        plain = default if isinstance(default, str | int | float | bool) else None
        arguments.append(
            ChannelArgument(name, py, location, required, kind, description, at, plain)  # type: ignore[arg-type]
        )
    return tuple(arguments)


def _parameter_shaped(prop: Mapping[str, Any]) -> bool:
    """`{description, schema}` (a Parameter Object's shape) rather than a JSON Schema."""
    return isinstance(prop.get("schema"), Mapping) and "type" not in prop and "$ref" not in prop


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    for _ in range(16):
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            return node
        ref = node["$ref"]
        node = resolve_pointer(document, ref[1:]) if ref.startswith("#") else MISSING
    return node


def _servers(
    state: _Doc, channel: Mapping[str, Any], pointer: str, api: Api
) -> tuple[ChannelServer, ...]:
    """The document's ws/wss servers the channel is on, each paired with the client's
    environment on the same host when there is one."""
    document = state.doc.document
    declared = document.get("servers")
    declared = declared if isinstance(declared, Mapping) else {}
    only = channel.get("servers")
    names: list[str] = list(declared)
    if isinstance(only, list) and only:
        picked = []
        for item in only:
            ref = item.get("$ref") if isinstance(item, Mapping) else item
            if isinstance(ref, str):
                picked.append(ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~"))
        names = [n for n in picked if n in declared]
    hosts = {urlsplit(s.url).scheme + "://" + urlsplit(s.url).netloc: s.member for s in api.servers}
    result: list[tuple[str, str, str | None, str]] = []
    for name in names:
        server = _deref(document, declared[name])
        if not isinstance(server, Mapping):
            continue
        url = _server_url(server, state.doc.major)
        scheme = urlsplit(url).scheme.lower()
        if scheme not in _SCHEMES:
            state.found.warn(
                f"/servers/{_escape(name)}",
                f"server {name!r} ({url}) is not a WebSocket server (ws, wss); not used",
            )
            continue
        parts = urlsplit(url)
        environment = hosts.get(f"{_SCHEMES[scheme]}://{parts.netloc}")
        description = text(server.get("description"))
        result.append((url, constant_name(name, fallback="SERVER"), environment, description))
    members = unique_names([environment or member for _, member, environment, _ in result])
    return tuple(
        ChannelServer(url, member, environment, description)
        for (url, _, environment, description), member in zip(result, members, strict=True)
    )


def _server_url(server: Mapping[str, Any], major: int) -> str:
    protocol = str(server.get("protocol") or "").lower()
    if major == 3:
        host = str(server.get("host") or "")
        return f"{protocol}://{host}{server.get('pathname') or ''}"
    url = str(server.get("url") or "")
    return url if "://" in url else f"{protocol}://{url}"


def _replies(
    config: Config, document: Mapping[str, Any], receives: Sequence[Any]
) -> tuple[ChannelReply, ...]:
    """Replies for the server messages this channel receives: [tool.generator.channels]
    replies first, then an `x-reply: {type, copy}` on a message of the document (which an
    overlay may add)."""
    tags = {m.tag: m for m in receives if isinstance(m.tag, str)}
    replies: dict[str, ChannelReply] = {}
    for on, send, copy in config.channel_replies:
        if on in tags:
            replies[on] = ChannelReply(on, send, copy, "[tool.generator.channels.replies]")
    for tag, message in tags.items():
        declared = resolve_pointer(document, message.pointer)
        reply = declared.get("x-reply") if isinstance(declared, Mapping) else None
        if tag in replies or not isinstance(reply, Mapping):
            continue
        kind, fields = reply.get("type"), reply.get("copy") or {}
        if isinstance(kind, str) and kind and isinstance(fields, Mapping):
            pairs = tuple((str(k), v) for k, v in fields.items() if isinstance(v, str))
            where = message.pointer + join_pointer("x-reply")
            replies[tag] = ChannelReply(tag, kind, pairs, where)
    return tuple(replies.values())

"""Channel messages: which messages each channel of an AsyncAPI document sends and receives.

2.x: a channel's `publish` operation lists what the client sends, `subscribe` what it receives
(a message, a `$ref` to one, or `oneOf` of those). 3.0: each operation of `operations` names its
channel (`$ref`) and `action` (send/receive), and its `messages` (else every message of the
channel). A message reached by several `$ref`s is one message, whatever the direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..spec import resolve_pointer
from .channel_schemas import component_refs, payload_literals
from .context import Findings, text
from .ir import ChannelMessage, Direction

__all__ = ["Messages", "channel_messages"]

_PREFIX = "#/components/schemas/"
# Payload formats read as JSON Schema; any other (Avro, RAML, protobuf) is not.
_JSON_FORMATS = ("application/vnd.aai.asyncapi", "application/schema+", "application/vnd.oai")


@dataclass
class Message:
    """A message while the channels are built; `model` is set once its payload is named."""

    name: str
    pointer: str
    payload: Any
    component: str | None  # the component schema the payload is a `$ref` to
    summary: str
    description: str
    tag: str | int | bool | None
    literals: tuple[tuple[str, str | int | bool], ...]
    model: str = ""

    def ir(self) -> ChannelMessage:
        return ChannelMessage(
            self.name,
            self.model,
            self.tag,
            self.literals,
            self.summary,
            self.description,
            self.pointer,
        )


@dataclass
class Messages:
    """Each channel's messages by direction (by the channel's pointer) and its operations."""

    by_pointer: dict[str, Message] = field(default_factory=dict)
    directions: dict[str, dict[Direction, list[str]]] = field(default_factory=dict)
    ops: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    query_components: list[str] = field(default_factory=list)

    def unique(self) -> list[Message]:
        return list(self.by_pointer.values())

    def of(self, channel: str) -> tuple[tuple[ChannelMessage, ...], tuple[ChannelMessage, ...]]:
        sides = self.directions.get(channel, {})
        return (
            tuple(self.by_pointer[p].ir() for p in sides.get("send", [])),
            tuple(self.by_pointer[p].ir() for p in sides.get("receive", [])),
        )

    def operations(self, channel: str) -> list[Mapping[str, Any]]:
        return self.ops.get(channel, [])


def channel_messages(
    document: Mapping[str, Any],
    major: int,
    channels: Sequence[tuple[str, str, Mapping[str, Any]]],
    found: Findings,
) -> Messages:
    messages = Messages()
    for _, pointer, channel in channels:
        query = ((channel.get("bindings") or {}).get("ws") or {}).get("query")
        messages.query_components += component_refs(query)
        if major == 2:
            sides: tuple[tuple[str, Direction], ...] = (
                ("publish", "send"),
                ("subscribe", "receive"),
            )
            for key, direction in sides:
                op = channel.get(key)
                if isinstance(op, Mapping):
                    messages.ops.setdefault(pointer, []).append(op)
                    at = f"{pointer}/{key}/message"
                    for item, item_at in _listed(op.get("message"), at):
                        _add(messages, document, pointer, direction, item, item_at, found)
    if major == 3:
        _operations_3(messages, document, channels, found)
    _check_tags(messages, found)
    return messages


def _listed(node: Any, at: str) -> list[tuple[Any, str]]:
    if isinstance(node, Mapping) and isinstance(node.get("oneOf"), list):
        return [(item, f"{at}/oneOf/{i}") for i, item in enumerate(node["oneOf"])]
    return [(node, at)] if node is not None else []


def _operations_3(
    messages: Messages,
    document: Mapping[str, Any],
    channels: Sequence[tuple[str, str, Mapping[str, Any]]],
    found: Findings,
) -> None:
    known = {pointer for _, pointer, _ in channels}
    operations = document.get("operations")
    for name, op in (operations or {}).items() if isinstance(operations, Mapping) else ():
        at = f"/operations/{_escape(str(name))}"
        if not isinstance(op, Mapping):
            continue
        ref = (
            (op.get("channel") or {}).get("$ref")
            if isinstance(op.get("channel"), Mapping)
            else None
        )
        action = op.get("action")
        if not (isinstance(ref, str) and ref.startswith("#") and ref[1:] in known):
            found.defect(
                f"{at}/channel", f"operation {name!r} names no channel of the document; ignored"
            )
            continue
        if action not in ("send", "receive"):
            found.defect(
                f"{at}/action",
                f"operation {name!r} has action {action!r}, not send or receive; ignored",
            )
            continue
        channel_pointer = ref[1:]
        messages.ops.setdefault(channel_pointer, []).append(op)
        listed = op.get("messages")
        if isinstance(listed, list):
            items = [(item, f"{at}/messages/{i}") for i, item in enumerate(listed)]
        else:
            own = resolve_pointer(document, channel_pointer).get("messages") or {}
            items = [
                (item, f"{channel_pointer}/messages/{_escape(str(key))}")
                for key, item in (own.items() if isinstance(own, Mapping) else ())
            ]
        for item, item_at in items:
            _add(messages, document, channel_pointer, action, item, item_at, found)
    for _, pointer, _channel in channels:
        if pointer not in messages.ops:
            found.warn(
                pointer, "no operation sends or receives on this channel; it has no messages"
            )


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _follow(document: Mapping[str, Any], node: Any, at: str) -> tuple[Any, str]:
    """The object at the end of a chain of `$ref`s, and its pointer."""
    for _ in range(16):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not (isinstance(ref, str) and ref.startswith("#")):
            break
        node, at = resolve_pointer(document, ref[1:]), ref[1:]
    return node, at


def _add(
    messages: Messages,
    document: Mapping[str, Any],
    channel: str,
    direction: Direction,
    item: Any,
    at: str,
    found: Findings,
) -> None:
    node, pointer = _follow(document, item, at)
    if not isinstance(node, Mapping):
        found.defect(at, "not a message object; left out")
        return
    sides = messages.directions.setdefault(channel, {})
    listed = sides.setdefault(direction, [])
    if pointer not in listed:
        listed.append(pointer)
    if pointer in messages.by_pointer:
        return
    payload = node.get("payload")
    schema_format = node.get("schemaFormat")
    if isinstance(payload, Mapping) and "schemaFormat" in payload and "schema" in payload:
        schema_format, payload = payload.get("schemaFormat"), payload.get("schema")  # 3.0
    if isinstance(schema_format, str) and not schema_format.startswith(_JSON_FORMATS):
        found.defect(
            f"{pointer}/payload",
            f"payload schema format {schema_format!r} is not JSON Schema; read as an untyped object",
        )
        payload = None
    if payload is None:
        found.defect(pointer, "message has no payload; read as an untyped object")
    ref = payload.get("$ref") if isinstance(payload, Mapping) else None
    component = (
        ref[len(_PREFIX) :].replace("~1", "/").replace("~0", "~")
        if (isinstance(ref, str) and ref.startswith(_PREFIX))
        else None
    )
    literals = payload_literals(document, payload)
    tag = literals.get("type")
    messages.by_pointer[pointer] = Message(
        name=_name(node, pointer),
        pointer=pointer,
        payload=payload,
        component=component,
        summary=text(node.get("summary")) or text(node.get("title")),
        description=text(node.get("description")),
        tag=tag,
        literals=tuple(literals.items()),
    )


def _name(node: Mapping[str, Any], pointer: str) -> str:
    """The message's component key, else its messageId, name or title, else where it is."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")]
    if len(parts) == 4 and parts[1] == "components" and parts[2] == "messages":
        return parts[3]
    for key in ("messageId", "name", "title"):
        if isinstance(node.get(key), str) and node[key].strip():
            return str(node[key]).strip()
    return "_".join(p for p in parts if p and not p.isdigit())[-60:] or "Message"


def _check_tags(messages: Messages, found: Findings) -> None:
    """Two messages one side receives with the same `type` cannot be told apart: a defect."""
    for sides in messages.directions.values():
        seen: dict[Any, str] = {}
        for pointer in sides.get("receive", []):
            tag = messages.by_pointer[pointer].tag
            if tag is None:
                continue
            if tag in seen and seen[tag] != pointer:
                found.defect(
                    pointer,
                    f"message type {tag!r} is also the type of {seen[tag]}: received messages"
                    " are told apart by their type; the first one is decoded",
                )
            seen.setdefault(tag, pointer)

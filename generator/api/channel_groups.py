"""Channel groups: where a channel's `connect` lives, what it and its module are called.

The group: [tool.generator.channels] groups (by address or channel name), else
`x-fern-sdk-group-name` on the channel or one of its operations, else the group of the spec's
operations under the longest prefix of the address they share (`/v1/convai/conversation` →
that of `/v1/convai/conversation/get-signed-url`), when they agree on one; else the client
itself. A group no operation has is added to the client tree. The method: `connect` (several in
a group: `connect_<last segment>`; `x-fern-sdk-method-name` wins), distinct from the group's
operations and subgroups. The module: the address's last segment, in the `realtime` folder.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..config import Config
from .ir import Api, Channel, Group, Operation
from .naming import class_name, snake_case, unique_names

__all__ = ["channel_group", "explicit_method", "method_names", "module_names", "with_groups"]

_RESERVED = {"with_raw_response", "with_streaming_response", "close", "aclose"}


def channel_group(
    config: Config,
    name: str,
    address: str,
    channel: Mapping[str, Any],
    operations: Sequence[Mapping[str, Any]],
    api: Api,
) -> tuple[str, ...]:
    """The group of a channel's connect (see the module docstring)."""
    configured = dict(config.channel_groups)
    for key in (address, name):
        if key in configured:
            return tuple(p for p in configured[key].split(".") if p)
    for holder in (channel, *operations):
        group = holder.get("x-fern-sdk-group-name")
        if isinstance(group, str) and group:
            return (snake_case(group),)
        if isinstance(group, list) and group and all(isinstance(g, str) for g in group):
            return tuple(snake_case(g) for g in group)
    return _group_by_address(address, api.operations)


def _segments(path: str) -> list[str]:
    return ["{}" if s.startswith("{") else s for s in path.split("/") if s]


def _group_by_address(address: str, operations: Sequence[Operation]) -> tuple[str, ...]:
    """The group of the operations under the longest prefix of `address` (at least two
    segments) that some operations' paths start with, when they all have one group."""
    segments = _segments(address)
    for length in range(len(segments), 1, -1):
        prefix = segments[:length]
        groups = {op.groups for op in operations if _segments(op.path)[:length] == prefix}
        if len(groups) == 1:
            return groups.pop()
        if groups:
            return ()
    return ()


def explicit_method(channel: Mapping[str, Any], operations: Sequence[Mapping[str, Any]]) -> str:
    for holder in (channel, *operations):
        method = holder.get("x-fern-sdk-method-name")
        if isinstance(method, str) and method:
            return snake_case(method)
    return ""


def method_names(channels: list[Channel], groups: Sequence[Group]) -> list[Channel]:
    """`connect`, or `connect_<last segment>` when a group has several channels (or the name
    the document gives); distinct within each group."""
    per_group: dict[tuple[str, ...], list[int]] = {}
    for index, channel in enumerate(channels):
        per_group.setdefault(channel.groups, []).append(index)
    result = list(channels)
    by_path = {g.path: g for g in groups}
    for path, indexes in per_group.items():
        group = by_path.get(path)
        taken = set(_RESERVED) | (
            {op.method_name for op in group.operations} | set(group.children) if group else set()
        )
        wanted = []
        for index in indexes:
            channel = channels[index]
            last = [s for s in channel.address.split("/") if s and not s.startswith("{")]
            alone = len(indexes) == 1
            stem = (
                "connect" if alone else f"connect_{snake_case(last[-1] if last else channel.name)}"
            )
            name = channel.method_name or stem
            wanted.append(name + "_" if keyword.iskeyword(name) or not name else name)
        for index, name in zip(indexes, unique_names(wanted, taken=taken), strict=True):
            result[index] = replace(channels[index], method_name=name)
    return result


def module_names(channels: list[Channel]) -> list[Channel]:
    """The module of each channel in the package's `realtime` folder: its address's last
    segment that is no {parameter} (else its name), distinct."""
    stems = []
    for channel in channels:
        last = [s for s in channel.address.split("/") if s and not s.startswith("{")]
        stem = snake_case(last[-1] if last else channel.name)
        stems.append(stem + "_" if keyword.iskeyword(stem) else stem or "channel")
    names = unique_names(stems, taken={"__init__"}, sep="_")
    return [replace(c, module_name=n) for c, n in zip(channels, names, strict=True)]


def with_groups(api: Api, channels: Sequence[Channel]) -> Api:
    """`api` with a group (without operations) for each channel group the spec has not."""
    groups = {g.path: g for g in api.groups}
    wanted = {c.groups[:depth] for c in channels for depth in range(len(c.groups) + 1)}
    if wanted <= groups.keys():
        return api
    for path in sorted(wanted - groups.keys()):
        groups[path] = Group(path, class_name(path[-1]) if path else "", (), ())
    result = []
    for path in sorted(groups):
        children = {
            p[len(path)] for p in groups if len(p) == len(path) + 1 and p[: len(path)] == path
        }
        result.append(replace(groups[path], children=tuple(sorted(children))))
    return replace(api, groups=tuple(result))

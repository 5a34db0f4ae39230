"""README, real time: the "Real-time conversations" section, an example a channel (sync, async).

Each example opens the channel with its `connect` (its required arguments, or those of its
signed-URL operation, given placeholders), sends the first client message that needs no
field (else a plain dict of its `type`; not a reply the session sends by itself), and iterates the server's events with `match`: the
first few models, and UnknownMessage for a type the document does not list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..api import Api, Channel
from ..config import Config
from ..escape import string_literal
from .surface import Surface

__all__ = ["RealtimeDoc", "realtime_docs"]

_SHOWN = 3  # server models matched in an example


@dataclass(frozen=True)
class RealtimeDoc:
    """One channel in the README: its `connect` (dotted, from the client), prose, examples."""

    method: str
    address: str
    replies: tuple[tuple[str, str], ...]  # (server type, reply type)
    sync_example: str
    async_example: str


def _first_sendable(channel: Channel, surface: Surface) -> tuple[str, str]:
    """(import name or "", the expression sent)."""
    replies = {r.send for r in channel.replies}  # the session sends those by itself
    for message in channel.sends:
        model = surface.model(message.model)
        if message.tag in replies or not isinstance(message.tag, str):
            continue
        fields = model.fields if model is not None else None
        if fields is not None and not any(f.required for f in fields):
            return message.model, f"{message.model}()"
    for message in channel.sends:
        if isinstance(message.tag, str):
            return "", f"{{{string_literal('type')}: {string_literal(message.tag)}}}"
    return "", "{}"


def _example(channel: Channel, api: Api, config: Config, surface: Surface, mode: str) -> str:
    package = config.package
    client = config.client if mode == "sync" else config.async_client
    shown = list(dict.fromkeys(m.model for m in channel.receives if isinstance(m.tag, str)))
    shown = shown[:_SHOWN]
    sent_import, sent = _first_sendable(channel, surface)
    names = sorted({*shown, *([sent_import] if sent_import else [])})
    arguments = [a for a in channel.arguments if a.required and a.location == "path"]
    if channel.signing is not None:
        passed = {name for _, name in channel.signing.arguments}
        arguments += [a for a in channel.arguments if a.python_name in passed]
    else:
        arguments += [a for a in channel.arguments if a.required and a.location == "query"]
    call = ", ".join(f"{a.python_name}={string_literal(a.name)}" for a in arguments)
    key = 'api_key="YOUR_API_KEY"' if config.auth is not None else ""
    method = ".".join(("client", *channel.groups, channel.method_name))
    lines = [*(["import asyncio", ""] if mode == "async" else [])]
    lines.append(f"from {package} import {client}")
    lines.append(f"from {package}.realtime import UnknownMessage")
    lines += _import(f"{package}.realtime.{channel.module_name}", names)
    lines.append("")
    indent = "    " if mode == "async" else ""
    body = [f"client = {client}({key})"]
    if mode == "async":
        body = ["", "async def main() -> None:", *(f"    {line}" for line in body)]
    lines += body
    awaited = "await " if mode == "async" else ""
    loop = "async for" if mode == "async" else "for"
    opened = "async with" if mode == "async" else "with"
    lines += [
        f"{indent}{opened} {method}({call}) as session:",
        f"{indent}    {awaited}session.send({sent})",
        f"{indent}    {loop} event in session:",
        f"{indent}        match event:",
    ]
    for model in shown:
        lines += [f"{indent}            case {model}():", f"{indent}                print(event)"]
    lines += [
        f"{indent}            case UnknownMessage(type=kind):",
        f'{indent}                print("a message the document does not list:", kind)',
    ]
    if mode == "async":
        lines += ["", "", "asyncio.run(main())"]
    return "\n".join(lines)


def _import(module: str, names: list[str]) -> list[str]:
    line = f"from {module} import {', '.join(names)}"
    if not names:
        return []
    if len(line) <= 88:
        return [line]
    return [f"from {module} import (", *(f"    {n}," for n in names), ")"]


def realtime_docs(api: Api, config: Config, surface: Surface) -> tuple[RealtimeDoc, ...]:
    """The README's real-time section, a channel at a time."""
    return tuple(
        RealtimeDoc(
            method=".".join(("client", *c.groups, c.method_name)),
            address=c.address,
            replies=tuple((r.on, r.send) for r in c.replies),
            sync_example=_example(c, api, config, surface, "sync"),
            async_example=_example(c, api, config, surface, "async"),
        )
        for c in api.channels
    )

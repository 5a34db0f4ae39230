"""Servers: the environments (base URLs) the client can send to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..config import Config
from .context import Findings, text
from .ir import (
    Server,
)
from .naming import constant_name, unique_names


def servers(document: Mapping[str, Any], config: Config, found: Findings) -> tuple[Server, ...]:
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
        Server(url=url, member=m, description=text(s.get("description")))
        for (url, s), m in zip(servers, unique, strict=True)
    )


def _server_url(server: Mapping[str, Any], at: str, found: Findings) -> str | None:
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

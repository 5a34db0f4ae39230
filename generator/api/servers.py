"""Servers: the environments (base URLs) the client can send to, the servers of single
operations, and the server variables the client's constructor sets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..config import Config
from ..diagnostics import join_pointer
from .context import HTTP_METHODS, Findings, text
from .ir import Server, ServerVariable
from .naming import constant_name, snake_case, unique_names


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
    for index, (template, server) in enumerate(servers):
        url = expand(template, _defaults(server))
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


def _server_url(
    server: Mapping[str, Any],
    at: str,
    found: Findings,
    operation: bool = False,
    known: frozenset[str] = frozenset(),
) -> str | None:
    """The URL template; None when a variable it uses has no default: a problem for the
    document's servers, a defect (the operation goes to the client's base URL) for an
    operation's."""
    url: str = server["url"]
    variables = server.get("variables")
    variables = variables if isinstance(variables, Mapping) else {}
    names = re.findall(r"\{([^{}]*)\}", url)
    missing = [n for n in names if _default(variables.get(n)) is None and n not in known]
    if missing:
        message = f"server URL {url!r} uses variable(s) with no default: {', '.join(missing)}"
        if operation:
            found.defect(f"{at}/url", f"{message}; not used")
        else:
            found.error(f"{at}/url", message)
        return None
    return url


def _defaults(server: Mapping[str, Any]) -> dict[str, str]:
    variables = server.get("variables")
    variables = variables if isinstance(variables, Mapping) else {}
    return {n: d for n, v in variables.items() if (d := _default(v)) is not None}


def _default(variable: Any) -> str | None:
    if not isinstance(variable, Mapping):
        return None
    default = variable.get("default")
    return None if default is None or isinstance(default, Mapping | list) else str(default)


def expand(url: str, variables: Mapping[str, str]) -> str:
    """`url` with each `{name}` of `variables` replaced by its value."""
    return re.sub(r"\{([^{}]*)\}", lambda m: variables.get(m[1], m[0]), url)


def operation_servers(
    pointer: str, raw: Any, known: frozenset[str], found: Findings
) -> tuple[str, ...]:
    """The URL templates of a path item's or operation's `servers` (at `pointer`) whose
    variables all have a default there or are `known` (the client's, defined by another
    server); one that is no server object is skipped."""
    urls = []
    for index, server in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(server, Mapping) and isinstance(server.get("url"), str):
            url = _server_url(server, f"{pointer}/{index}", found, operation=True, known=known)
            if url is not None:
                urls.append(url)
    return tuple(urls)


def server_variables(
    document: Mapping[str, Any], taken: list[str], found: Findings
) -> tuple[ServerVariable, ...]:
    """The variables of every server (the document's, then each path item's and operation's),
    each a client argument named after it (not one of `taken`); the first definition of a
    name is the one used."""
    lists: list[tuple[str, Any]] = [("/servers", document.get("servers"))]
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, Mapping):
            lists.append((join_pointer("paths", path, "servers"), item.get("servers")))
            lists += [
                (join_pointer("paths", path, method, "servers"), op.get("servers"))
                for method, op in item.items()
                if method in HTTP_METHODS and isinstance(op, Mapping)
            ]
    found_variables: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for _, raw in lists:
        for server in raw if isinstance(raw, list) else []:
            if not (isinstance(server, Mapping) and isinstance(server.get("url"), str)):
                continue
            variables = server.get("variables")
            variables = variables if isinstance(variables, Mapping) else {}
            for name in re.findall(r"\{([^{}]*)\}", server["url"]):
                variable = variables.get(name)
                default = _default(variable)
                if name in found_variables or default is None:
                    continue
                assert isinstance(variable, Mapping)
                values = variable.get("enum")
                values = values if isinstance(values, list) else []
                enum = tuple(
                    dict.fromkeys(str(v) for v in values if isinstance(v, str | int | float))
                )
                if enum and default not in enum:
                    enum = (default, *enum)
                found_variables[name] = (default, enum, text(variable.get("description")))
    names = unique_names(
        [snake_case(n) or "variable" for n in found_variables],
        taken=[*taken, *_TAKEN],
    )
    return tuple(
        ServerVariable(name, python_name, default, enum, description)
        for (name, (default, enum, description)), python_name in zip(
            found_variables.items(), names, strict=True
        )
    )


# The client constructor's own arguments, which a variable cannot be named.
_TAKEN = ("self", "environment", "base_url", "timeout", "max_retries", "httpx_client")


def _host_stem(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url).split("/")[0]
    return host.replace(".", "_") or "default"

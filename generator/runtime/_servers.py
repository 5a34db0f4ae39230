"""Server URLs: server variables, and the server an operation with `servers` of its own uses.

A generated client passes its base URL as a `BaseUrl`, which substitutes the client's
server variables into it and remembers them, with the spec's default server (its first
`servers` entry), for the operations that declare servers of their own:

    super().__init__(
        base_url=BaseUrl(
            base_url if base_url is not None else environment.value,
            variables={"region": region, "version": version},
            default_server="https://{region}.api.example.com/{version}",
        ),
        ...
    )

The client's variables are every server variable of the spec (top-level, path item and
operation servers), each a keyword of the client with its default. An operation's servers
(from the operation or its path item) are URL templates on its Endpoint, the field
`servers: tuple[str, ...] = ()` (`servers=("https://uploads.example.com/{region}/v1",)`;
read with getattr until Endpoint declares it). The base URL of such an operation is
`operation_base_url(...)` of the first one:

1. its `{variables}` are substituted from the client's (a missing one is a ValueError);
2. a relative URL (`/v2`) is on the origin of the default server (without one, the base
   URL's);
3. when the client's base URL is not the default server (the caller passed `base_url=`, or
   chose another environment) and the operation's server is on the default server's origin
   (scheme, host and port), it follows the base URL: a URL under the default server's
   (`{default}/upload`) becomes `{base_url}/upload`; another path on that origin is put
   under the base URL's mount point (the base URL without the default server's path, when
   it ends with it; else the whole base URL);
4. a server on any other host is used as it is.

So a proxy, mock or regional host given as `base_url` also serves the operations that the
spec puts elsewhere on the same API host, while an upload host of its own stays what the
spec says. Variables are substituted as given (no percent-encoding): they are settings, and
may hold a port or a path.

This module imports nothing heavy: clients create a BaseUrl when they are created.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["BaseUrl", "OperationServers", "expand_server", "operation_base_url"]


def expand_server(template: str, variables: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by `variables[name]`.

    >>> expand_server("https://{region}.example.com/{v}", {"region": "eu", "v": "v2"})
    'https://eu.example.com/v2'

    Raises ValueError for a variable without a value or an unclosed `{`.
    """
    if "{" not in template:
        return template
    out: list[str] = []
    rest = template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        name, closed, rest = tail.partition("}")
        if not closed:
            raise ValueError(f"unclosed '{{' in server URL {template!r}")
        if name not in variables:
            raise ValueError(f"server variable {name!r} of {template!r} has no value")
        out += (head, str(variables[name]))
    out.append(rest)
    return "".join(out)


class BaseUrl(str):
    """A client's base URL with its server variables substituted; a `str` that also keeps
    the variables and the spec's default server (substituted too), for operations with
    servers of their own. It passes through the client's layers as the base URL it is.

    >>> url = BaseUrl("https://{region}.example.com", variables={"region": "eu"})
    >>> url, url.variables
    ('https://eu.example.com', {'region': 'eu'})
    """

    variables: Mapping[str, str]
    default_server: str | None

    def __new__(
        cls,
        url: str,
        *,
        variables: Mapping[str, str] | None = None,
        default_server: str | None = None,
    ) -> BaseUrl:
        values = dict(variables or {})
        self = super().__new__(cls, expand_server(url, values))
        self.variables = values
        self.default_server = (
            None if default_server is None else expand_server(default_server, values)
        )
        return self


def _split_origin(url: str) -> tuple[str, str]:
    """('https://h:1', '/path') for an absolute URL; ('', url) for a relative one."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return "", url
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host}".lower(), slash + path


def operation_base_url(server: str, base_url: str, default_server: str | None) -> str:
    """Where an operation whose (substituted) server is `server` goes, for a client whose
    base URL is `base_url` and whose spec's default server is `default_server` (rules 2 to
    4 of the module docstring). Trailing slashes are ignored.

    >>> operation_base_url("https://api.x.com/v1/up", "http://localhost:4010", "https://api.x.com/v1")
    'http://localhost:4010/up'
    """
    server, base_url = server.rstrip("/"), base_url.rstrip("/")
    if default_server is None:
        if server.startswith("/"):
            return _split_origin(base_url)[0] + server
        return server
    default_server = default_server.rstrip("/")
    origin, path = _split_origin(server)
    default_origin, default_path = _split_origin(default_server)
    if not origin:
        origin = default_origin
    if origin != default_origin:
        return server
    if base_url == default_server:
        return origin + path
    if path == default_path or path.startswith(default_path + "/"):
        return base_url + path[len(default_path) :]
    if default_path and base_url.endswith(default_path):
        return base_url[: -len(default_path)] + path
    return base_url + path


class OperationServers:
    """A client's resolution of operation servers: each template resolved once."""

    __slots__ = ("_base_url", "_default_server", "_resolved", "_variables")

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url
        self._variables: Mapping[str, str] = getattr(base_url, "variables", {})
        self._default_server: str | None = getattr(base_url, "default_server", None)
        self._resolved: dict[str, str] = {}

    def base_url(self, server: str) -> str:
        """The base URL (no trailing slash) of an operation whose first server is
        `server`, a URL template."""
        resolved = self._resolved.get(server)
        if resolved is None:
            resolved = operation_base_url(
                expand_server(server, self._variables),
                self._base_url,
                self._default_server,
            )
            self._resolved[server] = resolved
        return resolved

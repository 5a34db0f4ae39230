"""Client view: what the _client.py template prints, its spec-dependent lines laid out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..api import Api
from ..config import Config
from ..escape import string_literal
from ..layout import Atom, Code, Expr, Layout, Param, call
from .imports import import_block
from .views import GroupView, group_imports, import_lines, type_expr

__all__ = ["ClientView", "client_view"]


@dataclass(frozen=True)
class ClientView:
    """Blocks of lines as black lays them out; `exact` if every one is black's layout."""

    module_doc: str
    # By mode (sync, async): the `class Name(Base):` line.
    classes: Mapping[str, str]
    doc: str
    imports: tuple[str, ...]
    # Inside `if TYPE_CHECKING:`: httpx, the models and the group clients the annotations name.
    type_imports: tuple[str, ...]
    params: tuple[str, ...]
    base_url: str
    secret: str
    exact: bool


def _secret(api: Api, config: Config) -> Expr:
    """The client constructor's `secret_headers=` value: the credential's header, or none."""
    credential = api.credential
    if credential is not None:
        header, argument, env = credential.header, credential.argument, credential.env
        prefix = credential.prefix
    elif config.auth is not None:
        header, argument, env, prefix = (
            config.auth.header,
            config.auth.argument,
            config.auth.env,
            "",
        )
    else:
        return Atom("{}")
    items: list[tuple[str, Expr] | Expr] = [Atom(string_literal(header)), Atom(argument)]
    if env:
        items.append(("env_var=", Atom(string_literal(env))))
    if prefix:
        items.append(("prefix=", Atom(string_literal(prefix))))
    return call("secret_header", *items)


def _doc(api: Api, config: Config) -> str:
    lines = [f"Client for {api.title or 'the API'} {api.version}".rstrip() + "."]
    if config.auth is not None:
        lines += [
            "",
            f"{config.auth.argument}: sent as the {config.auth.header} header on every request"
            + (
                f"; defaults to ${config.auth.env}, read when the client is created."
                if config.auth.env
                else "."
            ),
        ]
    if api.servers:
        lines += [
            "environment: which server to use; base_url overrides it (a path prefix is kept)."
        ]
    lines += [
        "timeout: seconds per request (default 60); max_retries: retries of failed requests (default 2)."
    ]
    return "\n".join(lines)


def client_view(api: Api, config: Config, view: GroupView) -> ClientView:
    lay = Layout()
    package = config.package
    params: list[Param] = []
    if config.auth is not None:
        params.append(Param(f"{config.auth.argument}: ", type_expr("str | None"), " = None"))
    extra = ["AsyncClientBase", "SyncClientBase", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT"]
    if config.auth is not None:
        extra.append("secret_header")
    # httpx is named only in annotations: imported for type checkers alone (the template's
    # `if TYPE_CHECKING:`), it is not loaded until the first request.
    more = []
    if api.servers:
        more.append(f"from {package}.environment import {config.environment_enum}")
    imports = group_imports(view, package, tuple(extra), type_checking=True, more=more)
    if api.servers:
        enum = config.environment_enum
        params += [
            Param("environment: ", Atom(enum), f" = {enum}.{api.servers[0].member}"),
            Param("base_url: ", type_expr("str | None"), " = None"),
        ]
        base_url = "base_url if base_url is not None else environment.value"
    else:
        params.append(Param("base_url: ", Atom("str")))
        base_url = "base_url"
    bases = {
        "sync": (config.client, "SyncClientBase"),
        "async": (config.async_client, "AsyncClientBase"),
    }
    return ClientView(
        module_doc=lay.docstring(
            f"The {config.client} and {config.async_client} clients: configuration,"
            " connection pool, and the operation groups.",
            0,
        ),
        classes={
            mode: "\n".join(lay.line(f"class {name}({base}):", 0))
            for mode, (name, base) in bases.items()
        },
        doc=lay.docstring(_doc(api, config), 1),
        imports=tuple(import_lines(lay, imports)),
        type_imports=tuple(
            import_lines(lay, import_block(["import httpx", *view.type_imports], package), 1)
        ),
        params=tuple(lay.parameters(params, 2)),
        base_url="\n".join(lay.item("base_url=", Code(base_url), 3)),
        secret="\n".join(lay.item("secret_headers=", _secret(api, config), 3)),
        exact=lay.exact,
    )

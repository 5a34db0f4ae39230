"""Client view: what the _client.py template prints, its spec-dependent lines laid out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..api import Api, SchemeCredential, SecurityScheme
from ..config import Config
from ..escape import string_literal
from ..layout import Atom, Brackets, Code, Expr, Layout, Param, call, import_block, sorted_names
from .views import GroupView, group_imports, import_lines, literal, type_expr

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


def _secret(api: Api) -> Expr:
    """The client constructor's `secret_headers=` value: the credential's header, or none."""
    credential = api.credential
    if credential is None:
        return Atom("{}")
    items: list[tuple[str, Expr] | Expr] = [
        Atom(string_literal(credential.header)),
        Atom(credential.argument),
    ]
    if credential.env:
        items.append(("env_var=", Atom(string_literal(credential.env))))
    if credential.prefix:
        items.append(("prefix=", Atom(string_literal(credential.prefix))))
    return call("secret_header", *items)


_SCHEME_CLASSES = {
    "apiKey": "ApiKeyAuth",
    "basic": "HttpBasicAuth",
    "http": "HttpAuth",
    "oauth2": "OAuth2Auth",
}


def _scheme(scheme: SecurityScheme) -> Expr:
    """`ApiKeyAuth("name", parameter=..., key=secret(api_key, "api_key", env_var=...))`..."""
    items: list[tuple[str, Expr] | Expr] = [Atom(string_literal(scheme.name))]
    if scheme.kind == "apiKey":
        items += [
            ("parameter=", Atom(string_literal(scheme.parameter))),
            ("location=", Atom(string_literal(scheme.location))),
        ]
    for credential in scheme.credentials:
        value: list[tuple[str, Expr] | Expr] = [
            Atom(credential.argument),
            Atom(string_literal(credential.argument)),
        ]
        if credential.env:
            value.append(("env_var=", Atom(string_literal(credential.env))))
        items.append((f"{credential.field}=", call("secret", *value)))
        if credential.field == "token" and scheme.token_url is not None:
            items.append(("token_url=", Atom(string_literal(scheme.token_url))))
    if scheme.kind == "http" and scheme.http_scheme.lower() != "bearer":
        items.append(("scheme=", Atom(string_literal(scheme.http_scheme))))
    if scheme.scopes:
        scopes = [("", Atom(string_literal(s))) for s in scheme.scopes]
        items.append(("scopes=", Brackets("", "(", scopes, comma=len(scopes) == 1)))
    return call(_SCHEME_CLASSES[scheme.kind], *items)


def _auth(api: Api) -> Expr:
    return Brackets("", "(", [("", _scheme(s)) for s in api.schemes], comma=True)


def _http_scheme(scheme: SecurityScheme) -> str:
    return "Bearer" if scheme.http_scheme.lower() == "bearer" else scheme.http_scheme


def _credential_doc(scheme: SecurityScheme, credential: SchemeCredential) -> str:
    what = {
        "key": f"the API key sent as the {scheme.location} {scheme.parameter!r}",
        "username": "the user name of HTTP basic authentication",
        "password": "the password of HTTP basic authentication",
        "token": (
            "an access token, sent as a Bearer token"
            if scheme.kind == "oauth2"
            else f"the token sent as `Authorization: {_http_scheme(scheme)} <token>`"
        ),
        "client_id": "the OAuth2 client id, for the client credentials flow",
        "client_secret": "the OAuth2 client secret, for the client credentials flow",
    }[credential.field]
    env = f"; defaults to ${credential.env}" if credential.env else ""
    return f"{credential.argument}: {what} (security scheme {scheme.name!r}){env}."


def _doc(api: Api) -> str:
    lines = [f"Client for {api.title or 'the API'} {api.version}".rstrip() + "."]
    credential = api.credential
    if credential is not None or api.schemes:
        lines.append("")
    if credential is not None:
        lines += [
            f"{credential.argument}: sent as the {credential.header} header on every request"
            + (
                f"; defaults to ${credential.env}, read when the client is created."
                if credential.env
                else "."
            ),
        ]
    for scheme in api.schemes:
        lines += [_credential_doc(scheme, c) for c in scheme.credentials]
    if api.schemes:
        lines.append(
            "Each operation sends the credentials its security requirement asks for;"
            " environment variables are read when the client is created."
        )
    if api.servers:
        lines += [
            "environment: which server to use; base_url overrides it (a path prefix is kept)."
        ]
    lines += [
        "timeout: seconds per request (default 60); max_retries: retries of failed requests (default 2).",
        "strict_responses: True (default) raises ResponseValidationError for a response that"
        " does not match the spec (a required field missing, a value of the wrong type);"
        " False keeps it (raw values where it does not match, one warning logged per model"
        " and field).",
    ]
    return "\n".join(lines)


def _variable_type(enum: tuple[str, ...]) -> str:
    return f"Literal[{', '.join(literal(v) for v in enum)}]" if enum else "str"


def _base_url(api: Api, base_url: str) -> Expr:
    """`BaseUrl(...)`: the base URL with the server variables the client was given, and the
    spec's default server, for operations with servers of their own (runtime `_servers`)."""
    items: list[tuple[str, Expr] | Expr] = [Code(base_url)]
    if api.variables:
        values = [(f"{literal(v.name)}: ", Atom(v.python_name)) for v in api.variables]
        items.append(("variables=", Brackets("", "{", values)))
    if api.servers:
        items.append(("default_server=", Atom(literal(api.servers[0].url))))
    return call("BaseUrl", *items)


def _with_literal(imports: list[str]) -> list[str]:
    """The client module's import lines with typing's Literal (for server variables' enums)
    added to the `from typing import` line, in ruff's order."""
    head = "from typing import "
    return [
        head + ", ".join(sorted_names([*line[len(head) :].split(", "), "Literal"]))
        if line.startswith(head)
        else line
        for line in imports
    ]


def client_view(api: Api, config: Config, view: GroupView) -> ClientView:
    lay = Layout()
    package = config.package
    params: list[Param] = []
    if api.credential is not None:
        params.append(Param(f"{api.credential.argument}: ", type_expr("str | None"), " = None"))
    for scheme in api.schemes:
        params += [
            Param(f"{c.argument}: ", type_expr("str | None"), " = None") for c in scheme.credentials
        ]
    extra = ["AsyncClientBase", "SyncClientBase", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT"]
    if api.credential is not None:
        extra.append("secret_header")
    if api.schemes:
        extra += sorted({_SCHEME_CLASSES[s.kind] for s in api.schemes} | {"secret"})
    uses_base_url = bool(api.variables) or any(op.servers for op in api.operations)
    if uses_base_url:
        extra.append("BaseUrl")
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
    params += [
        Param(f"{v.python_name}: ", type_expr(_variable_type(v.enum)), f" = {literal(v.default)}")
        for v in api.variables
    ]
    base_url_value: Expr = Code(base_url)
    if uses_base_url:
        base_url_value = _base_url(api, base_url)
    if any(v.enum for v in api.variables):
        imports = _with_literal(imports)
    secret: list[str] = []
    if api.credential is not None or not api.schemes:
        secret += lay.item("secret_headers=", _secret(api), 3)
    if api.schemes:
        secret += lay.item("auth=", _auth(api), 3)
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
        doc=lay.docstring(_doc(api), 1),
        imports=tuple(import_lines(lay, imports)),
        type_imports=tuple(
            import_lines(lay, import_block(["import httpx", *view.type_imports], package), 1)
        ),
        params=tuple(lay.parameters(params, 2)),
        base_url="\n".join(lay.item("base_url=", base_url_value, 3)),
        secret="\n".join(secret),
        exact=lay.exact,
    )

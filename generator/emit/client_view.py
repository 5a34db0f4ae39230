"""Client view: what the _client.py template prints (names, literals, annotations, imports)."""

from __future__ import annotations

from dataclasses import dataclass

from ..api import Api, SchemeCredential, SecurityScheme
from ..config import Config
from ..escape import string_literal
from ..layout import import_block, sorted_names
from .views import GroupView, annotation, group_imports, literal

__all__ = ["ClientView", "client_view"]


@dataclass(frozen=True)
class Credential:
    """`field=secret(argument, "argument", env_var=...)`, then `token_url=...` for a token."""

    field: str
    argument: str
    name: str  # the argument's name as a literal
    env: str  # the environment variable's literal, or ""
    token_url: str  # literal, or ""


@dataclass(frozen=True)
class Scheme:
    """An auth= entry: `cls(name, parameter=..., location=..., credentials..., scheme=...,
    scopes=(...))`, the keywords given only where the scheme has them."""

    cls: str
    name: str  # literal
    parameter: str  # apiKey: the parameter's name literal, else ""
    location: str  # apiKey: literal, else ""
    credentials: tuple[Credential, ...]
    http_scheme: str  # literal, for an http scheme other than bearer; else ""
    scopes: tuple[str, ...]  # literals


@dataclass(frozen=True)
class ClientView:
    """Names, literals and annotations of the _client.py module, as the template prints them."""

    name: str
    async_name: str
    doc: str  # the client classes' docstring, not yet escaped
    imports: tuple[str, ...]
    # Inside `if TYPE_CHECKING:`: httpx, the models and the group clients the annotations name.
    type_imports: tuple[str, ...]
    # The constructor's parameters before timeout: (name, annotation, default).
    params: tuple[tuple[str, str, str], ...]
    base_url: str  # the expression given to BaseUrl (or as base_url= itself)
    base_url_class: bool  # whether base_url= is BaseUrl(...)
    variables: tuple[tuple[str, str], ...]  # BaseUrl's variables: (name literal, argument)
    default_server: str  # BaseUrl's default_server literal, or ""
    # Whether the client passes secret_headers= (not with security schemes but no API-key
    # credential), and the credential's (header literal, argument, env literal, prefix literal)
    # for `secret_header(...)` (None: `{}`).
    secret_headers: bool
    secret_header: tuple[str, str, str, str] | None
    schemes: tuple[Scheme, ...]
    # JSON keys whose values DEBUG body logs redact besides the runtime's own: the result fields
    # holding a channel's signed URL (literals).
    sensitive_fields: tuple[str, ...] = ()
    # Identity(distribution, version, headers={...}): literals; the SDK headers (name, value).
    distribution: str = ""
    version: str = ""
    sdk_headers: tuple[tuple[str, str], ...] = ()
    log_env_var: str = ""  # literal: the environment variable that turns logging on


_SCHEME_CLASSES = {
    "apiKey": "ApiKeyAuth",
    "basic": "HttpBasicAuth",
    "http": "HttpAuth",
    "oauth2": "OAuth2Auth",
}


def _optional(text: str | None) -> str:
    return string_literal(text) if text else ""


def _scheme(scheme: SecurityScheme) -> Scheme:
    api_key = scheme.kind == "apiKey"
    return Scheme(
        _SCHEME_CLASSES[scheme.kind],
        string_literal(scheme.name),
        string_literal(scheme.parameter) if api_key else "",
        string_literal(scheme.location) if api_key else "",
        tuple(
            Credential(
                c.field,
                c.argument,
                string_literal(c.argument),
                _optional(c.env),
                string_literal(scheme.token_url)
                if c.field == "token" and scheme.token_url is not None
                else "",
            )
            for c in scheme.credentials
        ),
        string_literal(scheme.http_scheme)
        if scheme.kind == "http" and scheme.http_scheme.lower() != "bearer"
        else "",
        tuple(string_literal(s) for s in scheme.scopes),
    )


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


def _doc(api: Api, log_env_var: str) -> str:
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
        "headers: sent with every request, over the identification headers (User-Agent and the"
        " SDK's own); a None value removes one.",
        "hooks: functions run before each attempt, after each response and on each error"
        " (retries included).",
        "strict_responses: True (default) raises ResponseValidationError for a response that"
        " does not match the spec (a required field missing, a value of the wrong type);"
        " False keeps it (raw values where it does not match, one warning logged per model"
        " and field).",
        f"Logging: ${log_env_var}=debug or info logs each request (without credentials) to stderr.",
    ]
    return "\n".join(lines)


def _variable_type(enum: tuple[str, ...]) -> str:
    return f"Literal[{', '.join(literal(v) for v in enum)}]" if enum else "str"


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
    package = config.package
    params: list[tuple[str, str, str]] = []
    if api.credential is not None:
        params.append((api.credential.argument, "str | None", "None"))
    for scheme in api.schemes:
        params += [(c.argument, "str | None", "None") for c in scheme.credentials]
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
    extra.append("Identity")
    imports = group_imports(view, package, tuple(extra), type_checking=True, more=more)
    if api.servers:
        enum = config.environment_enum
        params += [
            ("environment", enum, f"{enum}.{api.servers[0].member}"),
            ("base_url", "str | None", "None"),
        ]
        base_url = "base_url if base_url is not None else environment.value"
    else:
        params.append(("base_url", "str", ""))
        base_url = "base_url"
    params += [
        (v.python_name, annotation(_variable_type(v.enum)), literal(v.default))
        for v in api.variables
    ]
    if any(v.enum for v in api.variables):
        imports = _with_literal(imports)
    credential = api.credential
    secret = None
    if credential is not None:
        secret = (
            string_literal(credential.header),
            credential.argument,
            _optional(credential.env),
            _optional(credential.prefix),
        )
    return ClientView(
        name=config.client,
        async_name=config.async_client,
        doc=_doc(api, config.log_variable()),
        imports=tuple(imports),
        type_imports=tuple(
            import_block(
                [
                    "import httpx",
                    "from collections.abc import Mapping",
                    f"from {package}._runtime import Hooks",
                    *view.type_imports,
                ],
                package,
            )
        ),
        params=tuple(params),
        base_url=base_url,
        base_url_class=uses_base_url,
        variables=tuple((literal(v.name), v.python_name) for v in api.variables),
        default_server=literal(api.servers[0].url) if api.servers else "",
        secret_headers=credential is not None or not api.schemes,
        secret_header=secret,
        schemes=tuple(_scheme(s) for s in api.schemes),
        sensitive_fields=tuple(
            string_literal(f)
            for f in sorted({c.signing.field for c in api.channels if c.signing is not None})
        ),
        distribution=string_literal(config.distribution_name()),
        version=string_literal(config.package_version),
        sdk_headers=tuple(
            (
                string_literal(name),
                string_literal(
                    value.format(
                        version=config.package_version, distribution=config.distribution_name()
                    )
                ),
            )
            for name, value in config.sdk_headers
        ),
        log_env_var=string_literal(config.log_variable()),
    )

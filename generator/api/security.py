"""Security: the spec's security schemes as client credentials, and each operation's requirement.

Nothing here is fatal. A scheme the client cannot send (an unknown type, an apiKey with no
name, mutualTLS) is a warning and is left out of the requirements that name it; a requirement
naming a scheme that is not defined is a warning and that alternative is dropped. When no
alternative is left, the operation is sent without credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin

from ..config import Config
from ..diagnostics import join_pointer
from .context import HTTP_METHODS, Findings, deref, text
from .ir import Credential, SchemeCredential, SchemeKind, Security, SecurityScheme
from .naming import constant_name, snake_case, unique_names

__all__ = ["CONSTRUCTOR_ARGUMENTS", "ApiSecurity", "api_security"]

# The generated constructor's other keyword arguments: credentials never take these names.
CONSTRUCTOR_ARGUMENTS = frozenset(
    {"self", "base_url", "environment", "timeout", "max_retries", "httpx_client", "auth"}
)


@dataclass(frozen=True)
class ApiSecurity:
    """What the client sends: the legacy [tool.generator.auth] header, the schemes, and the
    document's default requirement (None when it has none)."""

    credential: Credential | None
    schemes: tuple[SecurityScheme, ...]
    default: Security | None
    # Scheme name → defined but not sendable (left out of requirements, without a warning
    # per use: the scheme itself was warned about).
    unsupported: frozenset[str]

    def requirement(self, op: Mapping[str, Any], pointer: str, found: Findings) -> Security | None:
        """The operation's effective requirement: its own `security`, else the document's."""
        own = op.get("security")
        if isinstance(own, list):
            return _resolve(own, f"{pointer}/security", self, found)
        return self.default

    def lifted(self, security: Security | None) -> frozenset[tuple[str, str]]:
        """(location, name) of the parameters the credentials of `security` replace; header
        names lower-cased."""
        names = {name for alternative in security or () for name in alternative}
        lifted: set[tuple[str, str]] = set()
        for scheme in self.schemes:
            if scheme.name not in names:
                continue
            if scheme.kind == "apiKey":
                key = scheme.parameter.lower() if scheme.location == "header" else scheme.parameter
                lifted.add((scheme.location, key))
            else:
                lifted.add(("header", "authorization"))
        return frozenset(lifted)


def api_security(document: Mapping[str, Any], config: Config, found: Findings) -> ApiSecurity:
    raw = (document.get("components") or {}).get("securitySchemes") or {}
    raw = raw if isinstance(raw, Mapping) else {}
    requirements = list(_requirements(document))
    used = {name for _, alts in requirements for alt in alts for name in alt}
    scopes: dict[str, list[str]] = {}
    for _, alternatives in requirements:
        for alternative in alternatives:
            for name, wanted in alternative.items():
                for scope in wanted if isinstance(wanted, list) else []:
                    if isinstance(scope, str) and scope not in scopes.setdefault(name, []):
                        scopes[name].append(scope)
    shapes: list[_Shape] = []
    unsupported: set[str] = set()
    for name, value in raw.items():
        at = join_pointer("components", "securitySchemes", name)
        if name not in used:
            found.warn(
                at,
                f"security scheme {name!r} is not required by any operation (no `security` names"
                " it); ignored",
            )
            continue
        shape = _shape(document, str(name), deref(document, value), at, found)
        if shape is None:
            unsupported.add(str(name))
        else:
            shapes.append(shape)
    legacy = config.auth
    credential = None
    if legacy is not None and not any(
        s.kind == "apiKey"
        and s.location == "header"
        and s.parameter.lower() == legacy.header.lower()
        for s in shapes
    ):
        credential = Credential(legacy.header, legacy.argument, legacy.env)
    schemes = _name_credentials(shapes, config, scopes, credential)
    partial = ApiSecurity(credential, schemes, None, frozenset(unsupported))
    top = document.get("security")
    default = _resolve(top, "/security", partial, found) if isinstance(top, list) else None
    return ApiSecurity(credential, schemes, default, frozenset(unsupported))


def _requirements(
    document: Mapping[str, Any],
) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """(pointer, alternatives) for the document's `security` and each operation's own."""
    top = document.get("security")
    if isinstance(top, list):
        yield "/security", [r for r in top if isinstance(r, Mapping)]
    for path, raw_item in (document.get("paths") or {}).items():
        item = deref(document, raw_item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, Mapping) and isinstance(op.get("security"), list):
                if op.get("x-fern-ignore") is True:
                    continue
                alternatives = [r for r in op["security"] if isinstance(r, Mapping)]
                yield join_pointer("paths", path, method, "security"), alternatives


def _resolve(
    alternatives: list[Any], pointer: str, known: ApiSecurity, found: Findings
) -> Security:
    """A `security` list as alternatives of scheme names, keeping only what the client can send."""
    sendable = {scheme.name for scheme in known.schemes}
    result: list[tuple[str, ...]] = []
    dropped = 0
    for index, alternative in enumerate(alternatives):
        if not isinstance(alternative, Mapping):
            continue
        names = [str(name) for name in alternative]
        undefined = [n for n in names if n not in sendable and n not in known.unsupported]
        for name in undefined:
            found.defect(
                f"{pointer}/{index}",
                f"security scheme {name!r} is not defined in components.securitySchemes;"
                " this alternative is dropped",
            )
        if undefined:
            dropped += 1
            continue
        kept = tuple(n for n in names if n in sendable)
        if not kept and names:
            dropped += 1  # only schemes the client cannot send: see the other alternatives
            continue
        if kept not in result:
            result.append(kept)
    return tuple(result) if result or not dropped else ()


# --- Schemes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """A sendable scheme before its credentials are named."""

    name: str
    kind: SchemeKind
    fields: tuple[str, ...]
    description: str
    parameter: str = ""
    location: Literal["header", "query", "cookie", ""] = ""
    http_scheme: str = ""
    token_url: str | None = None


def _shape(
    document: Mapping[str, Any], name: str, scheme: Any, at: str, found: Findings
) -> _Shape | None:
    """The scheme as the client sends it, or None (with a warning) when it cannot."""
    if not isinstance(scheme, Mapping):
        found.defect(at, f"security scheme {name!r} is not a security scheme object; ignored")
        return None
    kind = scheme.get("type")
    description = text(scheme.get("description"))
    if kind == "apiKey":
        where, parameter = scheme.get("in"), scheme.get("name")
        if where in ("header", "query", "cookie") and isinstance(parameter, str) and parameter:
            return _Shape(name, "apiKey", ("key",), description, parameter, where)
        found.defect(
            at,
            f"apiKey scheme {name!r} needs a `name` and `in` header, query or cookie (it has"
            f" in={where!r}); operations that need it are sent without it",
        )
        return None
    if kind == "http":
        http_scheme = scheme.get("scheme")
        if not isinstance(http_scheme, str) or not http_scheme.strip():
            found.defect(
                at,
                f"http scheme {name!r} names no `scheme`; operations that need it are sent"
                " without it",
            )
            return None
        if http_scheme.strip().lower() == "basic":
            return _Shape(name, "basic", ("username", "password"), description)
        return _Shape(name, "http", ("token",), description, http_scheme=http_scheme.strip())
    if kind == "openIdConnect":
        return _Shape(name, "http", ("token",), description, http_scheme="Bearer")
    if kind == "oauth2":
        token_url = _client_credentials_url(document, scheme)
        fields = ("token", "client_id", "client_secret") if token_url else ("token",)
        return _Shape(name, "oauth2", fields, description, token_url=token_url)
    if kind == "mutualTLS":
        found.warn(
            at,
            f"mutualTLS scheme {name!r}: the client certificate is not a constructor argument"
            " (pass an httpx client configured with it as httpx_client=); operations that need"
            " it are sent without it",
        )
        return None
    found.defect(
        at,
        f"security scheme {name!r} has an unknown type {kind!r}; operations that need it are"
        " sent without it",
    )
    return None


def _client_credentials_url(document: Mapping[str, Any], scheme: Mapping[str, Any]) -> str | None:
    """The clientCredentials flow's tokenUrl, made absolute on the first server; else None."""
    flows = scheme.get("flows")
    flow = flows.get("clientCredentials") if isinstance(flows, Mapping) else None
    url = flow.get("tokenUrl") if isinstance(flow, Mapping) else None
    if not isinstance(url, str) or not url:
        return None
    if re.match(r"^https?://", url):
        return url
    servers = document.get("servers")
    first = servers[0] if isinstance(servers, list) and servers else None
    base = first.get("url") if isinstance(first, Mapping) else None
    if isinstance(base, str) and re.match(r"^https?://", base) and "{" not in base:
        return urljoin(base.rstrip("/") + "/", url)
    return None


# The constructor argument of each credential: alone of its kind, and with the scheme's name.
_ALONE = {
    ("apiKey", "key"): "api_key",
    ("basic", "username"): "username",
    ("basic", "password"): "password",
    ("http", "token"): "token",
    ("oauth2", "token"): "access_token",
    ("oauth2", "client_id"): "client_id",
    ("oauth2", "client_secret"): "client_secret",
}


def _argument(shape: _Shape, field: str, alone: bool) -> str:
    default = _ALONE[(shape.kind, field)]
    if alone:
        return default
    stem = snake_case(shape.name, fallback="scheme").rstrip("_")
    stem = re.sub(r"(?<=.)_(auth|scheme|security)$", "", stem)
    if shape.kind == "apiKey" and stem.endswith("key"):
        return stem
    return f"{stem}_{default}"


def _name_credentials(
    shapes: list[_Shape],
    config: Config,
    scopes: Mapping[str, list[str]],
    credential: Credential | None,
) -> tuple[SecurityScheme, ...]:
    """Each scheme with its constructor arguments and environment variables (unique).

    The legacy [tool.generator.auth] header's argument (`credential`, when the client sends
    it beside the schemes) keeps its name: a scheme credential that would take it gets another.
    """
    kinds: dict[str, int] = {}
    for shape in shapes:
        kinds[shape.kind] = kinds.get(shape.kind, 0) + 1
    overrides = {(s, f): (a, e) for s, f, a, e in config.auth_names}
    legacy = config.auth
    wanted: list[tuple[_Shape, str, str, str | None]] = []
    for shape in shapes:
        for field in shape.fields:
            argument = _argument(shape, field, kinds[shape.kind] == 1)
            env: str | None = None
            if (
                legacy is not None
                and shape.kind == "apiKey"
                and shape.parameter.lower() == legacy.header.lower()
            ):
                argument, env = legacy.argument, legacy.env
            given_argument, given_env = overrides.get((shape.name, field), (None, None))
            argument = given_argument or argument
            env = given_env or env
            wanted.append((shape, field, argument, env))
    taken = CONSTRUCTOR_ARGUMENTS | ({credential.argument} if credential is not None else set())
    arguments = unique_names([w[2] for w in wanted], taken=taken)
    prefix = config.auth_env_prefix
    if prefix is None:
        prefix = constant_name(re.sub(r"_(client|sdk|api)$", "", config.package))
    by_scheme: dict[str, list[SchemeCredential]] = {}
    for (shape, field, _, env), argument in zip(wanted, arguments, strict=True):
        if env is None:
            env = f"{prefix}_{argument.upper()}" if prefix else argument.upper()
        by_scheme.setdefault(shape.name, []).append(SchemeCredential(field, argument, env))
    return tuple(
        SecurityScheme(
            name=shape.name,
            kind=shape.kind,
            credentials=tuple(by_scheme[shape.name]),
            description=shape.description,
            parameter=shape.parameter,
            location=shape.location,
            http_scheme=shape.http_scheme,
            token_url=shape.token_url,
            scopes=tuple(scopes.get(shape.name, ())) if shape.token_url else (),
        )
        for shape in shapes
    )

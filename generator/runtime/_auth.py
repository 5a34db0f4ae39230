"""Security schemes with their credentials, and which of them an operation uses.

A generated client turns its constructor's credential arguments into one scheme object per
entry of the spec's `components.securitySchemes`, named as there, and passes them as
`auth=` to SyncClientBase / AsyncClientBase (or SyncHttp / AsyncHttp):

    auth=(
        ApiKeyAuth("ApiKeyAuth", parameter="X-Api-Key", location="header",
                   key=secret(api_key, "api_key", env_var="EXAMPLE_API_KEY")),
        HttpBasicAuth("basicAuth", username=secret(username, "username"),
                      password=secret(password, "password")),
        HttpAuth("bearerAuth", token=secret(token, "token")),  # also openIdConnect
        OAuth2Auth("oauth", token=secret(access_token, "access_token"),
                   token_url="https://auth.example.com/token", scopes=("read",),
                   client_id=secret(client_id, "client_id"),
                   client_secret=secret(client_secret, "client_secret")),
    )

Each operation's `Endpoint.security` lists the alternatives it accepts, each a tuple of
scheme names required together: `(("ApiKeyAuth",), ("basicAuth", "otherKey"))`. The runtime
uses the first non-empty alternative whose schemes all have their credentials; failing
that, nothing when an empty alternative `()` says auth is optional (as does `security=()`,
no alternative at all); failing that, it raises MissingCredentialsError before sending,
naming each alternative's missing schemes and the arguments or environment variables that
would supply them. `security=None` (the default) declares nothing: no scheme is applied.

Credentials are held in `Secret`s, which never show their value in a repr; no scheme,
error message or log record shows one. This module imports nothing heavy: schemes are made
when a client is created.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Literal, NoReturn, TypeAlias

__all__ = [
    "ApiKeyAuth",
    "AuthScheme",
    "HttpAuth",
    "HttpBasicAuth",
    "OAuth2Auth",
    "Secret",
    "Security",
    "choose",
    "missing_credentials_message",
    "secret",
]

Security: TypeAlias = tuple[tuple[str, ...], ...]
"""An operation's security requirement: alternatives (OR) of scheme names (AND)."""


class _Frozen:
    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")


class Secret(_Frozen):
    """A credential, or None when it was not given, with where it could have come from:
    the client constructor's `argument` and the environment variable `env_var` (both only
    named in error messages). Its repr says whether it is set, never what it is."""

    __slots__ = ("argument", "env_var", "value")
    value: str | None
    argument: str | None
    env_var: str | None

    def __init__(
        self,
        value: str | None,
        argument: str | None = None,
        env_var: str | None = None,
    ) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "argument", argument)
        object.__setattr__(self, "env_var", env_var)

    def __repr__(self) -> str:
        state = "set" if self.value is not None else "not set"
        return f"Secret({state}, argument={self.argument!r}, env_var={self.env_var!r})"

    def source(self, label: str) -> str:
        """How to supply it: `api_key=` or the environment variable, else `label`."""
        ways = [f"{self.argument}="] if self.argument else []
        if self.env_var:
            ways.append(f"environment variable {self.env_var}")
        return " or ".join(ways) or label


def secret(
    value: str | None, argument: str | None = None, *, env_var: str | None = None
) -> Secret:
    """`value`, else the environment variable `env_var` read now (at client construction,
    never at import; an empty variable counts as unset).

    >>> secret(None, "api_key", env_var="EXAMPLE_API_KEY")  # with the variable unset
    Secret(not set, argument='api_key', env_var='EXAMPLE_API_KEY')
    """
    if value is None and env_var is not None:
        value = os.environ.get(env_var) or None
    return Secret(value, argument, env_var)


def _as_secret(value: Secret | str | None) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


class AuthScheme(_Frozen):
    """One entry of `components.securitySchemes` with its credentials; `name` is the key
    that `Endpoint.security` uses."""

    __slots__ = ("name",)
    name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name)

    def needs(self) -> tuple[tuple[tuple[str, Secret], ...], ...]:
        """Alternative sets of (label, credential), any one of which, complete, is enough."""
        raise NotImplementedError

    def configured(self) -> bool:
        """Whether the credentials of one of its alternatives are all set."""
        return any(
            all(credential.value is not None for _, credential in alternative)
            for alternative in self.needs()
        )

    def describe_missing(self) -> str:
        """How to configure it, for MissingCredentialsError."""
        ways = [
            " and ".join(
                credential.source(label)
                for label, credential in alternative
                if credential.value is None
            )
            for alternative in self.needs()
        ]
        return f"security scheme {self.name!r} ({', or '.join(ways)})"

    def _fields(self) -> str:
        return ""

    def __repr__(self) -> str:
        state = "configured" if self.configured() else "not configured"
        return f"{type(self).__name__}({self.name!r}{self._fields()}, {state})"


class ApiKeyAuth(AuthScheme):
    """`type: apiKey`: `key` sent as the header, query parameter or cookie `parameter`."""

    __slots__ = ("key", "location", "parameter")
    parameter: str
    location: Literal["header", "query", "cookie"]
    key: Secret

    def __init__(
        self,
        name: str,
        *,
        parameter: str,
        location: Literal["header", "query", "cookie"],
        key: Secret | str | None,
    ) -> None:
        if location not in ("header", "query", "cookie"):
            raise ValueError(
                f"apiKey location must be header, query or cookie: {location!r}"
            )
        super().__init__(name)
        object.__setattr__(self, "parameter", parameter)
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "key", _as_secret(key))

    def needs(self) -> tuple[tuple[tuple[str, Secret], ...], ...]:
        return ((("key", self.key),),)

    def _fields(self) -> str:
        return f", parameter={self.parameter!r}, location={self.location!r}"


class HttpBasicAuth(AuthScheme):
    """`type: http, scheme: basic`: `Authorization: Basic base64(username:password)`."""

    __slots__ = ("password", "username")
    username: Secret
    password: Secret

    def __init__(
        self,
        name: str,
        *,
        username: Secret | str | None,
        password: Secret | str | None,
    ) -> None:
        super().__init__(name)
        object.__setattr__(self, "username", _as_secret(username))
        object.__setattr__(self, "password", _as_secret(password))

    def needs(self) -> tuple[tuple[tuple[str, Secret], ...], ...]:
        return ((("username", self.username), ("password", self.password)),)


class HttpAuth(AuthScheme):
    """`type: http` with any other scheme: `Authorization: <scheme> <token>`. Bearer by
    default, which also serves `openIdConnect` and an OAuth2 token obtained elsewhere.
    """

    __slots__ = ("scheme", "token")
    scheme: str
    token: Secret

    def __init__(
        self, name: str, *, token: Secret | str | None, scheme: str = "Bearer"
    ) -> None:
        super().__init__(name)
        object.__setattr__(
            self, "scheme", "Bearer" if scheme.lower() == "bearer" else scheme
        )
        object.__setattr__(self, "token", _as_secret(token))

    def needs(self) -> tuple[tuple[tuple[str, Secret], ...], ...]:
        return ((("token", self.token),),)

    def _fields(self) -> str:
        return f", scheme={self.scheme!r}"


class OAuth2Auth(AuthScheme):
    """`type: oauth2`: a bearer `token` given directly, else one the runtime asks for.

    With `token_url`, `client_id` and `client_secret` (the clientCredentials flow), the
    runtime POSTs `grant_type=client_credentials` (and `scope`, the `scopes` joined by
    spaces) to `token_url`, authenticating the client with HTTP basic (`client_auth=
    "basic"`, the default) or with `client_id` and `client_secret` form fields (`"body"`).
    It keeps the token until shortly before its `expires_in` runs out, and on a 401 fetches
    a new one and repeats the request once.
    """

    __slots__ = (
        "client_auth",
        "client_id",
        "client_secret",
        "scopes",
        "token",
        "token_url",
    )
    token: Secret
    token_url: str | None
    client_id: Secret
    client_secret: Secret
    scopes: tuple[str, ...]
    client_auth: Literal["basic", "body"]

    def __init__(
        self,
        name: str,
        *,
        token: Secret | str | None = None,
        token_url: str | None = None,
        client_id: Secret | str | None = None,
        client_secret: Secret | str | None = None,
        scopes: Iterable[str] = (),
        client_auth: Literal["basic", "body"] = "basic",
    ) -> None:
        if client_auth not in ("basic", "body"):
            raise ValueError(f"client_auth must be 'basic' or 'body': {client_auth!r}")
        super().__init__(name)
        object.__setattr__(self, "token", _as_secret(token))
        object.__setattr__(self, "token_url", token_url)
        object.__setattr__(self, "client_id", _as_secret(client_id))
        object.__setattr__(self, "client_secret", _as_secret(client_secret))
        object.__setattr__(self, "scopes", tuple(scopes))
        object.__setattr__(self, "client_auth", client_auth)

    def needs(self) -> tuple[tuple[tuple[str, Secret], ...], ...]:
        direct = (("token", self.token),)
        if self.token_url is None:
            return (direct,)
        flow = (("client_id", self.client_id), ("client_secret", self.client_secret))
        return (direct, flow)

    def fetches_tokens(self) -> bool:
        """Whether the runtime asks `token_url` for tokens (no token given directly)."""
        return self.token.value is None and self.configured()

    def _fields(self) -> str:
        return f", token_url={self.token_url!r}, scopes={self.scopes!r}"


def choose(
    security: Security, schemes: Mapping[str, AuthScheme]
) -> tuple[AuthScheme, ...] | None:
    """The schemes to apply for `security`: those of the first non-empty alternative that
    is fully configured, else none (`()`) when auth is optional or not required at all;
    None when no alternative can be met."""
    optional = not security
    for alternative in security:
        if not alternative:
            optional = True
            continue
        found = [schemes.get(name) for name in alternative]
        chosen = [scheme for scheme in found if scheme is not None]
        if len(chosen) == len(found) and all(s.configured() for s in chosen):
            return tuple(chosen)
    return () if optional else None


def missing_credentials_message(
    method: str, path: str, security: Security, schemes: Mapping[str, AuthScheme]
) -> str:
    """What MissingCredentialsError says: for each alternative, the schemes it lacks and
    the constructor arguments or environment variables that would supply them."""
    alternatives = []
    for alternative in security:
        missing = []
        for name in alternative:
            scheme = schemes.get(name)
            if scheme is None:
                missing.append(f"security scheme {name!r} (not set up on this client)")
            elif not scheme.configured():
                missing.append(scheme.describe_missing())
        alternatives.append(" together with ".join(missing))
    return (
        f"{method} {path} needs credentials this client was not given: "
        + "; or ".join(alternatives)
    )

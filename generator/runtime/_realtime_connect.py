"""A generated channel, opened from a client: where its session goes and with what.

A channel module of a generated package describes its channel as data, and the `connect`
method on the channel's group opens it with the client's transport:

    CHANNEL = RealtimeChannel[ServerMessage](
        "/v1/chat/rooms",
        messages=SERVER_MESSAGES,
        servers={"https://api.example.com": "wss://ws.example.com"},
        auto_replies={"ping": Reply("pong", copy={"event_id": "ping_event.event_id"})},
        required=("room_id",),
        distribution="example-client",
    )

    def connect(self, *, room_id: str | None = None, signed_url: str | None = None,
                receive_timeout: float | None = None,
                connect_timeout: float | None = REALTIME_CONNECT_TIMEOUT,
                ) -> SyncRealtimeSession[ServerMessage]:
        from example_client._operations import get_room_url as _op
        from example_client.realtime.rooms import CHANNEL

        def _sign_url(room_id: str) -> str:
            return self._http.call(_op.ENDPOINT, _op.request(room_id=room_id)).signed_url

        return CHANNEL.sync_session(self._http, query={"room_id": room_id},
                                    signed_url=signed_url, sign=_sign_url,
                                    sign_with={"room_id": room_id}, ...)

Where the session goes, first that applies:

1. `signed_url`: that URL as given. The signature is the credential: none of the
   client's is sent.
2. `sign`, when the client has credentials (an API key, a token, ...): a function (a
   coroutine function for an async session) of `sign_with` that asks an HTTP operation
   for a signed URL, called when the session opens; then as 1. Every `sign_with` value
   must be given.
3. The channel's address on the server for the client's base URL: `servers` maps base
   URLs (the client's environments) to the document's ws/wss servers; any other base URL
   (a proxy, a local server) by its scheme, http → ws and https → wss, its path kept.
   The `path` values fill the address's {parameters} (percent-encoded); the `required`
   arguments must be given. The client's credentials go along: its secret headers, and
   its security schemes' headers and query parameters (apiKey, HTTP basic and bearer, an
   OAuth2 token given directly; a token the runtime fetches itself is not).

In every case the `query` values given (None: left out) are added to the URL's query,
except names the URL already has (a signed URL keeps its own). Nothing here imports
websockets or asyncio.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Protocol
from urllib.parse import quote, urlsplit, urlunsplit

from ._constants import REALTIME_CONNECT_TIMEOUT
from ._realtime import AsyncRealtimeSession, SyncRealtimeSession
from ._realtime_messages import AutoReply, EventT, MessageDecoder

if TYPE_CHECKING:
    from ._auth import AuthScheme

__all__ = ["RealtimeChannel", "handshake_credentials"]

_WS_SCHEMES = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}


def handshake_credentials(
    secret_headers: Mapping[str, str], schemes: Iterable[AuthScheme]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The headers and query parameters that carry a client's credentials on a WebSocket
    handshake: its secret headers, then each security scheme whose credentials are set.
    """
    from ._auth import ApiKeyAuth, HttpAuth, HttpBasicAuth, OAuth2Auth

    headers = dict(secret_headers)
    query: list[tuple[str, str]] = []
    cookies: list[str] = []
    for scheme in schemes:
        if isinstance(scheme, ApiKeyAuth) and scheme.key.value is not None:
            if scheme.location == "header":
                headers[scheme.parameter] = scheme.key.value
            elif scheme.location == "query":
                query.append((scheme.parameter, scheme.key.value))
            else:
                cookies.append(f"{scheme.parameter}={scheme.key.value}")
        elif isinstance(scheme, HttpBasicAuth):
            username, password = scheme.username.value, scheme.password.value
            if username is not None and password is not None:
                pair = f"{username}:{password}".encode()
                headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        elif isinstance(scheme, HttpAuth) and scheme.token.value is not None:
            headers["Authorization"] = f"{scheme.scheme} {scheme.token.value}"
        elif isinstance(scheme, OAuth2Auth) and scheme.token.value is not None:
            headers["Authorization"] = f"Bearer {scheme.token.value}"
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return headers, query


def _server_url(base_url: str, servers: Mapping[str, str]) -> str:
    base = base_url.rstrip("/")
    if base in servers:
        return servers[base].rstrip("/")
    parts = urlsplit(base)
    scheme = _WS_SCHEMES.get(parts.scheme.lower())
    if scheme is None or not parts.netloc:
        raise ValueError(
            f"no WebSocket server for the base URL {parts.scheme}://{parts.hostname}"
        )
    return urlunsplit((scheme, parts.netloc, parts.path, "", "")).rstrip("/")


class _Http(Protocol):
    """What a channel needs of a client's SyncHttp or AsyncHttp."""

    base_url: str

    def handshake_secrets(self) -> tuple[dict[str, str], tuple[AuthScheme, ...]]: ...


class RealtimeChannel(Generic[EventT]):
    """A channel of a generated package (see the module docstring)."""

    __slots__ = (
        "address",
        "auto_replies",
        "distribution",
        "messages",
        "required",
        "servers",
    )

    def __init__(
        self,
        address: str,
        *,
        messages: Iterable[type[Any]],
        servers: Mapping[str, str] | None = None,
        auto_replies: Mapping[str, AutoReply] | None = None,
        required: Iterable[str] = (),
        distribution: str = "",
    ) -> None:
        self.address = address
        self.messages = tuple(messages)
        self.servers = dict(servers or {})
        self.auto_replies = dict(auto_replies or {})
        self.required = tuple(required)
        self.distribution = distribution

    def __repr__(self) -> str:
        return f"RealtimeChannel({self.address!r})"

    def decoder(self) -> MessageDecoder[EventT]:
        """The decoder of the server's messages (an unlisted type: UnknownMessage)."""
        return MessageDecoder[EventT](self.messages)

    def _direct(
        self, http: _Http, path: Mapping[str, Any], query: Mapping[str, Any]
    ) -> tuple[str, dict[str, str], list[tuple[str, Any]]]:
        missing = [
            name for name in self.required if {**path, **query}.get(name) is None
        ]
        if missing:
            raise TypeError(f"connect() needs {', '.join(f'{n}=' for n in missing)}")
        address = self.address
        for name, value in path.items():
            address = address.replace("{" + name + "}", quote(str(value), safe=""))
        url = _server_url(str(http.base_url), self.servers) + address
        headers, pairs = handshake_credentials(*http.handshake_secrets())
        return url, headers, [*pairs, *query.items()]

    def _signer(
        self,
        http: _Http,
        sign: Callable[..., Any] | None,
        sign_with: Mapping[str, Any],
    ) -> Callable[[], Any] | None:
        if sign is None or not any(handshake_credentials(*http.handshake_secrets())):
            return None
        missing = [name for name, value in sign_with.items() if value is None]
        if missing:
            needed = ", ".join(f"{name}=" for name in missing)
            raise TypeError(f"connect() needs {needed} (or signed_url=)")
        return lambda: sign(**sign_with)

    def sync_session(
        self,
        http: _Http,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        signed_url: str | None = None,
        sign: Callable[..., str] | None = None,
        sign_with: Mapping[str, Any] | None = None,
        receive_timeout: float | None = None,
        connect_timeout: float | None = REALTIME_CONNECT_TIMEOUT,
    ) -> SyncRealtimeSession[EventT]:
        """A session for a sync client's transport `http` (see the module docstring)."""
        target: str | Callable[[], str]
        headers: dict[str, str] = {}
        pairs: list[tuple[str, Any]] = list((query or {}).items())
        signer = None if signed_url else self._signer(http, sign, sign_with or {})
        if signed_url:
            target = signed_url
        elif signer is not None:
            target = signer
        else:
            target, headers, pairs = self._direct(http, path or {}, query or {})
        return SyncRealtimeSession(
            target,
            decoder=self.decoder(),
            query=pairs,
            headers=headers,
            auto_replies=self.auto_replies,
            receive_timeout=receive_timeout,
            connect_timeout=connect_timeout,
            distribution=self.distribution,
        )

    def async_session(
        self,
        http: _Http,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        signed_url: str | None = None,
        sign: Callable[..., Awaitable[str]] | None = None,
        sign_with: Mapping[str, Any] | None = None,
        receive_timeout: float | None = None,
        connect_timeout: float | None = REALTIME_CONNECT_TIMEOUT,
    ) -> AsyncRealtimeSession[EventT]:
        """A session for an async client's transport `http` (see the module docstring)."""
        target: str | Callable[[], Awaitable[str]]
        headers: dict[str, str] = {}
        pairs: list[tuple[str, Any]] = list((query or {}).items())
        signer = None if signed_url else self._signer(http, sign, sign_with or {})
        if signed_url:
            target = signed_url
        elif signer is not None:
            target = signer
        else:
            target, headers, pairs = self._direct(http, path or {}, query or {})
        return AsyncRealtimeSession(
            target,
            decoder=self.decoder(),
            query=pairs,
            headers=headers,
            auto_replies=self.auto_replies,
            receive_timeout=receive_timeout,
            connect_timeout=connect_timeout,
            distribution=self.distribution,
        )
